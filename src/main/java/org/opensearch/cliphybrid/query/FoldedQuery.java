package org.opensearch.cliphybrid.query;

import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.PostingsEnum;
import org.apache.lucene.index.Terms;
import org.apache.lucene.index.TermsEnum;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.Explanation;
import org.apache.lucene.search.FilterWeight;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.QueryVisitor;
import org.apache.lucene.search.ScoreMode;
import org.apache.lucene.search.Weight;
import org.opensearch.index.mapper.IdFieldMapper;
import org.opensearch.index.mapper.Uid;
import org.opensearch.index.query.IdsQueryBuilder;
import org.opensearch.index.query.QueryShardContext;

import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * {@code fold_duplicates} on a shard: the query restricted to this index's kept hits of the coordinator's folded window (a plain
 * filter, so scores are the query's own), and an explanation that says how many near-duplicates each kept hit stands for.
 */
final class FoldedQuery extends Query {
    private final Query query;
    private final Query filtered;
    /** This index's kept ids, each with the number of hits folded into it. */
    private final Map<String, Integer> folded;

    private FoldedQuery(Query query, Query filtered, Map<String, Integer> folded) {
        this.query = query;
        this.filtered = filtered;
        this.folded = folded;
    }

    static Query of(Query query, List<DuplicateFold.Kept> kept, QueryShardContext context) throws IOException {
        String index = context.index().getName();
        Map<String, Integer> mine = new HashMap<>();
        for (DuplicateFold.Kept k : kept) {
            if (k.index().equals(index)) {
                mine.put(k.id(), k.folded());
            }
        }
        return of(query, new IdsQueryBuilder().addIds(mine.keySet().toArray(String[]::new)).toQuery(context), mine);
    }

    /** {@code ids} matches exactly the documents of {@code folded}'s ids on this shard. */
    static Query of(Query query, Query ids, Map<String, Integer> folded) {
        Query filtered = new BooleanQuery.Builder().add(query, BooleanClause.Occur.MUST).add(ids, BooleanClause.Occur.FILTER).build();
        return new FoldedQuery(query, filtered, Map.copyOf(folded));
    }

    @Override
    public Query rewrite(IndexSearcher searcher) throws IOException {
        Query rewritten = filtered.rewrite(searcher);
        return rewritten == filtered ? this : new FoldedQuery(query, rewritten, folded);
    }

    @Override
    public Weight createWeight(IndexSearcher searcher, ScoreMode scoreMode, float boost) throws IOException {
        return new FilterWeight(this, searcher.createWeight(filtered, scoreMode, boost)) {
            @Override
            public Explanation explain(LeafReaderContext leaf, int doc) throws IOException {
                Explanation e = in.explain(leaf, doc);
                if (e.isMatch() == false) {
                    return e;
                }
                // the filter adds nothing to the score: the query's own explanation, with the fold's count
                Explanation own = searcher.createWeight(searcher.rewrite(query), scoreMode, boost).explain(leaf, doc);
                int n = foldedInto(leaf, doc);
                String note = n == 0 ? "; no near-duplicate folded into it" : "; folded " + n + " near-duplicate" + (n == 1 ? "" : "s") + " into it";
                return Explanation.match(own.getValue(), own.getDescription() + note, own.getDetails());
            }
        };
    }

    private int foldedInto(LeafReaderContext leaf, int doc) throws IOException {
        Terms terms = leaf.reader().terms(IdFieldMapper.NAME);
        if (terms == null) {
            return 0;
        }
        TermsEnum termsEnum = terms.iterator();
        for (Map.Entry<String, Integer> e : folded.entrySet()) {
            if (e.getValue() > 0 && termsEnum.seekExact(Uid.encodeId(e.getKey()))) {
                PostingsEnum postings = termsEnum.postings(null, PostingsEnum.NONE);
                if (postings.advance(doc) == doc) {
                    return e.getValue();
                }
            }
        }
        return 0;
    }

    @Override
    public void visit(QueryVisitor visitor) {
        filtered.visit(visitor);
    }

    @Override
    public String toString(String field) {
        return "clip_hybrid_folded(" + query.toString(field) + ", " + folded.size() + " kept)";
    }

    @Override
    public boolean equals(Object o) {
        return sameClassAs(o) && filtered.equals(((FoldedQuery) o).filtered) && folded.equals(((FoldedQuery) o).folded);
    }

    @Override
    public int hashCode() {
        return Objects.hash(classHash(), filtered, folded);
    }
}
