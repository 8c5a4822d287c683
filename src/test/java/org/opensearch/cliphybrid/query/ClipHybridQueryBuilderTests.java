package org.opensearch.cliphybrid.query;

import org.opensearch.cliphybrid.ClipHybridPlugin;
import org.opensearch.cliphybrid.inference.InferenceService;
import org.opensearch.cliphybrid.query.fusion.Fused;
import org.opensearch.cliphybrid.query.fusion.Normalization;
import org.opensearch.cliphybrid.query.fusion.RankFusion;
import org.opensearch.cliphybrid.query.fusion.Weights;
import org.opensearch.common.settings.Settings;
import org.opensearch.common.xcontent.json.JsonXContent;
import org.opensearch.core.common.ParsingException;
import org.opensearch.core.common.io.stream.NamedWriteableRegistry;
import org.opensearch.core.xcontent.NamedXContentRegistry;
import org.opensearch.core.xcontent.ToXContent;
import org.opensearch.core.xcontent.XContentParser;
import org.opensearch.index.query.AbstractQueryBuilder;
import org.opensearch.index.query.BoolQueryBuilder;
import org.opensearch.index.query.QueryBuilder;
import org.opensearch.index.query.QueryBuilders;
import org.opensearch.search.SearchModule;
import org.opensearch.test.OpenSearchTestCase;

import java.io.IOException;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import static org.opensearch.core.xcontent.XContentHelper.toXContent;

/** Writeable and XContent round trips of every option, and the parse errors users see. */
public class ClipHybridQueryBuilderTests extends OpenSearchTestCase {
    private static final QueryEncoder VECTORS = new QueryEncoder(() -> null, () -> null, () -> null, () -> null);
    private final SearchModule search = new SearchModule(Settings.EMPTY, List.of(new ClipHybridPlugin(Settings.EMPTY)));

    @Override
    protected NamedXContentRegistry xContentRegistry() {
        return new NamedXContentRegistry(search.getNamedXContents());
    }

    private NamedWriteableRegistry writeables() {
        return new NamedWriteableRegistry(search.getNamedWriteables());
    }

