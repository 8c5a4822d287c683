package org.opensearch.cliphybrid.query;

import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.Query;

import java.io.IOException;

/**
 * Lucene's kNN query, with a native library that fails to load turned into this request's error. k-NN 3.6.0.0's 1-bit
 * scalar-quantized scorer loads {@code opensearchknn_simd_avx2} when the vectors are memory-mapped, and the build on Maven
 * Central does not carry it: the UnsatisfiedLinkError (then NoClassDefFoundError) would end the node from a search thread.
 */
final class GuardedKnnQuery extends KnnFloatVectorQuery {
    GuardedKnnQuery(String field, float[] target, int k, Query filter) {
        super(field, target, k, filter);
    }

    @Override
    public Query rewrite(IndexSearcher searcher) throws IOException {
        try {
            return super.rewrite(searcher);
        } catch (LinkageError e) {
            // the index's settings are what the user can change, hence a bad request; the error is not its cause, since
            // a search in slices looks for an Error among the causes and fails the shard with it
            throw new IllegalArgumentException(
                "the kNN search of [" + getField() + "] needs a native library that this node lacks (" + e.getMessage() + "): k-NN's"
                    + " 1-bit quantized vectors (encoder sq, bits 1) are searched natively when memory-mapped; give the index"
                    + " \"index.store.type\": \"niofs\" (README, Compressed vectors)"
            );
        }
    }
}
