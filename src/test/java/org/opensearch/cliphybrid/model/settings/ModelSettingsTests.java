package org.opensearch.cliphybrid.model.settings;

import org.opensearch.cliphybrid.ClipSettings;
import org.opensearch.cliphybrid.model.ScoreFunction;
import org.opensearch.common.settings.ClusterSettings;
import org.opensearch.common.settings.Settings;
import org.opensearch.test.OpenSearchTestCase;

import java.util.Set;

/** The per-model settings as a node registers them: validation on put, the live snapshot, and precedence. */
public class ModelSettingsTests extends OpenSearchTestCase {
    private final ClusterSettings cluster = new ClusterSettings(Settings.EMPTY, Set.copyOf(ClipSettings.all()));

    private void valid(Settings settings) {
        cluster.validate(settings, true);
    }

    private String invalid(Settings settings) {
        return expectThrows(IllegalArgumentException.class, () -> valid(settings)).getMessage();
    }

    private static Settings.Builder band(String model, String low, String high) {
        Settings.Builder b = Settings.builder();
        if (low != null) {
            b.put(ModelSettings.key(model, "cosine_low"), low);
        }
        if (high != null) {
            b.put(ModelSettings.key(model, "cosine_high"), high);
        }
        return b;
    }

    public void testABandInRangeAndInOrderIsAccepted() {
        valid(band("mini-clip", "0.1", "0.3").build());
        valid(band("default", "-1", "1").build());
    }

    public void testABandOutsideMinusOneToOneIsRefused() {
        String message = invalid(band("mini-clip", "-1.5", "0.3").build());
        assertTrue(message, message.contains("plugins.clip.models.mini-clip.cosine_low") && message.contains("-1.5"));
        message = invalid(band("mini-clip", "0.1", "1.2").build());
        assertTrue(message, message.contains("plugins.clip.models.mini-clip.cosine_high"));
    }

    public void testAnEmptyOrReversedBandIsRefused() {
        String message = invalid(band("mini-clip", "0.3", "0.1").build());
        assertTrue(message, message.contains("cosine_low < cosine_high") && message.contains("0.3") && message.contains("0.1"));
        message = invalid(band("mini-clip", "0.2", "0.2").build());
        assertTrue(message, message.contains("cosine_low < cosine_high"));
    }

    public void testOneSideAloneIsRefused() {
        String message = invalid(band("mini-clip", "0.1", null).build());
        assertTrue(message, message.contains("needs [plugins.clip.models.mini-clip.cosine_high] set with it"));
    }

    public void testTheTemplateNeedsItsPlaceholderAndFitsTheLimit() {
        valid(Settings.builder().put(ModelSettings.key("m", "prompt_template"), "a photo of {}").build());
        String message = invalid(Settings.builder().put(ModelSettings.key("m", "prompt_template"), "a photo").build());
        assertTrue(message, message.contains("plugins.clip.models.m.prompt_template") && message.contains("{}"));
        message = invalid(Settings.builder().put(ModelSettings.key("m", "prompt_template"), "{}" + "x".repeat(300)).build());
        assertTrue(message, message.contains("limit of 256"));
    }

    public void testTheLanguageIsAFloresCodeAndTheTextsDefault() {
        valid(Settings.builder().put(ModelSettings.key("m", "language"), "deu_Latn").build());
        String message = invalid(Settings.builder().put(ModelSettings.key("m", "language"), "de").build());
        assertTrue(message, message.contains("[plugins.clip.models.m.language] must be a FLORES-200 code"));
        ModelSettingsService service = new ModelSettingsService(Settings.builder().put(ModelSettings.key("m", "language"), "zho_Hans").build());
        assertEquals("zho_Hans", service.language("m"));
        assertNull(service.language("other"));
        assertNull("a name that cannot carry settings has none", service.language("my.model"));
    }

    public void testTheScoreFunctionIsNamedAndSigmoidNeedsItsNumbers() {
        valid(Settings.builder().put(ModelSettings.key("m", "score_function"), "softmax").build());
        valid(
            Settings.builder()
                .put(ModelSettings.key("m", "score_function"), "sigmoid")
                .put(ModelSettings.key("m", "logit_scale"), 4.7)
                .put(ModelSettings.key("m", "logit_bias"), -16.5)
                .build()
        );
        String message = invalid(Settings.builder().put(ModelSettings.key("m", "score_function"), "tanh").build());
        assertTrue(message, message.contains("[softmax] or [sigmoid]") && message.contains("tanh"));
        message = invalid(Settings.builder().put(ModelSettings.key("m", "score_function"), "sigmoid").build());
        assertTrue(message, message.contains("plugins.clip.models.m.logit_bias"));
        message = invalid(
            Settings.builder().put(ModelSettings.key("m", "score_function"), "softmax").put(ModelSettings.key("m", "logit_scale"), -2).build()
        );
        assertTrue(message, message.contains("> 0"));
    }

