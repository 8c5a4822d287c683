package org.opensearch.cliphybrid.query;

import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.Query;
import org.opensearch.index.mapper.MappedFieldType;
import org.opensearch.index.query.BoolQueryBuilder;
import org.opensearch.index.query.MultiMatchQueryBuilder;
import org.opensearch.index.query.QueryBuilder;
import org.opensearch.index.query.QueryShardContext;
import org.opensearch.index.search.QueryParserHelper;

import java.util.List;
import java.util.Map;

/** The words side as OpenSearch queries: what the shard scores and what the proper-noun look-up counts are one construction. */
final class LexicalQuery {
    private LexicalQuery() {}

    /** BM25 over the text fields ({@code field^boost}), restricted by the filter; each query text is one should clause. */
    static QueryBuilder of(List<String> queryTexts, List<String> textFields, QueryBuilder filter) {
        if (textFields.isEmpty()) {
            return null;
        }
        BoolQueryBuilder texts = new BoolQueryBuilder();
        for (String text : queryTexts) {
            texts.should(textMatch(text, textFields));
        }
        QueryBuilder words = queryTexts.size() == 1 ? texts.should().get(0) : texts;
        return CrossShardRankFusion.filtered(words, filter);
    }

    /**
     * The documents with any value in the text fields (resolved as the words' multi_match resolves them): those the words could
     * have matched, so that not matching says something about them; null when no mapped field is meant.
     */
    static Query hasText(QueryShardContext context, List<String> textFields) {
        Map<String, Float> fields = QueryParserHelper.resolveMappingFields(context, QueryParserHelper.parseFieldsAndWeights(textFields));
        BooleanQuery.Builder any = new BooleanQuery.Builder();
        int clauses = 0;
        for (String field : fields.keySet()) {
            MappedFieldType type = context.fieldMapper(field);
            if (type != null) {
                any.add(type.existsQuery(context), BooleanClause.Occur.SHOULD);
                clauses++;
            }
        }
        return clauses == 0 ? null : any.build();
    }

    /** {@code text} as words in {@code fields}, each given as {@code name} or {@code name^boost}. */
    static MultiMatchQueryBuilder textMatch(String text, List<String> fields) {
        MultiMatchQueryBuilder match = new MultiMatchQueryBuilder(text);
        for (String f : fields) {
            int caret = f.indexOf('^');
            if (caret < 0) {
                match.field(f);
            } else {
                match.field(f.substring(0, caret), Float.parseFloat(f.substring(caret + 1)));
            }
        }
        return match;
    }
}