    private ClipHybridQueryBuilder randomBuilder(boolean mayBeFused) {
        ClipHybridOptionsBuilder b = ClipHybridOptions.builder().vectorField("image_vector");
        switch (randomIntBetween(0, 4)) {
            case 0 -> b.queryText(randomAlphaOfLength(8));
            case 1 -> b.queryTexts(List.of(randomAlphaOfLength(5), randomAlphaOfLength(6)));
            case 2 -> b.weightedTexts(
                List.of(new WeightedText(randomAlphaOfLength(5), randomFloat() * 9 + 0.5f), new WeightedText(randomAlphaOfLength(6), -randomFloat() - 0.1f))
            );
            case 3 -> b.queryImage("https://example.org/" + randomAlphaOfLength(5) + ".jpg");
            default -> b.queryDocument(new QueryEncoder.DocumentRef("idx", randomAlphaOfLength(4)));
        }
        // a given vector is searched as it is, which a negative text could not steer
        boolean negative = b.textWeights != null && b.textWeights.stream().anyMatch(w -> w < 0);
        if ((randomBoolean() && negative == false) || b.queryTexts.isEmpty()) {
            float[] v = new float[randomIntBetween(2, 16)];
            for (int i = 0; i < v.length; i++) {
                v[i] = randomFloat();
            }
            b.queryVector(v);
        }
        if (randomBoolean() && b.queryTexts.isEmpty() == false) {
            b.textFields(List.of("title^2", "tags"));
            b.promptTemplate(randomBoolean() ? null : "a photo of {}");
        }
        b.fusion(randomFrom(ClipHybridOptions.Fusion.values()));
        switch (b.fusion) {
            case RRF -> b.rankConstant(randomIntBetween(1, 100));
            case LINEAR -> b.normalization(randomFrom(Normalization.values()));
            case CALIBRATED -> {
                if (randomBoolean()) {
                    b.cosineBand(randomFloat() * 0.2f, randomBoolean() ? null : 0.3f + randomFloat() * 0.5f);
                }
                if (randomBoolean()) {
                    b.textFloor(randomFloat());
                }
            }
        }
        if (randomBoolean()) {
            b.weights(new Weights(randomFloat() + 0.1f, randomFloat()));
        }
        b.k(randomIntBetween(1, 500));
        if (randomBoolean() && b.fusion != ClipHybridOptions.Fusion.CALIBRATED) {
            b.windowSize(randomIntBetween(1, 500));
        }
        if (randomBoolean()) {
            b.efSearch(randomIntBetween(1, 1000));
        }
        if (randomBoolean()) {
            b.minScore(randomFloat());
        }
        if (randomBoolean()) {
            b.model("mini-clip");
        }
        if (randomBoolean()) {
            b.properNouns(randomFrom(ClipHybridOptions.ProperNouns.values()));
        }
        if (randomBoolean()) {
            b.filter(QueryBuilders.termQuery("tags.raw", "dog"));
        }
        if (randomBoolean()) {
            b.foldDuplicates(new ClipHybridOptions.FoldDuplicates(0.5f + randomFloat() / 2, randomIntBetween(1, 1000)));
        }
        ClipHybridQueryBuilder q = new ClipHybridQueryBuilder(b.build(), VECTORS);
        if (randomBoolean()) {
            q.boost(2.5f);
        }
        if (randomBoolean()) {
            q.queryName("q1");
        }
        if (mayBeFused && randomBoolean()) {
            float[] band = randomBoolean() ? null : new float[] { 0.2f, 0.6f };
            q.lookUp(new TextLookUp(randomBoolean() ? List.of() : List.of("zorblax"), randomFloat() * 20, band));
        }
        if (mayBeFused && randomBoolean()) {
            // what the coordinator ships to the shards after fusing the global candidates
            q.fusedHits(
                List.of(
                    new CrossShardRankFusion.Hit(
                        "idx",
                        "a",
                        new Fused(0, 0.03, new int[] { 1, 2 }, new float[] { 0.9f, 7.5f }, new float[] { 0.016f, 0.015f })
                    ),
                    new CrossShardRankFusion.Hit(
                        "idx2",
                        "b",
                        new Fused(1, 0.01, new int[] { 0, 1 }, new float[] { Float.NaN, 3f }, new float[] { 0f, 0.016f })
                    )
                )
            );
        }
        if (mayBeFused && randomBoolean()) {
            // what the coordinator ships to the shards after folding the window
            q.foldKept(randomBoolean() ? List.of() : List.of(new DuplicateFold.Kept("idx", "a", 2), new DuplicateFold.Kept("idx2", "b", 0)));
        }
        return q;
    }

    public void testWriteableRoundTrip() throws IOException {
        for (int i = 0; i < 20; i++) {
            ClipHybridQueryBuilder original = randomBuilder(true);
            QueryBuilder copy = copyNamedWriteable(original, writeables(), QueryBuilder.class);
            assertEquals(original, copy);
            assertEquals(original.hashCode(), copy.hashCode());
        }
    }

    public void testXContentRoundTrip() throws IOException {
        // fused candidates are coordinator-to-shard state, never part of the DSL
        for (int i = 0; i < 20; i++) {
            ClipHybridQueryBuilder original = randomBuilder(false);
            String json = toXContent(original, JsonXContent.jsonXContent.mediaType(), ToXContent.EMPTY_PARAMS, false).utf8ToString();
            assertEquals(json, original, parse(json));
        }
    }

