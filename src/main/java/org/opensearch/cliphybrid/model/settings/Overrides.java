package org.opensearch.cliphybrid.model.settings;

import org.opensearch.cliphybrid.model.ScoreFunction;
import org.opensearch.common.settings.Settings;

/**
 * What the {@code plugins.clip.models.<model>.*} settings set for one model; null where unset.
 *
 * @param band both sides or null (they are set as a pair)
 * @param scoreFunction null: unset
 * @param logitScale NaN: unset
 * @param logitBias NaN: unset
 * @param language null: unset
 */
public record Overrides(
    float[] band,
    String promptTemplate,
    ModelSettings.ScoreFunctionKind scoreFunction,
    double logitScale,
    double logitBias,
    String language
) {
    public static final Overrides NONE = new Overrides(null, null, null, Double.NaN, Double.NaN, null);

    /** CLIP's softmax multiplier where neither a setting nor the folder states one, as {@code ModelFolder} assumes. */
    static final double CLIP_LOGIT_SCALE = 100;

    /** What {@code settings} set for {@code model}; none for a name that cannot carry settings (a registered name with a dot). */
    public static Overrides forModel(Settings settings, String model) {
        if (model == null || model.isEmpty()) {
            return NONE;
        }
        try {
            ModelSettings.checkModelName("model", model);
        } catch (IllegalArgumentException e) {
            return NONE;
        }
        return of(settings, model);
    }

    public static Overrides of(Settings settings, String model) {
        float low = ModelSettings.COSINE_LOW.getConcreteSettingForNamespace(model).get(settings);
        float high = ModelSettings.COSINE_HIGH.getConcreteSettingForNamespace(model).get(settings);
        String template = ModelSettings.PROMPT_TEMPLATE.getConcreteSettingForNamespace(model).get(settings);
        String score = ModelSettings.SCORE_FUNCTION.getConcreteSettingForNamespace(model).get(settings);
        String language = ModelSettings.LANGUAGE.getConcreteSettingForNamespace(model).get(settings);
        return new Overrides(
            Float.isNaN(low) || Float.isNaN(high) ? null : new float[] { low, high },
            template.isEmpty() ? null : template,
            score.isEmpty() ? null : ModelSettings.ScoreFunctionKind.parse(ModelSettings.key(model, ModelSettings.SCORE_FUNCTION_KEY), score),
            ModelSettings.LOGIT_SCALE.getConcreteSettingForNamespace(model).get(settings),
            ModelSettings.LOGIT_BIAS.getConcreteSettingForNamespace(model).get(settings),
            language.isEmpty() ? null : language
        );
    }

    boolean scoreFunctionSet() {
        return scoreFunction != null;
    }

    public ModelSettings.ScoreFunctionKind scoreFunctionKind() {
        return scoreFunction;
    }

    /** The score function the settings choose, else the folder's (null: neither gives one). */
    public ScoreFunction scoreFunction(ScoreFunction folder) {
        if (scoreFunction == null) {
            return folder;
        }
        return switch (scoreFunction) {
            case SOFTMAX -> new ScoreFunction.Softmax(
                Double.isNaN(logitScale) ? (folder instanceof ScoreFunction.Softmax s ? s.scale() : CLIP_LOGIT_SCALE) : logitScale
            );
            // the validator refuses sigmoid without both numbers
            case SIGMOID -> new ScoreFunction.Sigmoid(logitScale, logitBias);
        };
    }
}
