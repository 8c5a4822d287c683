package org.opensearch.cliphybrid.query;

import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.FilterDirectoryReader;
import org.apache.lucene.index.FilterLeafReader;
import org.apache.lucene.index.FloatVectorValues;
import org.apache.lucene.index.Impacts;
import org.apache.lucene.index.ImpactsEnum;
import org.apache.lucene.index.LeafReader;
import org.apache.lucene.index.PostingsEnum;
import org.apache.lucene.index.Terms;
import org.apache.lucene.index.TermsEnum;
import org.apache.lucene.index.VectorEncoding;
import org.apache.lucene.util.BytesRef;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A reader that counts what a search reads: stored vectors (each one a document composable mode scored) and postings entries
 * (each one a document some term's iterator stopped on). Block-max skipping shows as postings never stopped on.
 */
final class CountingReader extends FilterDirectoryReader {
    final AtomicLong vectorReads;
    final AtomicLong postings;

    static CountingReader wrap(DirectoryReader in) throws IOException {
        return new CountingReader(in, new AtomicLong(), new AtomicLong());
    }

    private CountingReader(DirectoryReader in, AtomicLong vectorReads, AtomicLong postings) throws IOException {
        super(in, new SubReaderWrapper() {
            @Override
            public LeafReader wrap(LeafReader reader) {
                return new Leaf(reader, vectorReads, postings);
            }
        });
        this.vectorReads = vectorReads;
        this.postings = postings;
    }

    void reset() {
        vectorReads.set(0);
        postings.set(0);
    }

    @Override
    protected DirectoryReader doWrapDirectoryReader(DirectoryReader in) throws IOException {
        return new CountingReader(in, vectorReads, postings);
    }

    @Override
    public CacheHelper getReaderCacheHelper() {
        return null;
    }

    private static final class Leaf extends FilterLeafReader {
        private final AtomicLong vectorReads, postings;

        Leaf(LeafReader in, AtomicLong vectorReads, AtomicLong postings) {
            super(in);
            this.vectorReads = vectorReads;
            this.postings = postings;
        }

        @Override
        public FloatVectorValues getFloatVectorValues(String field) throws IOException {
            FloatVectorValues values = in.getFloatVectorValues(field);
            return values == null ? null : new Vectors(values, vectorReads);
        }

        @Override
        public Terms terms(String field) throws IOException {
            Terms terms = in.terms(field);
            return terms == null ? null : new FilterTerms(terms) {
                @Override
                public TermsEnum iterator() throws IOException {
                    return new FilterTermsEnum(in.iterator()) {
                        @Override
                        public PostingsEnum postings(PostingsEnum reuse, int flags) throws IOException {
                            return new Postings(in.postings(null, flags), postings);
                        }

                        @Override
                        public ImpactsEnum impacts(int flags) throws IOException {
                            return new Postings(in.impacts(flags), postings);
                        }
                    };
                }
            };
        }

        @Override
        public CacheHelper getCoreCacheHelper() {
            return null;
        }

        @Override
        public CacheHelper getReaderCacheHelper() {
            return null;
        }
    }

    private static final class Vectors extends FloatVectorValues {
        private final FloatVectorValues in;
        private final AtomicLong reads;

        Vectors(FloatVectorValues in, AtomicLong reads) {
            this.in = in;
            this.reads = reads;
        }

        @Override
        public float[] vectorValue(int ord) throws IOException {
            reads.incrementAndGet();
            return in.vectorValue(ord);
        }

        @Override
        public FloatVectorValues copy() throws IOException {
            return new Vectors(in.copy(), reads);
        }

        @Override
        public int dimension() {
            return in.dimension();
        }

        @Override
        public int size() {
            return in.size();
        }

        @Override
        public int ordToDoc(int ord) {
            return in.ordToDoc(ord);
        }

        @Override
        public DocIndexIterator iterator() {
            return in.iterator();
        }

        @Override
        public VectorEncoding getEncoding() {
            return in.getEncoding();
        }
    }

    /** Counts every document the iterator lands on; the inherited bulk methods go through nextDoc, so they count too. */
    private static final class Postings extends ImpactsEnum {
        /** An {@link ImpactsEnum} when asked for impacts, which only then are read. */
        private final PostingsEnum in;
        private final AtomicLong count;

        Postings(PostingsEnum in, AtomicLong count) {
            this.in = in;
            this.count = count;
        }

        private int counted(int doc) {
            if (doc != NO_MORE_DOCS) {
                count.incrementAndGet();
            }
            return doc;
        }

        @Override
        public int nextDoc() throws IOException {
            return counted(in.nextDoc());
        }

        @Override
        public int advance(int target) throws IOException {
            return counted(in.advance(target));
        }

        @Override
        public int docID() {
            return in.docID();
        }

        @Override
        public long cost() {
            return in.cost();
        }

        @Override
        public int freq() throws IOException {
            return in.freq();
        }

        @Override
        public int nextPosition() throws IOException {
            return in.nextPosition();
        }

        @Override
        public int startOffset() throws IOException {
            return in.startOffset();
        }

        @Override
        public int endOffset() throws IOException {
            return in.endOffset();
        }

        @Override
        public BytesRef getPayload() throws IOException {
            return in.getPayload();
        }

        @Override
        public void advanceShallow(int target) throws IOException {
            ((ImpactsEnum) in).advanceShallow(target);
        }

        @Override
        public Impacts getImpacts() throws IOException {
            return ((ImpactsEnum) in).getImpacts();
        }
    }
}
