package org.opensearch.cliphybrid.query;

import org.apache.lucene.search.TotalHits;
import org.opensearch.action.search.MultiSearchRequest;
import org.opensearch.action.search.MultiSearchResponse;
import org.opensearch.action.search.SearchRequest;
import org.opensearch.action.support.IndicesOptions;
import org.opensearch.core.action.ActionListener;
import org.opensearch.index.query.MatchAllQueryBuilder;
import org.opensearch.index.query.Operator;
import org.opensearch.index.query.QueryBuilder;
import org.opensearch.search.builder.SearchSourceBuilder;
import org.opensearch.search.internal.SearchContext;
import org.opensearch.transport.client.Client;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Finds the query's names that only the metadata can know: capitalized words (or words with digits) that are rare terms of the
 * text fields, in at least one and at most 1% (and at most {@link #MAX_DOCS}) of the target's documents. A common capitalized word ("A dog ...") is frequent and
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
        return LexicalQuery.textMatch(String.join(" ", names), fields).operator(Operator.AND);
    }

    /**
     * A name is in at most this many documents, however large the index: counting stops past it, so a look-up costs the
     * same on any index (with the 1% rule, the cap binds from a million documents up).
     */
    static final int MAX_DOCS = 10_000;

    /**
     * Counts, in one multi-search, the target's documents and, for each candidate, the documents whose text fields hold it
     * (up to {@link #MAX_DOCS} + 1), and answers the rare ones. Each count is a size-0 search, which the shards' request
     * cache keeps: frequent words such as a sentence's capitalized first word are then answered from it.
     */
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
        MultiSearchRequest counts = new MultiSearchRequest();
        counts.add(count(indices, indicesOptions, new MatchAllQueryBuilder(), SearchContext.TRACK_TOTAL_HITS_ACCURATE));
        for (String candidate : candidates) {
            counts.add(count(indices, indicesOptions, LexicalQuery.textMatch(candidate, fields), MAX_DOCS + 1));
        }
        client.multiSearch(counts, ActionListener.wrap(response -> {
            MultiSearchResponse.Item[] items = response.getResponses();
            double limit = Math.min(MAX_DOCS, Math.max(1, totalHits(items[0]).value() * MAX_DOC_FRACTION));
            List<String> names = new ArrayList<>();
            for (int i = 0; i < candidates.size(); i++) {
                TotalHits hits = totalHits(items[i + 1]);
                if (hits.relation() == TotalHits.Relation.EQUAL_TO && hits.value() > 0 && hits.value() <= limit) {
                    names.add(candidates.get(i));
                }
            }
            listener.onResponse(names);
        }, listener::onFailure));
    }

    private static SearchRequest count(String[] indices, IndicesOptions indicesOptions, QueryBuilder query, int upTo) {
        return new SearchRequest(indices).indicesOptions(indicesOptions)
            .source(new SearchSourceBuilder().size(0).query(query).trackTotalHitsUpTo(upTo));
    }

    private static TotalHits totalHits(MultiSearchResponse.Item item) throws Exception {
        if (item.isFailure()) {
            throw item.getFailure();
        }
        TotalHits hits = item.getResponse().getHits().getTotalHits();
        return hits == null ? new TotalHits(0, TotalHits.Relation.EQUAL_TO) : hits;
    }
}