    public void testParsesTheIssueExample() throws IOException {
        ClipHybridQueryBuilder b = (ClipHybridQueryBuilder) parse("""
            {"clip_hybrid": {"query_text": "a dog on the beach", "vector_field": "image_vector", "text_fields": ["title^2", "tags"], "k": 100}}""");
        assertEquals(List.of("a dog on the beach"), b.options().queryTexts());
        assertEquals(List.of("title^2", "tags"), b.options().textFields());
        assertEquals(100, b.options().k());
        assertEquals(ClipHybridOptions.Fusion.CALIBRATED, b.options().fusion());
        ClipHybridQueryBuilder rank = (ClipHybridQueryBuilder) parse("""
            {"clip_hybrid": {"query_text": ["a dog", "a puppy"], "vector_field": "v", "text_fields": ["title"], "fusion": "linear",
             "normalization": "z_score", "weights": {"vector": 2, "text": 1}, "k": 50, "window_size": 20, "ef_search": 200}}""");
        assertEquals(List.of("a dog", "a puppy"), rank.options().queryTexts());
        assertEquals(ClipHybridOptions.Fusion.LINEAR, rank.options().fusion());
        assertEquals(RankFusion.linear(Normalization.Z_SCORE, new Weights(2f, 1f)), rank.rankFusion());
        assertEquals(20, rank.options().effectiveWindowSize());
    }

    public void testParsesFoldDuplicates() throws IOException {
        ClipHybridQueryBuilder b = (ClipHybridQueryBuilder) parse("""
            {"clip_hybrid": {"query_text": "a dog", "vector_field": "v", "fold_duplicates": {"cosine": 0.9, "window": 200}}}""");
        assertEquals(new ClipHybridOptions.FoldDuplicates(0.9f, 200), b.options().foldDuplicates());
        b = (ClipHybridQueryBuilder) parse("""
            {"clip_hybrid": {"query_text": "a dog", "vector_field": "v", "fusion": "rrf", "fold_duplicates": {}}}""");
        assertEquals(ClipHybridOptions.FoldDuplicates.DEFAULT, b.options().foldDuplicates());
        assertNull(((ClipHybridQueryBuilder) parse("{\"clip_hybrid\": {\"query_text\": \"d\", \"vector_field\": \"v\"}}")).options().foldDuplicates());
        String fold = "{\"clip_hybrid\": {\"vector_field\": \"v\", \"query_text\": \"d\", \"fold_duplicates\": ";
        assertParseError(fold + "{\"cosine\": 1.5}}}", "[fold_duplicates.cosine] must be in (0, 1], got 1.5");
        assertParseError(fold + "{\"cosine\": 0}}}", "[fold_duplicates.cosine] must be in (0, 1], got 0.0");
        assertParseError(fold + "{\"cosine\": \"high\"}}}", "[fold_duplicates.cosine] must be a number, got [high]");
        assertParseError(fold + "{\"window\": 1001}}}", "[fold_duplicates.window] must be between 1 and 1000, got 1001");
        assertParseError(fold + "{\"window\": 10.5}}}", "[fold_duplicates.window] must be a whole number, got [10.5]");
        assertParseError(fold + "{\"window\": 99999999999}}}", "[fold_duplicates.window] must be between 1 and 1000");
        assertParseError(fold + "{\"size\": 10}}}", "[fold_duplicates] takes [cosine] and [window], got [size]");
        assertParseError(fold + "true}}", "[fold_duplicates] must be an object");
    }

    public void testTheFoldedWindowTravelsToTheShards() throws IOException {
        ClipHybridOptions o = ClipHybridOptions.builder().vectorField("v").queryVector(new float[] { 1, 0 })
            .foldDuplicates(ClipHybridOptions.FoldDuplicates.DEFAULT).build();
        ClipHybridQueryBuilder folded = new ClipHybridQueryBuilder(o, VECTORS).foldKept(List.of(new DuplicateFold.Kept("i", "a", 1)));
        QueryBuilder copy = copyNamedWriteable(folded, writeables(), QueryBuilder.class);
        assertEquals(folded, copy);
        assertNotEquals("the kept hits are part of what a shard runs", new ClipHybridQueryBuilder(o, VECTORS), copy);
    }

