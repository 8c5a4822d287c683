package org.opensearch.cliphybrid.query;

import org.opensearch.cliphybrid.ClipHybridPlugin;
import org.opensearch.cliphybrid.query.ClipHybridOptions.Fusion;
import org.opensearch.cliphybrid.query.ClipHybridOptions.ProperNouns;
import org.opensearch.cliphybrid.query.fusion.Normalization;
import org.opensearch.cliphybrid.query.fusion.RankFusion;
import org.opensearch.cliphybrid.query.fusion.Weights;
import org.opensearch.common.io.stream.BytesStreamOutput;
import org.opensearch.common.settings.Settings;
import org.opensearch.common.xcontent.json.JsonXContent;
import org.opensearch.core.common.io.stream.NamedWriteableAwareStreamInput;
import org.opensearch.core.common.io.stream.NamedWriteableRegistry;
import org.opensearch.core.common.io.stream.StreamInput;
import org.opensearch.core.xcontent.NamedXContentRegistry;
import org.opensearch.core.xcontent.XContentBuilder;
import org.opensearch.core.xcontent.XContentParser;
import org.opensearch.index.query.QueryBuilders;
import org.opensearch.search.SearchModule;
import org.opensearch.test.OpenSearchTestCase;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Random valid options, each option drawn on its own (up to its limits), through the DSL and the wire: what comes back equals
 * what went in. And the limits hold however the options are made, not only when parsed.
 */
public class ClipHybridOptionsTests extends OpenSearchTestCase {
    private final SearchModule search = new SearchModule(Settings.EMPTY, List.of(new ClipHybridPlugin(Settings.EMPTY)));

    @Override
    protected NamedXContentRegistry xContentRegistry() {
        return new NamedXContentRegistry(search.getNamedXContents());
    }

    static ClipHybridOptions randomOptions() {
        ClipHybridOptionsBuilder b = ClipHybridOptions.builder().vectorField(randomAlphaOfLengthBetween(1, 12));
        if (randomBoolean()) {
            List<String> texts = new ArrayList<>();
            for (int i = randomIntBetween(1, ClipHybridOptions.MAX_QUERY_TEXTS); i > 0; i--) {
                texts.add(randomAlphaOfLengthBetween(1, 6) + " " + randomUnicodeOfLengthBetween(0, 20).replace('\u0000', 'x') + "x");
            }
            if (randomBoolean()) {
                b.queryTexts(texts);
            } else {
                // the first weight positive, so that there is something to search towards
                List<WeightedText> weighted = new ArrayList<>();
                for (String text : texts) {
                    weighted.add(new WeightedText(text, randomTextWeight(weighted.isEmpty())));
                }
                b.weightedTexts(weighted);
            }
            if (randomBoolean()) {
                List<String> fields = new ArrayList<>();
                for (int i = randomIntBetween(1, 8); i > 0; i--) {
                    fields.add(randomAlphaOfLength(5) + (randomBoolean() ? "" : "^" + randomIntBetween(1, 5)));
                }
                b.textFields(fields);
            }
            if (randomBoolean()) {
                b.promptTemplate(randomAlphaOfLengthBetween(0, 20) + " {} " + randomAlphaOfLengthBetween(0, 20));
            }
            if (randomBoolean()) {
                b.language(randomFrom("eng_Latn", "deu_Latn", "zho_Hans", "arb_Arab"));
            }
        }
        switch (randomIntBetween(0, 2)) {
            case 0 -> b.queryImage(randomBoolean() ? "https://example.org/" + randomAlphaOfLength(6) + ".png" : randomAlphaOfLength(80));
            case 1 -> b.queryDocument(new QueryEncoder.DocumentRef(randomAlphaOfLength(4), randomAlphaOfLength(6)));
            default -> {
            }
        }
        boolean negative = b.textWeights != null && b.textWeights.stream().anyMatch(w -> w < 0);
        if ((randomBoolean() && negative == false) || (b.queryTexts.isEmpty() && b.queryImage == null && b.queryDocument == null)) {
            float[] v = new float[randomIntBetween(1, 64)];
            for (int i = 0; i < v.length; i++) {
                v[i] = randomFloat() * 2 - 1;
            }
            b.queryVector(v);
        }
        b.fusion(randomFrom(Fusion.values()));
        switch (b.fusion) {
            case RRF -> {
                if (randomBoolean()) {
                    b.rankConstant(randomIntBetween(1, 1000));
                }
            }
            case LINEAR -> {
                if (randomBoolean()) {
                    b.normalization(randomFrom(Normalization.values()));
                }
            }
            case CALIBRATED -> {
                switch (randomIntBetween(0, 3)) {
                    case 0 -> b.cosineBand(randomFloat() * 0.2f, 0.3f + randomFloat() * 0.5f);
                    case 1 -> b.cosineBand(randomFloat() * 0.2f, null);
                    case 2 -> b.cosineBand(null, 0.3f + randomFloat() * 0.5f);
                    default -> {
                    }
                }
                if (randomBoolean()) {
                    b.textFloor(randomFloat());
                }
            }
        }
        if (randomBoolean()) {
            b.weights(randomBoolean() ? new Weights(0f, randomFloat() + 0.1f) : new Weights(randomFloat() * 5 + 0.1f, randomFloat() * 5));
        }
        if (randomBoolean()) {
            b.k(randomBoolean() ? ClipHybridOptions.MAX_K : randomIntBetween(1, 1000));
        }
        if (b.fusion != Fusion.CALIBRATED && randomBoolean()) {
            b.windowSize(randomIntBetween(1, ClipHybridOptions.MAX_K));
        }
        if (randomBoolean()) {
            b.efSearch(randomIntBetween(1, ClipHybridOptions.MAX_K));
        }
        if (randomBoolean()) {
            b.minScore(randomBoolean() ? -randomFloat() : randomFloat() * 3);
        }
        if (randomBoolean()) {
            b.model(randomAlphaOfLengthBetween(1, 10));
        }
        if (randomBoolean()) {
            b.filter(randomBoolean() ? QueryBuilders.termQuery("tags", randomAlphaOfLength(4)) : QueryBuilders.rangeQuery("year").gte(2000));
        }
        if (randomBoolean()) {
            b.properNouns(randomFrom(ProperNouns.values()));
        }
        if (randomBoolean()) {
            b.foldDuplicates(new ClipHybridOptions.FoldDuplicates(
                randomBoolean() ? 1f : Math.max(Float.MIN_VALUE, randomFloat()),
                randomBoolean() ? ClipHybridOptions.MAX_FOLD_WINDOW : randomIntBetween(1, ClipHybridOptions.MAX_FOLD_WINDOW)
            ));
        }
        ClipHybridOptions options = b.build();
        options.checkComplete();
        return options;
    }

