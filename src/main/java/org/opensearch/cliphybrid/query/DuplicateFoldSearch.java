package org.opensearch.cliphybrid.query;

import org.opensearch.OpenSearchStatusException;
import org.opensearch.action.search.SearchRequest;
import org.opensearch.action.search.ShardSearchFailure;
import org.opensearch.cliphybrid.model.Vectors;
import org.opensearch.cliphybrid.query.ClipHybridOptions.FoldDuplicates;
import org.opensearch.core.action.ActionListener;
import org.opensearch.core.rest.RestStatus;
import org.opensearch.index.query.QueryBuilder;
import org.opensearch.search.SearchHit;
import org.opensearch.search.builder.SearchSourceBuilder;
import org.opensearch.transport.client.Client;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The coordinator's side of {@code fold_duplicates}: one ordinary search of the query without folding, over the request's own
 * target, for its best {@code window} hits and their stored vectors (from {@code _source}, where k-NN puts them back when the
 * index derives vectors), then {@link DuplicateFold}.
 */
final class DuplicateFoldSearch {
    private DuplicateFoldSearch() {}

    static void fetch(Client client, SearchRequest original, QueryBuilder unfolded, String vectorField, FoldDuplicates fold,
        ActionListener<List<DuplicateFold.Kept>> listener) {
        SearchRequest request = new SearchRequest(original.indices()).indicesOptions(original.indicesOptions())
            // the same search type, routing and preference: the window must hold the very scores the request will see
            .searchType(original.searchType())
            .routing(original.routing())
            .preference(original.preference())
            .source(
                new SearchSourceBuilder().query(unfolded)
                    .size(fold.window())
                    .fetchSource(new String[] { vectorField }, null)
                    .trackTotalHits(false)
            );
        client.search(request, ActionListener.wrap(response -> {
            ShardSearchFailure[] failures = response.getShardFailures();
            if (failures.length > 0) {
                // a window missing a shard's hits would keep that shard's duplicates and drop its best hits
                Throwable cause = failures[0].getCause();
                listener.onFailure(cause instanceof Exception e ? e : new IllegalStateException(failures[0].reason()));
                return;
            }
            List<DuplicateFold.Candidate> ranked = new ArrayList<>();
            for (SearchHit hit : response.getHits().getHits()) {
                ranked.add(new DuplicateFold.Candidate(hit.getIndex(), hit.getId(), vector(hit, vectorField)));
            }
            listener.onResponse(DuplicateFold.fold(ranked, fold.cosine()));
        }, listener::onFailure));
    }

    /** The hit's unit vector; null where the document has none (a text-only match cannot be anyone's duplicate). */
    private static float[] vector(SearchHit hit, String vectorField) {
        Map<String, Object> source = hit.getSourceAsMap();
        Object value = source == null ? null : QueryEncoder.extract(source, vectorField);
        if (value instanceof List<?> list && list.isEmpty() == false) {
            try {
                return Vectors.normalise(Vectors.fromList(list, "[" + ClipHybridOptions.NAME + "] [fold_duplicates] [" + vectorField + "]"));
            } catch (IllegalArgumentException e) {
                throw new OpenSearchStatusException(e.getMessage() + " of document [" + hit.getIndex() + "/" + hit.getId() + "]", RestStatus.BAD_REQUEST);
            }
        }
        return null;
    }
}
