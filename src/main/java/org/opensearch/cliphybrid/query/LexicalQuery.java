package org.opensearch.cliphybrid.query;

import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.Query;
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

    /**
     * BM25 over the text fields ({@code field^boost}), restricted by the filter; each positive query text is one should clause,
     * boosted by its weight. Negative texts are left out: BM25 cannot score below zero, and a must_not would drop every document
     * that merely mentions the word, so they only steer the vector.
     */
    static QueryBuilder of(List<WeightedText> queryTexts, List<String> textFields, QueryBuilder filter) {
        List<WeightedText> positive = queryTexts.stream().filter(WeightedText::positive).toList();
        if (textFields.isEmpty() || positive.isEmpty()) {
            return null;
        }
        BoolQueryBuilder texts = new BoolQueryBuilder();
        for (WeightedText text : positive) {
            MultiMatchQueryBuilder match = textMatch(text.text(), textFields);
            // weight 1 leaves the clause as an unweighted query has always built it
            texts.should(text.weight() == 1f ? match : match.boost(text.weight()));
        }
        QueryBuilder words = positive.size() == 1 ? texts.should().get(0) : texts;
        return CrossShardRankFusion.filtered(words, filter);
    }

    /** The mapped fields that the text fields ({@code name}, {@code name^boost}, patterns) mean, as multi_match resolves them. */
    static List<String> mappedFields(QueryShardContext context, List<String> textFields) {
        Map<String, Float> fields = QueryParserHelper.resolveMappingFields(context, QueryParserHelper.parseFieldsAndWeights(textFields));
        return fields.keySet().stream().filter(f -> context.fieldMapper(f) != null).sorted().toList();
    }

    /**
     * The documents with any value in the mapped text fields: those the words could have matched, so that not matching says
     * something about them; null when there is no such field.
     */
    static Query hasText(QueryShardContext context, List<String> mappedFields) {
        if (mappedFields.isEmpty()) {
            return null;
        }
        BooleanQuery.Builder any = new BooleanQuery.Builder();
        for (String field : mappedFields) {
            any.add(context.fieldMapper(field).existsQuery(context), BooleanClause.Occur.SHOULD);
        }
        return any.build();
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
