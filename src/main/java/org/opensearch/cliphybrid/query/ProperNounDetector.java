package org.opensearch.cliphybrid.query;

import org.opensearch.action.search.SearchRequest;
import org.opensearch.action.support.IndicesOptions;
import org.opensearch.core.action.ActionListener;
import org.opensearch.index.query.Operator;
import org.opensearch.index.query.QueryBuilder;
import org.opensearch.search.aggregations.bucket.filter.Filters;
import org.opensearch.search.aggregations.bucket.filter.FiltersAggregationBuilder;
import org.opensearch.search.aggregations.bucket.filter.FiltersAggregator;
import org.opensearch.search.builder.SearchSourceBuilder;
import org.opensearch.transport.client.Client;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Finds the query's names that only the metadata can know: capitalized words (or words with digits) that are rare terms of the
 * text fields, in at least one and at most 1% of the target's documents. A common capitalized word ("A dog ...") is frequent and
 * so not a name; a lowercase word is never one.
 */
final class ProperNounDetector {
    static final double MAX_DOC_FRACTION = 0.01;
    private static final int MAX_CANDIDATES = 16;
    private static final Pattern WORDS = Pattern.compile("[^\\p{L}\\p{N}]+");

    private ProperNounDetector() {}

    static List<String> candidates(List<String> texts) {
        Set<String> out = new LinkedHashSet<>();
        for (String text : texts) {
            for (String word : WORDS.split(text)) {
                if (word.length() >= 2 && (Character.isUpperCase(word.codePointAt(0)) || word.chars().anyMatch(Character::isDigit))) {
                    out.add(word.toLowerCase(Locale.ROOT));
                }
            }
        }
        return new ArrayList<>(out).subList(0, Math.min(out.size(), MAX_CANDIDATES));
    }

    /** The text without the given names (compared case-insensitively), spaces collapsed. */
    static String without(String text, List<String> names) {
        StringBuilder out = new StringBuilder();
        for (String word : text.trim().split("\\s+")) {
            String bare = WORDS.matcher(word).replaceAll("").toLowerCase(Locale.ROOT);
            if (names.contains(bare) == false) {
                out.append(out.length() == 0 ? "" : " ").append(word);
            }
        }
        return out.toString();
    }

    static QueryBuilder matchAll(List<String> names, List<String> fields) {
        return ClipHybridQueryBuilder.textMatch(String.join(" ", names), fields).operator(Operator.AND);
    }

    static void find(
        Client client,
        String[] indices,
        IndicesOptions indicesOptions,
        List<String> texts,
        List<String> fields,
        ActionListener<List<String>> listener
    ) {
        List<String> candidates = candidates(texts);
        if (candidates.isEmpty()) {
            listener.onResponse(List.of());
            return;
        }
        FiltersAggregator.KeyedFilter[] filters = new FiltersAggregator.KeyedFilter[candidates.size()];
        for (int i = 0; i < filters.length; i++) {
            filters[i] = new FiltersAggregator.KeyedFilter(candidates.get(i), ClipHybridQueryBuilder.textMatch(candidates.get(i), fields));
        }
        SearchSourceBuilder source = new SearchSourceBuilder().size(0)
            .trackTotalHits(true)
            .aggregation(new FiltersAggregationBuilder("names", filters));
        client.search(new SearchRequest(indices).indicesOptions(indicesOptions).source(source), ActionListener.wrap(response -> {
            long total = response.getHits().getTotalHits() == null ? 0 : response.getHits().getTotalHits().value();
            double limit = Math.max(1, total * MAX_DOC_FRACTION);
            List<String> names = new ArrayList<>();
            Filters buckets = response.getAggregations().get("names");
            for (Filters.Bucket bucket : buckets.getBuckets()) {
                if (bucket.getDocCount() > 0 && bucket.getDocCount() <= limit) {
                    names.add(bucket.getKeyAsString());
                }
            }
            listener.onResponse(names);
        }, listener::onFailure));
    }
}