    /** 1 half the time (a plain string in the DSL), else anything allowed, the limits included. */
    private static float randomTextWeight(boolean positive) {
        float weight = switch (randomIntBetween(0, 5)) {
            case 0, 1, 2 -> 1f;
            case 3 -> ClipHybridOptions.MAX_TEXT_WEIGHT;
            default -> 0.001f + randomFloat() * (ClipHybridOptions.MAX_TEXT_WEIGHT - 0.001f);
        };
        return positive || randomBoolean() ? weight : -weight;
    }

    public void testEveryOptionSurvivesTheDsl() throws IOException {
        for (int i = 0; i < 200; i++) {
            ClipHybridOptions original = randomOptions();
            XContentBuilder json = JsonXContent.contentBuilder().startObject();
            ClipHybridQueryParser.toXContent(json, original);
            json.endObject();
            String text = json.toString();
            try (XContentParser parser = createParser(JsonXContent.jsonXContent, text)) {
                parser.nextToken();
                ClipHybridOptions parsed = ClipHybridQueryParser.fromXContent(parser, null).options();
                assertEquals(text, original, parsed);
                assertEquals(text, original.hashCode(), parsed.hashCode());
            }
        }
    }

    public void testEveryOptionSurvivesTheWire() throws IOException {
        NamedWriteableRegistry registry = new NamedWriteableRegistry(search.getNamedWriteables());
        for (int i = 0; i < 200; i++) {
            ClipHybridOptions original = randomOptions();
            try (BytesStreamOutput out = new BytesStreamOutput()) {
                ClipHybridQueryParser.writeOptions(out, original);
                try (StreamInput in = new NamedWriteableAwareStreamInput(out.bytes().streamInput(), registry)) {
                    ClipHybridOptions read = ClipHybridQueryParser.readOptions(in);
                    assertEquals(original, read);
                    assertEquals(0, in.available());
                }
            }
        }
    }

