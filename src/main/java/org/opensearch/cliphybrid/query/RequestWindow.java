package org.opensearch.cliphybrid.query;

import org.opensearch.action.search.SearchRequest;
import org.opensearch.cliphybrid.query.fusion.OptionNames;
import org.opensearch.search.builder.SearchSourceBuilder;

import static org.opensearch.cliphybrid.query.ClipHybridOptions.NAME;

/**
 * The requests that a fixed window of hits (a rank mode's fused candidates, the folded hits of {@code fold_duplicates}) cannot
 * serve: a scroll, which would end at the window's edge without saying so, and a page reaching past it. Both get a 400 that
 * says what to change.
 */
final class RequestWindow {
    private RequestWindow() {}

    /** A rank mode ranks at most max(k, window_size) candidates. */
    static void checkRankMode(SearchRequest request, ClipHybridOptions options) {
        String mode = "[" + NAME + "] fusion [" + OptionNames.of(options.fusion()) + "] ";
        int window = Math.max(options.k(), options.effectiveWindowSize());
        if (request.scroll() != null) {
            throw new IllegalArgumentException(mode + "fuses a fixed candidate window and does not support scroll; use fusion [calibrated]");
        }
        int end = pageEnd(request);
        if (end > window) {
            throw new IllegalArgumentException(
                mode + "ranks a window of " + window + " candidates ([k], [window_size]), but from + size = " + end
                    + ": raise [k] or use fusion [calibrated]"
            );
        }
    }

    /** Only the folded window matches. */
    static void checkFold(SearchRequest request, ClipHybridOptions options) {
        int window = options.foldDuplicates().window();
        String fold = "[" + NAME + "] [fold_duplicates] folds the query's best " + window + " hits ([fold_duplicates.window]) ";
        if (request.scroll() != null) {
            throw new IllegalArgumentException(fold + "and does not support scroll: page with from and size within the window");
        }
        int end = pageEnd(request);
        if (end > window) {
            throw new IllegalArgumentException(
                fold + "but from + size = " + end + ": raise [fold_duplicates.window] (at most " + ClipHybridOptions.MAX_FOLD_WINDOW + ")"
            );
        }
    }

    /** from + size of the request's page (size 10 when unset); 0 for a request without a body, which asks nothing of it. */
    private static int pageEnd(SearchRequest request) {
        SearchSourceBuilder source = request.source();
        if (source == null) {
            return 0;
        }
        return Math.max(0, source.from()) + (source.size() < 0 ? 10 : source.size());
    }
}