    public void testParseErrorsNameTheProblem() {
        assertParseError("{\"clip_hybrid\": {\"query_text\": \"dog\"}}", "requires [vector_field]");
        assertParseError("{\"clip_hybrid\": {\"vector_field\": \"v\", \"query_text\": \"\"}}", "[query_text] must not be empty");
        assertParseError("{\"clip_hybrid\": {\"vector_field\": \"v\"}}", "requires a non-empty [query_text], a [query_image] or a [query_vector]");
        assertParseError("{\"clip_hybrid\": {\"vector_field\": \"v\", \"query_text\": \"d\", \"fusion\": \"max\"}}", "[fusion] must be one of");
        assertParseError("{\"clip_hybrid\": {\"vector_field\": \"v\", \"query_text\": \"d\", \"normalization\": \"l2\"}}",
            "[normalization] applies to fusion [linear], not [calibrated]");
        assertParseError("{\"clip_hybrid\": {\"vector_field\": \"v\", \"query_text\": \"d\", \"fusion\": \"linear\", \"rank_constant\": 5}}",
            "[rank_constant] applies to fusion [rrf], not [linear]");
        assertParseError("{\"clip_hybrid\": {\"vector_field\": \"v\", \"query_text\": \"d\", \"window_size\": 5}}", "[window_size] applies to the rank modes");
        assertParseError("{\"clip_hybrid\": {\"vector_field\": \"v\", \"query_text\": \"d\", \"weights\": {\"vector\": 0, \"text\": 0}}}", "[weights]");
        assertParseError("{\"clip_hybrid\": {\"vector_field\": \"v\", \"query_text\": \"d\", \"weights\": {\"image\": 1}}}", "takes [vector] and [text]");
        assertParseError("{\"clip_hybrid\": {\"vector_field\": \"v\", \"query_text\": \"d\", \"vector_calibration\": {\"cosine_low\": 0.5, \"cosine_high\": 0.2}}}",
            "cosine_low < cosine_high");
        assertParseError("{\"clip_hybrid\": {\"vector_field\": \"v\", \"query_text\": \"d\", \"prompt_template\": \"a photo\"}}", "must contain {}");
        assertParseError("{\"clip_hybrid\": {\"vector_field\": \"v\", \"query_image\": {\"id\": \"x\"}}}", "exactly [index] and [id]");
        assertParseError("{\"clip_hybrid\": {\"vector_field\": \"v\", \"query_text\": \"d\", \"nope\": 1}}", "unknown field [nope]");
        assertParseError("{\"clip_hybrid\": {\"vector_field\": \"v\", \"query_vector\": [1], \"text_fields\": [\"t\"]}}", "need a [query_text]");
        assertParseError("{\"clip_hybrid\": {\"vector_field\": \"v\", \"query_text\": \"d\", \"k\": 0}}", "[k] must be between 1");
        assertParseError("{\"clip_hybrid\": {\"vector_field\": \"v\", \"query_text\": \"d\", \"rank_constant\": 0}}", "[rank_constant]");
    }

    public void testEverySizeARequestControlsHasALimit() {
        String texts = "[" + String.join(",", Collections.nCopies(ClipHybridOptions.MAX_QUERY_TEXTS + 1, "\"dog\"")) + "]";
        assertParseError("{\"clip_hybrid\": {\"vector_field\": \"v\", \"query_text\": " + texts + "}}", "[query_text] has 17 texts, more than the limit of 16");
        String longText = "a".repeat(InferenceService.MAX_TEXT_CHARS + 1);
        assertParseError("{\"clip_hybrid\": {\"vector_field\": \"v\", \"query_text\": \"" + longText + "\"}}", "[query_text] of 2049 characters");
        String template = "{} " + "x".repeat(ClipHybridOptions.MAX_PROMPT_TEMPLATE_CHARS);
        assertParseError("{\"clip_hybrid\": {\"vector_field\": \"v\", \"query_text\": \"d\", \"prompt_template\": \"" + template + "\"}}",
            "[prompt_template] has 259 characters");
        String fields = "[" + String.join(",", Collections.nCopies(ClipHybridOptions.MAX_TEXT_FIELDS + 1, "\"t\"")) + "]";
        assertParseError("{\"clip_hybrid\": {\"vector_field\": \"v\", \"query_text\": \"d\", \"text_fields\": " + fields + "}}", "[text_fields] has 65 fields");
        String vector = "[" + String.join(",", Collections.nCopies(ClipHybridOptions.MAX_DIMENSION + 1, "0.5")) + "]";
        assertParseError("{\"clip_hybrid\": {\"vector_field\": \"v\", \"query_vector\": " + vector + "}}", "[query_vector] has 16001 dimensions");
    }

