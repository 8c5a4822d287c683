package org.opensearch.cliphybrid.model.settings;

import org.opensearch.cliphybrid.model.ScoreFunction;
import org.opensearch.core.xcontent.ToXContentObject;
import org.opensearch.core.xcontent.XContentBuilder;

import java.io.IOException;

/**
 * One model's settings as queries use them, each with where it came from: an explicit per-model setting beats the model
 * folder's own value, which beats the node-wide default.
 *
 * @param band {cosine_low, cosine_high}
 * @param promptTemplate null: the query text is encoded as it is
 * @param scoreFunction null: the model needs logit numbers that neither a setting nor its folder gives (SigLIP split towers)
 * @param language null: texts go in the tokenizer's own default language (only NLLB towers read one)
 */
public record EffectiveSettings(
    String model,
    float[] band,
    Source bandSource,
    String promptTemplate,
    Source promptTemplateSource,
    ScoreFunction scoreFunction,
    Source scoreFunctionSource,
    String language,
    boolean quantized
) implements ToXContentObject {

    /** Resolves a model's values: {@code overrides} from its settings, then its folder's, then the node's. */
    public static EffectiveSettings resolve(
        String model,
        Overrides overrides,
        float[] folderBand,
        ScoreFunction folderScore,
        float[] nodeBand,
        boolean quantized
    ) {
        float[] band;
        Source bandSource;
        if (overrides.band() != null) {
            band = overrides.band();
            bandSource = Source.SETTING;
        } else if (folderBand != null) {
            band = folderBand;
            bandSource = Source.FOLDER;
        } else {
            band = nodeBand;
            bandSource = Source.DEFAULT;
        }
        String template = overrides.promptTemplate();
        ScoreFunction score = overrides.scoreFunction(folderScore);
        Source scoreSource = overrides.scoreFunctionSet() ? Source.SETTING : folderScore != null ? Source.FOLDER : Source.DEFAULT;
        return new EffectiveSettings(
            model,
            band.clone(),
            bandSource,
            template,
            template == null ? Source.DEFAULT : Source.SETTING,
            score,
            scoreSource,
            overrides.language(),
            quantized
        );
    }

    @Override
    public XContentBuilder toXContent(XContentBuilder builder, Params params) throws IOException {
        builder.startObject();
        builder.field("model", model);
        builder.startObject("settings");
        value(builder, ModelSettings.COSINE_LOW_KEY, band[0], bandSource);
        value(builder, ModelSettings.COSINE_HIGH_KEY, band[1], bandSource);
        value(builder, ModelSettings.PROMPT_TEMPLATE_KEY, promptTemplate, promptTemplateSource);
        builder.startObject(ModelSettings.SCORE_FUNCTION_KEY).field("source", scoreFunctionSource.key());
        if (scoreFunction instanceof ScoreFunction.Softmax softmax) {
            builder.field("value", ModelSettings.ScoreFunctionKind.SOFTMAX.key()).field(ModelSettings.LOGIT_SCALE_KEY, softmax.scale());
        } else if (scoreFunction instanceof ScoreFunction.Sigmoid sigmoid) {
            builder.field("value", ModelSettings.ScoreFunctionKind.SIGMOID.key())
                .field(ModelSettings.LOGIT_SCALE_KEY, sigmoid.logScale())
                .field(ModelSettings.LOGIT_BIAS_KEY, sigmoid.bias());
        } else {
            builder.nullField("value");
        }
        builder.endObject();
        value(builder, ModelSettings.LANGUAGE_KEY, language, language == null ? Source.DEFAULT : Source.SETTING);
        // the registry reads plugins.clip.model.quantized when it loads a model, for every model alike (see README)
        builder.startObject("quantized").field("value", quantized).field("source", "node").endObject();
        builder.endObject();
        return builder.endObject();
    }

    private static void value(XContentBuilder builder, String name, Object value, Source source) throws IOException {
        builder.startObject(name).field("value", value).field("source", source.key()).endObject();
    }
}
