package org.opensearch.cliphybrid.query;

import org.opensearch.action.search.SearchRequest;
import org.opensearch.cliphybrid.query.names.WordStatsAction;
import org.opensearch.cliphybrid.query.names.WordStatsRequest;
import org.opensearch.core.action.ActionListener;
import org.opensearch.core.common.io.stream.StreamInput;
import org.opensearch.core.common.io.stream.StreamOutput;
import org.opensearch.index.query.QueryBuilder;
import org.opensearch.search.SearchHit;
import org.opensearch.search.builder.SearchSourceBuilder;
import org.opensearch.transport.client.Client;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * What the coordinator looks up once per request, before any shard scores: from the model, its own cosine band and how it cuts
 * the query's words into pieces; then, from every shard's term statistics in one round trip ({@link WordStatsAction}), the
 * target's document count and how many documents hold each word that could be a name; and, when the request asks for
 * index-wide statistics ({@code dfs_query_then_fetch}), the best BM25 the query's words reach, which composable mode
 * measures every text match against. Without DFS each shard takes its own best, as BM25 takes its own statistics: the extra
 * search is paid only where identical scores on any shard layout were asked for.
 *
 * @param names      the query's names found among the rare terms of the text fields
 * @param bestBm25   the target's best BM25 for the query's words, 0 when nothing matches; NaN when not looked up
 * @param cosineBand the model's own cosine band, null when it states none
 */
record TextLookUp(List<String> names, float bestBm25, float[] cosineBand) {
    TextLookUp {
        names = List.copyOf(names);
    }

    static void run(
        Client client,
        QueryEncoder encoder,
        SearchRequest request,
        ClipHybridOptions options,
        boolean wantBest,
        ActionListener<TextLookUp> listener
    ) {
        boolean wantNames = options.properNouns() != ClipHybridOptions.ProperNouns.OFF && options.textFields().isEmpty() == false;
        // names are looked for where the words are searched: in the positive texts
        List<String> positive = options.positiveTexts().stream().map(WeightedText::text).toList();
        List<String> words = wantNames ? ProperNounDetector.words(positive) : List.of();
        encoder.modelFacts(options.model(), words, ActionListener.wrap(facts -> {
            List<String> candidates = ProperNounDetector.candidates(words, facts.pieces());
            QueryBuilder lexical = wantBest ? LexicalQuery.of(options.weightedTexts(), options.textFields(), options.filter()) : null;
            if (candidates.isEmpty() && lexical == null) {
                listener.onResponse(new TextLookUp(List.of(), Float.NaN, facts.cosineBand()));
                return;
            }
            search(client, request, options, candidates, lexical, facts.cosineBand(), listener);
        }, listener::onFailure));
    }

    /** The names among the candidates, from the target's term statistics; then, under DFS, the best BM25. */
    private static void search(
        Client client,
        SearchRequest request,
        ClipHybridOptions options,
        List<String> candidates,
        QueryBuilder lexical,
        float[] band,
        ActionListener<TextLookUp> listener
    ) {
        if (candidates.isEmpty()) {
            best(client, request, lexical, List.of(), band, listener);
            return;
        }
        WordStatsRequest stats = new WordStatsRequest(request.indices(), request.indicesOptions(), candidates, options.textFields());
        client.execute(WordStatsAction.INSTANCE, stats, ActionListener.wrap(response -> {
            double limit = Math.min(ProperNounDetector.MAX_DOCS, Math.max(1, response.docs() * ProperNounDetector.MAX_DOC_FRACTION));
            List<String> names = new ArrayList<>();
            for (int i = 0; i < candidates.size(); i++) {
                long docs = response.docFreq(i);
                if (docs > 0 && docs <= limit) {
                    names.add(candidates.get(i));
                }
            }
            best(client, request, lexical, names, band, listener);
        }, listener::onFailure));
    }

    private static void best(
        Client client,
        SearchRequest request,
        QueryBuilder lexical,
        List<String> names,
        float[] band,
        ActionListener<TextLookUp> listener
    ) {
        if (lexical == null) {
            listener.onResponse(new TextLookUp(names, Float.NaN, band));
            return;
        }
        // scored as the shards will score it: with index-wide statistics, as the request asks
        SearchRequest search = new SearchRequest(request.indices()).indicesOptions(request.indicesOptions())
            .searchType(request.searchType())
            .source(new SearchSourceBuilder().size(1).query(lexical).fetchSource(false).trackTotalHits(false));
        client.search(search, ActionListener.wrap(response -> {
            SearchHit[] hits = response.getHits().getHits();
            float best = hits.length == 0 || Float.isNaN(hits[0].getScore()) ? 0f : hits[0].getScore();
            listener.onResponse(new TextLookUp(names, best, band));
        }, listener::onFailure));
    }

    static TextLookUp read(StreamInput in) throws IOException {
        if (in.readBoolean() == false) {
            return null;
        }
        List<String> names = in.readStringList();
        float best = in.readFloat();
        float[] band = in.readBoolean() ? in.readFloatArray() : null;
        return new TextLookUp(names, best, band);
    }

    static void write(StreamOutput out, TextLookUp lookUp) throws IOException {
        out.writeBoolean(lookUp != null);
        if (lookUp != null) {
            out.writeStringCollection(lookUp.names);
            out.writeFloat(lookUp.bestBm25);
            out.writeBoolean(lookUp.cosineBand != null);
            if (lookUp.cosineBand != null) {
                out.writeFloatArray(lookUp.cosineBand);
            }
        }
    }

    // a record compares arrays by identity
    @Override
    public boolean equals(Object o) {
        return o instanceof TextLookUp other
            && names.equals(other.names)
            && Float.compare(bestBm25, other.bestBm25) == 0
            && Arrays.equals(cosineBand, other.cosineBand);
    }

    @Override
    public int hashCode() {
        return Objects.hash(names, bestBm25, Arrays.hashCode(cosineBand));
    }
}