    public void testTheSnapshotFollowsTheClusterSettings() {
        ModelSettingsService service = new ModelSettingsService(Settings.EMPTY, cluster);
        assertNull(service.band("mini-clip", null));
        cluster.applySettings(band("mini-clip", "0.12", "0.34").build());
        assertArrayEquals(new float[] { 0.12f, 0.34f }, service.band("mini-clip", new float[] { 0f, 0.5f }), 0f);
        assertNull("another model's settings are not this one's", service.band("other", null));
        cluster.applySettings(Settings.EMPTY);
        assertArrayEquals("reset: the folder's band again", new float[] { 0f, 0.5f }, service.band("mini-clip", new float[] { 0f, 0.5f }), 0f);
    }

    public void testAnExplicitSettingBeatsTheFolderWhichBeatsTheDefault() {
        float[] node = { 0.15f, 0.35f }, folder = { 0.05f, 0.25f };
        Overrides set = Overrides.of(band("m", "0.2", "0.4").build(), "m");
        EffectiveSettings fromSetting = EffectiveSettings.resolve("m", set, folder, null, node, false);
        assertArrayEquals(new float[] { 0.2f, 0.4f }, fromSetting.band(), 0f);
        assertEquals(Source.SETTING, fromSetting.bandSource());
        EffectiveSettings fromFolder = EffectiveSettings.resolve("m", Overrides.NONE, folder, null, node, false);
        assertArrayEquals(folder, fromFolder.band(), 0f);
        assertEquals(Source.FOLDER, fromFolder.bandSource());
        EffectiveSettings fromNode = EffectiveSettings.resolve("m", Overrides.NONE, null, null, node, false);
        assertArrayEquals(node, fromNode.band(), 0f);
        assertEquals(Source.DEFAULT, fromNode.bandSource());
    }

    public void testTheScoreFunctionSettingBeatsTheFolders() {
        ScoreFunction folder = new ScoreFunction.Softmax(50);
        Settings sigmoid = Settings.builder()
            .put(ModelSettings.key("m", "score_function"), "sigmoid")
            .put(ModelSettings.key("m", "logit_scale"), 4.7)
            .put(ModelSettings.key("m", "logit_bias"), -16.5)
            .build();
        EffectiveSettings set = EffectiveSettings.resolve("m", Overrides.of(sigmoid, "m"), null, folder, new float[] { 0, 1 }, false);
        assertEquals(new ScoreFunction.Sigmoid(4.7, -16.5), set.scoreFunction());
        assertEquals(Source.SETTING, set.scoreFunctionSource());
        // softmax without a scale keeps the folder's multiplier
        Overrides softmax = Overrides.of(Settings.builder().put(ModelSettings.key("m", "score_function"), "softmax").build(), "m");
        assertEquals(new ScoreFunction.Softmax(50), softmax.scoreFunction(folder));
        assertEquals(new ScoreFunction.Softmax(100), softmax.scoreFunction(null));
        EffectiveSettings none = EffectiveSettings.resolve("m", Overrides.NONE, null, folder, new float[] { 0, 1 }, false);
        assertSame(folder, none.scoreFunction());
        assertEquals(Source.FOLDER, none.scoreFunctionSource());
    }

    public void testTheTemplateSettingIsTheQuerysDefault() {
        ModelSettingsService service = new ModelSettingsService(
            Settings.builder().put(ModelSettings.key("m", "prompt_template"), "a photo of {}").build()
        );
        assertEquals("a photo of {}", service.overrides("m").promptTemplate());
        assertNull(service.overrides("other").promptTemplate());
    }

    public void testAModelNameThatCannotBeANamespaceIsRefusedByName() {
        String message = expectThrows(IllegalArgumentException.class, () -> ModelSettings.checkModelName("name", "a.b")).getMessage();
        assertTrue(message, message.contains("[name]") && message.contains("a.b"));
        assertSame(Overrides.NONE, new ModelSettingsService(Settings.EMPTY).overrides("a.b"));
    }
}
