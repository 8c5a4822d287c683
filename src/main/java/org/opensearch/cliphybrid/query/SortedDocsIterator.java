package org.opensearch.cliphybrid.query;

import org.apache.lucene.search.DocIdSetIterator;

import java.util.Arrays;

/** Iterates one leaf's slice of a sorted array of top-level doc ids, returning leaf doc ids; {@link #index()} is the array slot. */
final class SortedDocsIterator extends DocIdSetIterator {
    private final int[] docs;
    private final int docBase, lo, hi;
    private int i;

    SortedDocsIterator(int[] docs, int docBase, int maxDoc) {
        this.docs = docs;
        this.docBase = docBase;
        this.lo = lowerBound(docs, docBase);
        this.hi = lowerBound(docs, docBase + maxDoc);
        this.i = lo - 1;
    }

    static int lowerBound(int[] docs, int docId) {
        int i = Arrays.binarySearch(docs, docId);
        return i >= 0 ? i : -i - 1;
    }

    boolean isEmpty() {
        return lo == hi;
    }

    int index() {
        return i;
    }

    /** Whether one of the documents lies in [from, to] (leaf doc ids), wherever the iterator stands. */
    boolean anyIn(int from, int to) {
        if (from > to || (long) from + docBase > Integer.MAX_VALUE) {
            return false;
        }
        int at = lowerBound(docs, Math.max(from, 0) + docBase);
        return at >= lo && at < hi && docs[at] - docBase <= to;
    }

    @Override
    public int docID() {
        if (i < lo) {
            return -1;
        }
        return i >= hi ? NO_MORE_DOCS : docs[i] - docBase;
    }

    @Override
    public int nextDoc() {
        i++;
        return docID();
    }

    @Override
    public int advance(int target) {
        int at = Arrays.binarySearch(docs, Math.max(lo, i + 1), hi, target + docBase);
        i = at >= 0 ? at : -at - 1;
        return docID();
    }

    @Override
    public long cost() {
        return hi - lo;
    }
}