    public void testTheLimitsHoldHoweverTheOptionsAreMade() {
        ClipHybridOptions valid = ClipHybridOptions.builder().vectorField("v").queryText("dog").build();
        List<String> tooManyTexts = Collections.nCopies(ClipHybridOptions.MAX_QUERY_TEXTS + 1, "dog");
        assertLimit(() -> valid.toBuilder().queryTexts(tooManyTexts), "[query_text] has 17 texts, more than the limit of 16");
        assertLimit(() -> new ClipHybridOptions(tooManyTexts, null, null, null, null, null, null, "v", List.of(), Fusion.CALIBRATED, Weights.EQUAL,
            Normalization.MIN_MAX, RankFusion.DEFAULT_RANK_CONSTANT, null, null, null, 10, null, null, Float.NEGATIVE_INFINITY, null, null,
            ProperNouns.BOOST, null, null), "[query_text] has 17 texts");
        List<String> tooManyFields = Collections.nCopies(ClipHybridOptions.MAX_TEXT_FIELDS + 1, "t");
        assertLimit(() -> valid.toBuilder().textFields(tooManyFields), "[text_fields] has 65 fields, more than the limit of 64");
        assertLimit(() -> valid.toBuilder().queryVector(new float[ClipHybridOptions.MAX_DIMENSION + 1]), "[query_vector] has 16001 dimensions");
        String template = "{}" + "x".repeat(ClipHybridOptions.MAX_PROMPT_TEMPLATE_CHARS);
        assertLimit(() -> valid.toBuilder().promptTemplate(template), "[prompt_template] has 258 characters");
        assertLimit(() -> valid.toBuilder().language("german").build(), "[clip_hybrid] [language] must be a FLORES-200 code");
        assertLimit(() -> valid.toBuilder().k(ClipHybridOptions.MAX_K + 1), "[k] must be between 1 and 10000, got 10001");
        assertLimit(() -> valid.toBuilder().windowSize(0), "[window_size] must be between 1 and 10000, got 0");
        assertLimit(() -> valid.toBuilder().efSearch(-1), "[ef_search] must be between 1 and 10000, got -1");
        assertLimit(() -> valid.toBuilder().minScore(Float.NaN), "[min_score] must be a number");
        assertLimit(() -> valid.toBuilder().rankConstant(0), "[rank_constant] must be at least 1, got 0");
        assertEquals(ClipHybridOptions.MAX_K, valid.toBuilder().k(ClipHybridOptions.MAX_K).build().k());
        assertLimit(() -> valid.toBuilder().weightedTexts(List.of(new WeightedText("dog", Float.NaN))), "[query_text] [dog] has weight NaN");
        assertLimit(() -> valid.toBuilder().weightedTexts(List.of(new WeightedText("dog", -0f))), "has weight -0.0");
        assertLimit(() -> valid.toBuilder().weightedTexts(List.of(new WeightedText("dog", 10.01f))), "between -10.0 and 10.0");
        assertLimit(() -> new ClipHybridOptions(List.of("dog"), List.of(1f, 2f), null, null, null, null, null, "v", List.of(), Fusion.CALIBRATED,
            Weights.EQUAL, Normalization.MIN_MAX, RankFusion.DEFAULT_RANK_CONSTANT, null, null, null, 10, null, null, Float.NEGATIVE_INFINITY,
            null, null, ProperNouns.BOOST, null, null), "[query_text] has 1 texts but 2 weights");
        assertLimit(() -> new ClipHybridOptions(List.of("dog"), List.of(0f), null, null, null, null, null, "v", List.of(), Fusion.CALIBRATED,
            Weights.EQUAL, Normalization.MIN_MAX, RankFusion.DEFAULT_RANK_CONSTANT, null, null, null, 10, null, null, Float.NEGATIVE_INFINITY,
            null, null, ProperNouns.BOOST, null, null), "[query_text] [dog] has weight 0.0");
        assertEquals(List.of(-10f), valid.toBuilder().weightedTexts(List.of(new WeightedText("dog", -10f))).build().textWeights());
        assertEquals("plain texts weigh 1", List.of(1f), valid.textWeights());
        assertEquals("plain texts replace weighted ones with their weights", List.of(1f),
            valid.toBuilder().weightedTexts(List.of(new WeightedText("dog", 3f))).queryTexts(List.of("cat")).build().textWeights());
        assertLimit(() -> new ClipHybridOptions.FoldDuplicates(0f, 10), "[fold_duplicates.cosine] must be in (0, 1], got 0.0");
        assertLimit(() -> new ClipHybridOptions.FoldDuplicates(1.01f, 10), "[fold_duplicates.cosine] must be in (0, 1], got 1.01");
        assertLimit(() -> new ClipHybridOptions.FoldDuplicates(Float.NaN, 10), "[fold_duplicates.cosine] must be in (0, 1], got NaN");
        assertLimit(() -> new ClipHybridOptions.FoldDuplicates(0.9f, 0), "[fold_duplicates.window] must be between 1 and 1000, got 0");
        assertLimit(() -> new ClipHybridOptions.FoldDuplicates(0.9f, ClipHybridOptions.MAX_FOLD_WINDOW + 1), "got 1001");
        assertNull("folding is what makes the fold's own search, which must not fold again",
            valid.toBuilder().foldDuplicates(ClipHybridOptions.FoldDuplicates.DEFAULT).build().withoutFolding().foldDuplicates());
    }

    public void testModeOptionsAndWholeRequestChecks() {
        assertLimit(() -> ClipHybridOptions.checkModeOption("rank_constant", Fusion.RRF, Fusion.LINEAR),
            "[clip_hybrid] [rank_constant] applies to fusion [rrf], not [linear]");
        ClipHybridOptions.checkModeOption("normalization", Fusion.LINEAR, Fusion.LINEAR);
        assertLimit(() -> ClipHybridOptions.builder().queryText("d").build().checkComplete(), "requires [vector_field]");
        assertLimit(() -> ClipHybridOptions.builder().vectorField("v").queryText("d").windowSize(5).build().checkComplete(),
            "[window_size] applies to the rank modes");
        assertLimit(() -> ClipHybridOptions.builder().vectorField("v").build().checkComplete(), "requires a non-empty [query_text]");
    }

    private static void assertLimit(ThrowingRunnable make, String fragment) {
        IllegalArgumentException e = expectThrows(IllegalArgumentException.class, make);
        assertTrue(e.getMessage(), e.getMessage().contains(fragment));
    }
}
