package org.opensearch.cliphybrid.query;

import org.opensearch.cliphybrid.ClipHybridPlugin;
import org.opensearch.common.settings.Settings;
import org.opensearch.index.IndexSettings;
import org.opensearch.index.query.QueryBuilder;
import org.opensearch.index.query.QueryBuilders;
import org.opensearch.search.deciders.ConcurrentSearchDecision;
import org.opensearch.search.deciders.ConcurrentSearchRequestDecider;
import org.opensearch.search.deciders.ConcurrentSearchVisitor;
import org.opensearch.test.IndexSettingsModule;
import org.opensearch.test.OpenSearchTestCase;

import java.util.Set;

/** The plugin's vote on concurrent segment search, over query trees walked by OpenSearch's own visitor, as a shard request is. */
public class ConcurrentClipSearchTests extends OpenSearchTestCase {
    private static final QueryEncoder VECTORS = new QueryEncoder(() -> null, () -> null, () -> null, () -> null);
    private final IndexSettings index = IndexSettingsModule.newIndexSettings("images", Settings.EMPTY);

    private ConcurrentSearchDecision.DecisionStatus vote(QueryBuilder query) {
        ConcurrentSearchRequestDecider decider = new ClipHybridPlugin(Settings.EMPTY).getConcurrentSearchRequestDeciderFactory()
            .orElseThrow()
            .create(index)
            .orElseThrow();
        query.visit(new ConcurrentSearchVisitor(Set.of(decider), index));
        return decider.getConcurrentSearchDecision().getDecisionStatus();
    }

    private static ClipHybridQueryBuilder hybrid() {
        return new ClipHybridQueryBuilder(
            ClipHybridOptions.builder().vectorField("image_vector").queryText("a dog").queryVector(new float[] { 1, 0 }).build(),
            VECTORS
        );
    }

    public void testClipQueriesAskForSlicesWherever() {
        assertEquals(ConcurrentSearchDecision.DecisionStatus.YES, vote(hybrid()));
        assertEquals(ConcurrentSearchDecision.DecisionStatus.YES, vote(new ClipKnnQueryBuilder("image_vector", new float[] { 1, 0 }, 10, null)));
        // deep in a bool, before and after other clauses: the last node visited must not take the vote back
        QueryBuilder nested = QueryBuilders.boolQuery()
            .filter(QueryBuilders.termQuery("license", "cc0"))
            .must(QueryBuilders.boolQuery().should(hybrid()).should(QueryBuilders.matchQuery("title", "dog")))
            .should(QueryBuilders.matchAllQuery());
        assertEquals(ConcurrentSearchDecision.DecisionStatus.YES, vote(nested));
    }

    public void testOtherQueriesGetNoOpinion() {
        QueryBuilder plain = QueryBuilders.boolQuery().must(QueryBuilders.matchQuery("title", "dog")).filter(QueryBuilders.existsQuery("image_vector"));
        assertEquals(ConcurrentSearchDecision.DecisionStatus.NO_OP, vote(plain));
    }
}