    public void testNamesAreWordsTheModelCutsIntoPiecesWhateverTheirCase() {
        List<String> words = ProperNounDetector.words(List.of("A dog at zorblax park with R2d2. At Zorblax"));
        assertEquals(List.of("dog", "at", "zorblax", "park", "with", "r2d2"), words);
        Map<String, Integer> pieces = Map.of("dog", 1, "at", 1, "zorblax", 3, "park", 1, "with", 1, "r2d2", 3);
        assertEquals(List.of("zorblax", "r2d2"), ProperNounDetector.candidates(words, pieces));
        assertEquals("a word the model was not asked about is no candidate", List.of("r2d2"), ProperNounDetector.candidates(words, Map.of()));
        assertEquals("A dog at park", ProperNounDetector.without("A dog at Zorblax park", List.of("zorblax")));
        assertEquals("", ProperNounDetector.without("Zorblax!", List.of("zorblax")));
        ClipHybridOptions dog = ClipHybridOptions.builder().vectorField("v").queryText("a dog at Zorblax").textFields(List.of("title")).build();
        ClipHybridQueryBuilder b = new ClipHybridQueryBuilder(dog, VECTORS).lookUp(new TextLookUp(List.of("zorblax"), 3f, null));
        assertEquals(List.of(new WeightedText("a dog at")), b.properNounRule().vectorTexts());
        assertEquals(new Weights(1f, 3f), b.properNounRule().weights());
        ClipHybridOptionsBuilder nameOnly = ClipHybridOptions.builder().vectorField("v").queryText("Zorblax").textFields(List.of("title"));
        ProperNounRule rule = new ProperNounRule(nameOnly.build(), List.of("zorblax"));
        assertEquals("the picture side cannot know a name alone", new Weights(0f, 3f), rule.weights());
        rule = new ProperNounRule(nameOnly.properNouns(ClipHybridOptions.ProperNouns.FILTER).build(), List.of("zorblax"));
        assertEquals(new Weights(0f, 1f), rule.weights());
        assertNotNull(rule.filter());
        rule = new ProperNounRule(nameOnly.properNouns(ClipHybridOptions.ProperNouns.OFF).build(), List.of("zorblax"));
        assertEquals(Weights.EQUAL, rule.weights());
        assertEquals(List.of(new WeightedText("Zorblax")), rule.vectorTexts());
    }

    public void testNamesAreLookedForAndTakenOutOfPositiveTextsOnly() {
        ClipHybridOptions options = ClipHybridOptions.builder()
            .vectorField("v")
            .weightedTexts(List.of(new WeightedText("a dog at Zorblax", 2f), new WeightedText("Zorblax crowds", -0.5f)))
            .textFields(List.of("title"))
            .build();
        assertEquals(List.of(new WeightedText("a dog at Zorblax", 2f)), options.positiveTexts());
        ProperNounRule rule = new ProperNounRule(options, List.of("zorblax"));
        // the negative text keeps its words (and its weight): it says what the pictures should not show
        assertEquals(List.of(new WeightedText("a dog at", 2f), new WeightedText("Zorblax crowds", -0.5f)), rule.vectorTexts());
        assertFalse(rule.vectorSideIsNoise());
        ClipHybridOptions nameAndNegative = ClipHybridOptions.builder()
            .vectorField("v")
            .weightedTexts(List.of(new WeightedText("Zorblax"), new WeightedText("crowds", -0.5f)))
            .textFields(List.of("title"))
            .build();
        assertTrue("only a concept to avoid is left: no direction to search", new ProperNounRule(nameAndNegative, List.of("zorblax")).vectorSideIsNoise());
    }

