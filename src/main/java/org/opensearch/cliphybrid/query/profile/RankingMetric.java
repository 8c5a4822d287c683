package org.opensearch.cliphybrid.query.profile;

import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A judged query's score for one ranking, with binary relevance (an id is relevant or not), at a cut-off of {@code k} hits.
 * {@code _calibrate} fits on one of them and reports all three.
 */
public enum RankingMetric {
    /** Discounted gain {@code 1 / log2(rank + 1)} of the relevant hits, over the best gain the relevant ids allow. */
    NDCG {
        @Override
        double score(List<String> ranked, Set<String> relevant, int k) {
            double dcg = 0, ideal = 0;
            int n = Math.min(k, ranked.size());
            for (int i = 0; i < n; i++) {
                if (relevant.contains(ranked.get(i))) {
                    dcg += gain(i);
                }
            }
            for (int i = 0; i < Math.min(k, relevant.size()); i++) {
                ideal += gain(i);
            }
            return ideal == 0 ? 0 : dcg / ideal;
        }
    },
    /** The share of the relevant ids among the first k hits. */
    RECALL {
        @Override
        double score(List<String> ranked, Set<String> relevant, int k) {
            int found = 0;
            int n = Math.min(k, ranked.size());
            for (int i = 0; i < n; i++) {
                found += relevant.contains(ranked.get(i)) ? 1 : 0;
            }
            return relevant.isEmpty() ? 0 : (double) found / relevant.size();
        }
    },
    /** One over the rank of the first relevant hit, 0 when none is among the first k. */
    MRR {
        @Override
        double score(List<String> ranked, Set<String> relevant, int k) {
            int n = Math.min(k, ranked.size());
            for (int i = 0; i < n; i++) {
                if (relevant.contains(ranked.get(i))) {
                    return 1.0 / (i + 1);
                }
            }
            return 0;
        }
    };

    public static final int MAX_K = 100;

    abstract double score(List<String> ranked, Set<String> relevant, int k);

    private static double gain(int index) {
        return 1.0 / (Math.log(index + 2) / Math.log(2));
    }

    public String label(int k) {
        return name().toLowerCase(Locale.ROOT) + "@" + k;
    }

    /** A metric and its cut-off as a request names them: {@code ndcg@10}. */
    public record Cutoff(RankingMetric metric, int k) {
        public static Cutoff parse(String value) {
            String[] parts = value == null ? new String[0] : value.split("@", -1);
            RankingMetric metric = null;
            if (parts.length == 2) {
                for (RankingMetric m : values()) {
                    if (m.name().toLowerCase(Locale.ROOT).equals(parts[0])) {
                        metric = m;
                    }
                }
            }
            int k;
            try {
                k = metric == null ? -1 : Integer.parseInt(parts[1]);
            } catch (NumberFormatException e) {
                k = -1;
            }
            if (metric == null || k < 1 || k > MAX_K) {
                throw new IllegalArgumentException(
                    "[metric] must be ndcg@K, recall@K or mrr@K with K between 1 and " + MAX_K + ", got [" + value + "]"
                );
            }
            return new Cutoff(metric, k);
        }

        @Override
        public String toString() {
            return metric.label(k);
        }
    }
}
