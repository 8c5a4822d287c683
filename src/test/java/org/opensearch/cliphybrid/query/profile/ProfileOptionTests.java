package org.opensearch.cliphybrid.query.profile;


import org.opensearch.cliphybrid.ClipHybridPlugin;
import org.opensearch.cliphybrid.query.ClipHybridOptions;
import org.opensearch.cliphybrid.query.ClipHybridQueryBuilder;
import org.opensearch.cliphybrid.query.fusion.Normalization;
import org.opensearch.cliphybrid.query.fusion.Weights;
import org.opensearch.common.settings.Settings;
import org.opensearch.common.xcontent.json.JsonXContent;
import org.opensearch.core.common.ParsingException;
import org.opensearch.core.common.io.stream.NamedWriteableRegistry;
import org.opensearch.core.xcontent.NamedXContentRegistry;
import org.opensearch.core.xcontent.ToXContent;
import org.opensearch.core.xcontent.XContentParser;
import org.opensearch.index.query.AbstractQueryBuilder;
import org.opensearch.index.query.QueryBuilder;
import org.opensearch.search.SearchModule;
import org.opensearch.test.OpenSearchTestCase;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.opensearch.core.xcontent.XContentHelper.toXContent;

/** {@code clip_hybrid}'s {@code "profile"}: what the request gave itself wins, and the applied query equals one written out. */
public class ProfileOptionTests extends OpenSearchTestCase {
    private final SearchModule search = new SearchModule(Settings.EMPTY, List.of(new ClipHybridPlugin(Settings.EMPTY)));

    @Override
    protected NamedXContentRegistry xContentRegistry() {
        return new NamedXContentRegistry(search.getNamedXContents());
    }

    private ClipHybridQueryBuilder parse(String json) throws IOException {
        try (XContentParser parser = createParser(JsonXContent.jsonXContent, json)) {
            return (ClipHybridQueryBuilder) AbstractQueryBuilder.parseInnerQueryBuilder(parser);
        }
    }

    private static Profile profile(Map<String, Object> parameters) {
        MetricValues m = new MetricValues(10, 0.5, 0.5, 0.5);
        return new Profile("p1", "images", "mini-clip", parameters, "ndcg@10", m, m, 0);
    }

    private static Map<String, Object> linear() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("fusion", "linear");
        p.put("weights", Map.of("vector", 1, "text", 3));
        p.put("normalization", "z_score");
        return p;
    }

    private static final String WITH_PROFILE = """
        {"clip_hybrid": {"query_text": "dog", "vector_field": "v", "text_fields": ["t"], "profile": "p1",
         "weights": {"vector": 2, "text": 1}, "k": 20}}""";

    public void testTheRequestRemembersWhichParametersItGaveItself() throws IOException {
        ClipHybridOptions o = parse(WITH_PROFILE).options();
        assertEquals(new ProfileRef("p1", Set.of("weights")), o.profile());
    }

    public void testRoundTripsKeepTheProfileAndLeaveTheRestToIt() throws IOException {
        ClipHybridQueryBuilder q = parse(WITH_PROFILE);
        String json = toXContent(q, JsonXContent.jsonXContent.mediaType(), ToXContent.EMPTY_PARAMS, false).utf8ToString();
        // a default fusion written out would turn into the request's own on the next parse, and the profile would lose it
        assertFalse(json, json.contains("fusion"));
        assertTrue(json, json.contains("\"profile\":\"p1\""));
        assertEquals(q, parse(json));
        NamedWriteableRegistry registry = new NamedWriteableRegistry(search.getNamedWriteables());
        assertEquals(q, copyNamedWriteable(q, registry, QueryBuilder.class));
    }

    public void testTheProfileFillsWhatTheRequestLeftOut() throws IOException {
        ClipHybridOptions applied = ParameterGrid.applyProfile(parse(WITH_PROFILE).options(), profile(linear()));
        assertNull(applied.profile());
        assertEquals(ClipHybridOptions.Fusion.LINEAR, applied.fusion());
        assertEquals(Normalization.Z_SCORE, applied.normalization());
        assertEquals(new Weights(2, 1), applied.weights());
        ClipHybridOptions written = parse("""
            {"clip_hybrid": {"query_text": "dog", "vector_field": "v", "text_fields": ["t"], "fusion": "linear",
             "normalization": "z_score", "weights": {"vector": 2, "text": 1}, "k": 20}}""").options();
        assertEquals(written, applied);
    }

    public void testAModeOptionWaitsForTheProfilesMode() throws IOException {
        // rank_constant with the default mode would be refused at once; the profile may set rrf
        ClipHybridQueryBuilder q = parse("""
            {"clip_hybrid": {"query_text": "dog", "vector_field": "v", "profile": "p1", "rank_constant": 10}}""");
        Map<String, Object> rrf = Map.of("fusion", "rrf", "weights", Map.of("vector", 2, "text", 1));
        ClipHybridOptions applied = ParameterGrid.applyProfile(q.options(), profile(rrf));
        assertEquals(10, applied.rankConstant());
        IllegalArgumentException e = expectThrows(IllegalArgumentException.class, () -> ParameterGrid.applyProfile(q.options(), profile(linear())));
        assertEquals(
            "[clip_hybrid] [rank_constant] does not apply to fusion [linear], which profile [p1] sets: give [fusion] in the query too",
            e.getMessage()
        );
        // the request's own fusion is checked at once, as without a profile
        ParsingException pe = expectThrows(ParsingException.class, () -> parse("""
            {"clip_hybrid": {"query_text": "dog", "vector_field": "v", "profile": "p1", "fusion": "linear", "rank_constant": 10}}"""));
        assertTrue(pe.getMessage(), pe.getMessage().contains("[rank_constant] applies to fusion [rrf], not [linear]"));
    }

    public void testAProfileParameterForAnotherModeIsLeftOut() throws IOException {
        ClipHybridQueryBuilder q = parse("""
            {"clip_hybrid": {"query_text": "dog", "vector_field": "v", "profile": "p1", "fusion": "rrf"}}""");
        Map<String, Object> calibrated = Map.of("fusion", "calibrated", "text_floor", 0.4, "weights", Map.of("vector", 1, "text", 2));
        ClipHybridOptions applied = ParameterGrid.applyProfile(q.options(), profile(calibrated));
        assertEquals(ClipHybridOptions.Fusion.RRF, applied.fusion());
        assertNull(applied.textFloor());
        assertEquals(new Weights(1, 2), applied.weights());
    }

    public void testAProfileFromANewerNodeOrWithBadValuesIsRefusedByName() throws IOException {
        ClipHybridOptions o = parse(WITH_PROFILE).options();
        IllegalArgumentException e = expectThrows(IllegalArgumentException.class, () -> ParameterGrid.applyProfile(o, profile(Map.of("boost_mode", "x"))));
        assertEquals("[clip_hybrid] profile [p1] sets [boost_mode], which this node does not know", e.getMessage());
        e = expectThrows(IllegalArgumentException.class, () -> ParameterGrid.applyProfile(o, profile(Map.of("fusion", "sum"))));
        assertEquals("[clip_hybrid] profile [p1]: [fusion] must be one of calibrated, rrf, linear, got [sum]", e.getMessage());
    }

    public void testProfileNamesAreChecked() {
        ParsingException e = expectThrows(ParsingException.class, () -> parse("""
            {"clip_hybrid": {"query_text": "dog", "vector_field": "v", "profile": "Not/Valid"}}"""));
        assertTrue(e.getMessage(), e.getMessage().contains("[profile] must be 1 to 64 characters of [a-z0-9_-], got [Not/Valid]"));
    }
}
