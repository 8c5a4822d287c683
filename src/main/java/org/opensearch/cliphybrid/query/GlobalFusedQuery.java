package org.opensearch.cliphybrid.query;

import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.PostingsEnum;
import org.apache.lucene.index.Terms;
import org.apache.lucene.index.TermsEnum;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.QueryVisitor;
import org.apache.lucene.util.Bits;
import org.apache.lucene.util.BytesRef;
import org.opensearch.cliphybrid.query.fusion.Fused;
import org.opensearch.cliphybrid.query.fusion.RankFusion;
import org.opensearch.index.mapper.IdFieldMapper;
import org.opensearch.index.mapper.Uid;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The shard's share of fused documents computed on the coordinator, keyed by {@code _id}: on rewrite each id is looked up in
 * this shard's reader and the result is a {@link FusedDocsQuery} with the coordinator's scores and ranks.
 */
final class GlobalFusedQuery extends Query {
    private final Map<String, Fused> byId;
    private final RankFusion fusion;

    GlobalFusedQuery(Map<String, Fused> byId, RankFusion fusion) {
        this.byId = Map.copyOf(byId);
        this.fusion = fusion;
    }

    @Override
    public Query rewrite(IndexSearcher searcher) throws IOException {
        List<Fused> found = new ArrayList<>(byId.size());
        for (LeafReaderContext leaf : searcher.getIndexReader().leaves()) {
            Terms terms = leaf.reader().terms(IdFieldMapper.NAME);
            if (terms == null) {
                continue;
            }
            TermsEnum termsEnum = terms.iterator();
            Bits live = leaf.reader().getLiveDocs();
            PostingsEnum postings = null;
            for (Map.Entry<String, Fused> e : byId.entrySet()) {
                BytesRef uid = Uid.encodeId(e.getKey());
                if (termsEnum.seekExact(uid) == false) {
                    continue;
                }
                postings = termsEnum.postings(postings, PostingsEnum.NONE);
                for (int doc = postings.nextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS; doc = postings.nextDoc()) {
                    if (live == null || live.get(doc)) {
                        Fused f = e.getValue();
                        found.add(f.withKeyAndScore(leaf.docBase + doc, f.score()));
                        break;
                    }
                }
            }
        }
        return new FusedDocsQuery(found, fusion, searcher.getIndexReader().getContext().id());
    }

    @Override
    public void visit(QueryVisitor visitor) {
        visitor.visitLeaf(this);
    }

    @Override
    public String toString(String field) {
        return "clip_hybrid_global(" + byId.size() + " docs, " + fusion + ")";
    }

    @Override
    public boolean equals(Object o) {
        return sameClassAs(o) && fusion.equals(((GlobalFusedQuery) o).fusion) && byId.keySet().equals(((GlobalFusedQuery) o).byId.keySet());
    }

    @Override
    public int hashCode() {
        return Objects.hash(classHash(), fusion, byId.keySet());
    }
}
