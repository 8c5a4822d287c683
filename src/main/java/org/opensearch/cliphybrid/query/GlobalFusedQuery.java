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
import org.opensearch.cliphybrid.query.fusion.Rrf;
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
    private final Map<String, Rrf.Fused> byId;
    private final int rankConstant;

    GlobalFusedQuery(Map<String, Rrf.Fused> byId, int rankConstant) {
        this.byId = Map.copyOf(byId);
        this.rankConstant = rankConstant;
    }

    @Override
    public Query rewrite(IndexSearcher searcher) throws IOException {
        List<Rrf.Fused> found = new ArrayList<>(byId.size());
        for (LeafReaderContext leaf : searcher.getIndexReader().leaves()) {
            Terms terms = leaf.reader().terms(IdFieldMapper.NAME);
            if (terms == null) {
                continue;
            }
            TermsEnum termsEnum = terms.iterator();
            Bits live = leaf.reader().getLiveDocs();
            PostingsEnum postings = null;
            for (Map.Entry<String, Rrf.Fused> e : byId.entrySet()) {
                BytesRef uid = Uid.encodeId(e.getKey());
                if (termsEnum.seekExact(uid) == false) {
                    continue;
                }
                postings = termsEnum.postings(postings, PostingsEnum.NONE);
                for (int doc = postings.nextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS; doc = postings.nextDoc()) {
                    if (live == null || live.get(doc)) {
                        Rrf.Fused f = e.getValue();
                        found.add(new Rrf.Fused(leaf.docBase + doc, f.score(), f.ranks(), f.rawScores()));
                        break;
                    }
                }
            }
        }
        return new FusedDocsQuery(found, rankConstant, searcher.getIndexReader().getContext().id());
    }

    @Override
    public void visit(QueryVisitor visitor) {
        visitor.visitLeaf(this);
    }

    @Override
    public String toString(String field) {
        return "clip_hybrid_global(" + byId.size() + " docs, rank_constant=" + rankConstant + ")";
    }

    @Override
    public boolean equals(Object o) {
        return sameClassAs(o) && rankConstant == ((GlobalFusedQuery) o).rankConstant && byId.keySet().equals(((GlobalFusedQuery) o).byId.keySet());
    }

    @Override
    public int hashCode() {
        return Objects.hash(classHash(), rankConstant, byId.keySet());
    }
}
