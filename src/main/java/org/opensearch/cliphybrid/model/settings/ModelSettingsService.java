package org.opensearch.cliphybrid.model.settings;

import org.opensearch.cliphybrid.model.ClipModel;
import org.opensearch.common.settings.ClusterSettings;
import org.opensearch.common.settings.Settings;

import java.util.List;

/**
 * The node's current per-model settings: a snapshot of the {@code plugins.clip.models.*} keys, replaced whenever the cluster
 * state changes them, so that a query reads its model's values without a look-up.
 */
public final class ModelSettingsService {
    private volatile Settings current;

    public ModelSettingsService(Settings nodeSettings, ClusterSettings clusterSettings) {
        current = filter(nodeSettings);
        clusterSettings.addSettingsUpdateConsumer(settings -> current = filter(settings), ModelSettings.all());
    }

    /** For tests and tools: a fixed set of settings. */
    public ModelSettingsService(Settings settings) {
        current = filter(settings);
    }

    private static Settings filter(Settings settings) {
        return settings.filter(key -> key.startsWith(ModelSettings.PREFIX));
    }

    /** What the settings set for {@code model}; none for a name that cannot carry settings. */
    public Overrides overrides(String model) {
        return Overrides.forModel(current, model);
    }

    /** The model's band by precedence: its setting, else {@code folderBand}, else null (the caller's default). */
    public float[] band(String model, float[] folderBand) {
        float[] set = overrides(model).band();
        return set != null ? set : folderBand;
    }

    /** The language an NLLB text tower reads texts in when a request names none: the model's setting, else null. */
    public String language(String model) {
        return overrides(model).language();
    }

    public EffectiveSettings effective(String model, ClipModel loaded, float[] nodeBand, boolean quantized) {
        return EffectiveSettings.resolve(
            model,
            overrides(model),
            loaded == null ? null : loaded.cosineBand(),
            loaded == null ? null : loaded.folder().scoreFunction(),
            nodeBand,
            quantized
        );
    }
}