    public void testTheWordsSideSearchesPositiveTextsWithTheirWeightAsBoost() {
        List<String> fields = List.of("title^2", "tags");
        QueryBuilder plain = LexicalQuery.of(List.of(new WeightedText("dog"), new WeightedText("puppy")), fields, null);
        BoolQueryBuilder expected = new BoolQueryBuilder().should(LexicalQuery.textMatch("dog", fields)).should(LexicalQuery.textMatch("puppy", fields));
        assertEquals("unweighted texts build the query they always have", CrossShardRankFusion.filtered(expected, null), plain);
        QueryBuilder weighted = LexicalQuery.of(
            List.of(new WeightedText("dog", 2f), new WeightedText("leash", -0.5f), new WeightedText("puppy")),
            fields,
            null
        );
        BoolQueryBuilder expectedWeighted = new BoolQueryBuilder().should(LexicalQuery.textMatch("dog", fields).boost(2f))
            .should(LexicalQuery.textMatch("puppy", fields));
        assertEquals("the negative text is not searched as words", CrossShardRankFusion.filtered(expectedWeighted, null), weighted);
        assertEquals(CrossShardRankFusion.filtered(LexicalQuery.textMatch("dog", fields), null), LexicalQuery.of(List.of(new WeightedText("dog"), new WeightedText("leash", -1f)), fields, null));
        assertNull(LexicalQuery.of(List.of(new WeightedText("leash", -1f)), fields, null));
    }

    public void testParsesWeightedTexts() throws IOException {
        ClipHybridQueryBuilder b = (ClipHybridQueryBuilder) parse("""
            {"clip_hybrid": {"query_text": ["dog", {"text": "leash", "weight": -0.5}, {"text": "puppy", "weight": 2}, {"text": "pup"}],
             "vector_field": "v", "text_fields": ["title"]}}""");
        assertEquals(List.of("dog", "leash", "puppy", "pup"), b.options().queryTexts());
        assertEquals(List.of(1f, -0.5f, 2f, 1f), b.options().textWeights());
        String json = toXContent(b, JsonXContent.jsonXContent.mediaType(), ToXContent.EMPTY_PARAMS, false).utf8ToString();
        assertTrue(json, json.contains("\"query_text\":[\"dog\",{\"text\":\"leash\",\"weight\":-0.5},{\"text\":\"puppy\",\"weight\":2.0},\"pup\"]"));
        ClipHybridQueryBuilder plain = (ClipHybridQueryBuilder) parse("""
            {"clip_hybrid": {"query_text": ["a dog", "a puppy"], "vector_field": "v"}}""");
        String plainJson = toXContent(plain, JsonXContent.jsonXContent.mediaType(), ToXContent.EMPTY_PARAMS, false).utf8ToString();
        assertTrue("unweighted texts print as they were written: " + plainJson, plainJson.contains("\"query_text\":[\"a dog\",\"a puppy\"]"));
        ClipHybridQueryBuilder one = (ClipHybridQueryBuilder) parse("""
            {"clip_hybrid": {"query_text": [{"text": "dog", "weight": 3}], "vector_field": "v"}}""");
        String oneJson = toXContent(one, JsonXContent.jsonXContent.mediaType(), ToXContent.EMPTY_PARAMS, false).utf8ToString();
        assertEquals(one, parse(oneJson));
        ClipHybridQueryBuilder imageAndNegative = (ClipHybridQueryBuilder) parse("""
            {"clip_hybrid": {"query_text": [{"text": "blurry", "weight": -1}], "query_image": "x.jpg", "vector_field": "v"}}""");
        assertEquals(List.of(), imageAndNegative.options().positiveTexts());
    }

