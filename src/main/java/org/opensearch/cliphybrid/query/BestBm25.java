package org.opensearch.cliphybrid.query;

import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TopScoreDocCollectorManager;

import java.io.IOException;

/**
 * The best BM25 any document of a shard reaches for the words: composable mode's text scale when the request did not ask for
 * index-wide statistics. A top-1 search that counts no hits: from its first hit on the collector asks for more than the best so
 * far, so the words' block-max scorers (WAND, MaxScore, dis_max of them) skip every block that cannot beat it. A block is
 * skipped only when its maximum is no higher than a score already seen, so the best is exact, as a search that scores every
 * match finds it; only the document it names may differ among ties, and only the score is used.
 */
final class BestBm25 {
    private BestBm25() {}

    /** 0 when nothing matches, as a text scale of 0 makes the text side's evidence the raw BM25. */
    static float of(IndexSearcher searcher, Query words) throws IOException {
        if (words == null) {
            return 0f;
        }
        ScoreDoc[] best = searcher.search(words, new TopScoreDocCollectorManager(1, null, 1)).scoreDocs;
        return best.length == 0 || Float.isNaN(best[0].score) ? 0f : best[0].score;
    }
}
