package org.opensearch.cliphybrid.query.profile;

import org.opensearch.core.common.io.stream.StreamInput;
import org.opensearch.core.common.io.stream.StreamOutput;
import org.opensearch.core.common.io.stream.Writeable;
import org.opensearch.core.xcontent.ToXContentObject;
import org.opensearch.core.xcontent.XContentBuilder;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The mean of each metric over a set of judged queries, at one cut-off. */
public record MetricValues(int k, double ndcg, double recall, double mrr) implements Writeable, ToXContentObject {
    public MetricValues(StreamInput in) throws IOException {
        this(in.readVInt(), in.readDouble(), in.readDouble(), in.readDouble());
    }

    /** The means over the queries; {@code rankings.get(i)} is the ranking of the query whose relevant ids are {@code relevant.get(i)}. */
    public static MetricValues of(int k, List<List<String>> rankings, List<Set<String>> relevant) {
        double ndcg = 0, recall = 0, mrr = 0;
        int n = rankings.size();
        for (int i = 0; i < n; i++) {
            ndcg += RankingMetric.NDCG.score(rankings.get(i), relevant.get(i), k);
            recall += RankingMetric.RECALL.score(rankings.get(i), relevant.get(i), k);
            mrr += RankingMetric.MRR.score(rankings.get(i), relevant.get(i), k);
        }
        return n == 0 ? new MetricValues(k, 0, 0, 0) : new MetricValues(k, ndcg / n, recall / n, mrr / n);
    }

    public double get(RankingMetric metric) {
        return switch (metric) {
            case NDCG -> ndcg;
            case RECALL -> recall;
            case MRR -> mrr;
        };
    }

    @Override
    public void writeTo(StreamOutput out) throws IOException {
        out.writeVInt(k);
        out.writeDouble(ndcg);
        out.writeDouble(recall);
        out.writeDouble(mrr);
    }

    @Override
    public XContentBuilder toXContent(XContentBuilder builder, Params params) throws IOException {
        return builder.startObject()
            .field(RankingMetric.NDCG.label(k), ndcg)
            .field(RankingMetric.RECALL.label(k), recall)
            .field(RankingMetric.MRR.label(k), mrr)
            .endObject();
    }

    /** Read back from a stored profile's source, as {@link #toXContent} wrote it. */
    static MetricValues fromMap(int k, Map<?, ?> map) {
        return new MetricValues(k, value(map, RankingMetric.NDCG.label(k)), value(map, RankingMetric.RECALL.label(k)), value(map, RankingMetric.MRR.label(k)));
    }

    private static double value(Map<?, ?> map, String key) {
        return map.get(key) instanceof Number n ? n.doubleValue() : 0;
    }
}