    public void testWeightedTextErrorsNameTheProblem() {
        String start = "{\"clip_hybrid\": {\"vector_field\": \"v\", \"query_text\": ";
        assertParseError(start + "[\"dog\", {\"text\": \"leash\", \"weight\": 0}]}}", "[query_text] [leash] has weight 0.0: a weight must be a non-zero number between -10.0 and 10.0");
        assertParseError(start + "[\"dog\", {\"text\": \"leash\", \"weight\": -10.5}]}}", "[query_text] [leash] has weight -10.5");
        assertParseError(start + "[\"dog\", {\"text\": \"leash\", \"weight\": 11}]}}", "has weight 11.0");
        assertParseError(start + "[\"dog\", {\"text\": \"leash\", \"weight\": 1e39}]}}", "has weight Infinity");
        assertParseError(start + "[\"dog\", {\"text\": \"leash\", \"wieght\": -1}]}}", "[query_text] entry has unknown key [wieght]");
        assertParseError(start + "[{\"weight\": 2}]}}", "[query_text] entry needs a [text]");
        assertParseError(start + "[{\"text\": \"dog\", \"weight\": \"high\"}]}}", "[query_text] entry's [weight] must be a number");
        assertParseError(start + "[{\"text\": 5}]}}", "[query_text] entry's [text] must be a string");
        assertParseError(start + "{\"text\": \"dog\"}}}", "put the object in an array");
        assertParseError(start + "[{\"text\": \" \", \"weight\": 2}]}}", "[query_text] must not be empty");
        assertParseError(start + "[{\"text\": \"leash\", \"weight\": -1}]}}", "[query_text] has only negative weights");
        assertParseError(start + "[{\"text\": \"leash\", \"weight\": -1}, {\"text\": \"grass\", \"weight\": -2}], \"query_vector\": [1, 0]}}",
            "[query_vector] is searched as given");
        assertParseError(start + "[\"dog\", {\"text\": \"leash\", \"weight\": -1}], \"query_vector\": [1, 0]}}", "[query_vector] is searched as given");
        assertParseError(start + "[{\"text\": \"blurry\", \"weight\": -1}], \"query_image\": \"x.jpg\", \"text_fields\": [\"title\"]}}",
            "[text_fields] need a [query_text] with a positive weight");
        String texts = "[" + String.join(",", Collections.nCopies(ClipHybridOptions.MAX_QUERY_TEXTS + 1, "{\"text\": \"dog\", \"weight\": 2}")) + "]";
        assertParseError(start + texts + "}}", "[query_text] has 17 texts, more than the limit of 16");
        String longText = "a".repeat(InferenceService.MAX_TEXT_CHARS + 1);
        assertParseError(start + "[{\"text\": \"" + longText + "\", \"weight\": 2}]}}", "[query_text] of 2049 characters");
    }

    public void testAnUnencodedQueryCannotBeSent() {
        ClipHybridQueryBuilder pending = new ClipHybridQueryBuilder(ClipHybridOptions.builder().vectorField("v").queryText("dog").build(), VECTORS);
        // the builder a coordinator holds while the text is being encoded must never reach a shard
        org.opensearch.index.query.QueryRewriteContext context = new org.opensearch.index.query.BaseQueryRewriteContext(
            xContentRegistry(),
            writeables(),
            null,
            () -> 0L
        );
        try {
            QueryBuilder rewritten = pending.rewrite(context);
            IllegalStateException e = expectThrows(
                IllegalStateException.class,
                () -> copyNamedWriteable(rewritten, writeables(), QueryBuilder.class)
            );
            assertTrue(e.getMessage(), e.getMessage().contains("must be rewritten"));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private void assertParseError(String json, String fragment) {
        Exception e = expectThrows(Exception.class, () -> parse(json));
        Throwable t = e;
        StringBuilder messages = new StringBuilder();
        while (t != null) {
            messages.append(t.getMessage()).append(" | ");
            t = t.getCause();
        }
        assertTrue(messages.toString(), messages.toString().contains(fragment));
        assertTrue(e.toString(), e instanceof ParsingException || e instanceof IllegalArgumentException);
    }

    private QueryBuilder parse(String json) throws IOException {
        try (XContentParser parser = createParser(JsonXContent.jsonXContent, json)) {
            return AbstractQueryBuilder.parseInnerQueryBuilder(parser);
        }
    }
}
