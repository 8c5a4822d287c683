package org.opensearch.cliphybrid.model.settings;

import org.opensearch.cliphybrid.model.text.LanguageCode;
import org.opensearch.cliphybrid.query.ClipHybridOptions;
import org.opensearch.common.settings.Setting;
import org.opensearch.common.settings.Setting.Property;
import org.opensearch.common.settings.Settings;

import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Per-model settings, {@code plugins.clip.models.<model>.<key>}, dynamic and persisted in the cluster state through
 * {@code _cluster/settings}.
 * <p>
 * Why affix settings and not a document per model in a system index: the values are a few numbers that every query on the
 * model reads on the coordinating node and the shards, synchronously; the cluster state is on every node already, so a read
 * costs a map look-up and no search, there is nothing to cache or invalidate, and OpenSearch validates each value when it is
 * put, refusing a bad band before it reaches a query. Setting them needs {@code cluster:admin/settings/update}, as other
 * cluster-wide tuning does.
 * <p>
 * The prefix is {@code plugins.clip.models.} (plural) because {@code plugins.clip.model.default} is a setting already and a
 * model folder is often called {@code default}: {@code plugins.clip.model.default.cosine_low} would make one key both a value
 * and an object in the settings' JSON.
 */
public final class ModelSettings {
    private ModelSettings() {}

    public static final String PREFIX = "plugins.clip.models.";
    public static final String COSINE_LOW_KEY = "cosine_low", COSINE_HIGH_KEY = "cosine_high", PROMPT_TEMPLATE_KEY = "prompt_template",
        SCORE_FUNCTION_KEY = "score_function", LOGIT_SCALE_KEY = "logit_scale", LOGIT_BIAS_KEY = "logit_bias", LANGUAGE_KEY = "language";
    /** What a settings namespace may hold (OpenSearch's affix keys take letters, digits, {@code _} and {@code -}). */
    private static final Pattern NAME = Pattern.compile("[-\\w]+");

    /** Unset: the float settings' default, never a valid value. */
    static final float UNSET = Float.NaN;

    public static final Setting.AffixSetting<Float> COSINE_LOW = Setting.affixKeySetting(
        PREFIX,
        COSINE_LOW_KEY,
        key -> band(key, COSINE_HIGH_KEY, true)
    );
    public static final Setting.AffixSetting<Float> COSINE_HIGH = Setting.affixKeySetting(
        PREFIX,
        COSINE_HIGH_KEY,
        key -> band(key, COSINE_LOW_KEY, false)
    );

    /** The prompt template clip_hybrid puts a query text into when the request gives none. */
    public static final Setting.AffixSetting<String> PROMPT_TEMPLATE = Setting.affixKeySetting(
        PREFIX,
        PROMPT_TEMPLATE_KEY,
        key -> Setting.simpleString(key, value -> checkTemplate(key, value), Property.NodeScope, Property.Dynamic)
    );

    /**
     * The FLORES-200 code an NLLB text tower reads query texts and labels in when a request gives none. Only the form is
     * checked here: whether the model's tokenizer knows the code is checked where a text is encoded, on the node that has it.
     */
    public static final Setting.AffixSetting<String> LANGUAGE = Setting.affixKeySetting(
        PREFIX,
        LANGUAGE_KEY,
        key -> Setting.simpleString(key, value -> checkLanguage(key, value), Property.NodeScope, Property.Dynamic)
    );

    public enum ScoreFunctionKind {
        SOFTMAX,
        SIGMOID;

        public String key() {
            return name().toLowerCase(Locale.ROOT);
        }

        static ScoreFunctionKind parse(String key, String value) {
            for (ScoreFunctionKind kind : values()) {
                if (kind.key().equals(value)) {
                    return kind;
                }
            }
            throw new IllegalArgumentException("[" + key + "] must be [softmax] or [sigmoid], got [" + value + "]");
        }
    }

    /**
     * The zero-shot score function: {@code softmax} (CLIP; {@code logit_scale} is the multiplier, 100 where unset) or
     * {@code sigmoid} (SigLIP; {@code logit_scale} is the logarithm of the multiplier and {@code logit_bias} is needed), as
     * the model folder's {@code clip_hybrid.json} reads them.
     */
    public static final Setting.AffixSetting<String> SCORE_FUNCTION = Setting.affixKeySetting(
        PREFIX,
        SCORE_FUNCTION_KEY,
        key -> Setting.simpleString(key, scoreFunctionValidator(key), Property.NodeScope, Property.Dynamic)
    );
    public static final Setting.AffixSetting<Double> LOGIT_SCALE = Setting.affixKeySetting(
        PREFIX,
        LOGIT_SCALE_KEY,
        key -> Setting.doubleSetting(key, Double.NaN, -1000, 1000, Property.NodeScope, Property.Dynamic)
    );
    public static final Setting.AffixSetting<Double> LOGIT_BIAS = Setting.affixKeySetting(
        PREFIX,
        LOGIT_BIAS_KEY,
        key -> Setting.doubleSetting(key, Double.NaN, -1000, 1000, Property.NodeScope, Property.Dynamic)
    );

    public static List<Setting.AffixSetting<?>> all() {
        return List.of(COSINE_LOW, COSINE_HIGH, PROMPT_TEMPLATE, SCORE_FUNCTION, LOGIT_SCALE, LOGIT_BIAS, LANGUAGE);
    }

    /** The full key of one model's setting. */
    public static String key(String model, String suffix) {
        return PREFIX + model + "." + suffix;
    }

    /** Refuses a model name that cannot be a settings namespace, naming the field it came in. */
    public static String checkModelName(String field, String model) {
        if (model == null || NAME.matcher(model).matches() == false) {
            throw new IllegalArgumentException(
                "[" + field + "] must be a model name of letters, digits, [_] and [-] to carry per-model settings, got [" + model + "]"
            );
        }
        return model;
    }

    /**
     * The other side's value as the validator reads it: parsed without its own checks (Setting.floatSetting's plain form
     * holds a value to be at least Float.MIN_VALUE), since the other side's own setting checks it.
     */
    private static Float parseUnchecked(String value) {
        try {
            return Float.parseFloat(value);
        } catch (NumberFormatException e) {
            return UNSET;
        }
    }

    private static Double parseUncheckedDouble(String value) {
        try {
            return Double.parseDouble(value);
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    private static String sibling(String key, String suffix) {
        return key.substring(0, key.lastIndexOf('.') + 1) + suffix;
    }

    /**
     * One side of the band: within [-1, 1], and set together with the other side so that a band is one model's measurement,
     * never one side of it mixed with the other side of the folder's or the node's.
     */
    private static Setting<Float> band(String key, String otherSuffix, boolean isLow) {
        String otherKey = sibling(key, otherSuffix);
        Setting<Float> other = new Setting<>(otherKey, "NaN", ModelSettings::parseUnchecked, Property.NodeScope, Property.Dynamic);
        return Setting.floatSetting(key, UNSET, -1f, 1f, new Setting.Validator<>() {
            @Override
            public void validate(Float value) {}

            @Override
            public void validate(Float value, Map<Setting<?>, Object> settings, boolean isPresent) {
                if (isPresent == false) {
                    return;
                }
                float otherValue = (Float) settings.get(other);
                if (Float.isNaN(value)) {
                    throw new IllegalArgumentException("[" + key + "] must be a number in [-1, 1], got NaN");
                }
                if (Float.isNaN(otherValue)) {
                    throw new IllegalArgumentException(
                        "[" + key + "] needs [" + otherKey + "] set with it: a cosine band is set as a pair (null both to reset)"
                    );
                }
                float low = isLow ? value : otherValue, high = isLow ? otherValue : value;
                if ((high > low) == false) {
                    throw new IllegalArgumentException(
                        "[" + key + "] needs cosine_low < cosine_high, got cosine_low " + low + " and cosine_high " + high
                    );
                }
            }

            @Override
            public Iterator<Setting<?>> settings() {
                return List.<Setting<?>>of(other).iterator();
            }
        }, Property.NodeScope, Property.Dynamic);
    }

    private static void checkTemplate(String key, String value) {
        if (value.isEmpty()) {
            return;
        }
        if (value.length() > ClipHybridOptions.MAX_PROMPT_TEMPLATE_CHARS) {
            throw new IllegalArgumentException(
                "[" + key + "] has " + value.length() + " characters, more than the limit of " + ClipHybridOptions.MAX_PROMPT_TEMPLATE_CHARS
            );
        }
        if (value.contains("{}") == false) {
            throw new IllegalArgumentException("[" + key + "] must contain {} where the query text goes, got [" + value + "]");
        }
    }

    private static void checkLanguage(String key, String value) {
        if (value.isEmpty() == false) {
            LanguageCode.check(key, value);
        }
    }

    private static Setting.Validator<String> scoreFunctionValidator(String key) {
        Setting<Double> bias = new Setting<>(sibling(key, LOGIT_BIAS_KEY), "NaN", ModelSettings::parseUncheckedDouble, Property.NodeScope, Property.Dynamic);
        Setting<Double> scale = new Setting<>(sibling(key, LOGIT_SCALE_KEY), "NaN", ModelSettings::parseUncheckedDouble, Property.NodeScope, Property.Dynamic);
        return new Setting.Validator<>() {
            @Override
            public void validate(String value) {
                if (value.isEmpty() == false) {
                    ScoreFunctionKind.parse(key, value);
                }
            }

            @Override
            public void validate(String value, Map<Setting<?>, Object> settings, boolean isPresent) {
                if (isPresent == false || value.isEmpty()) {
                    return;
                }
                double s = (Double) settings.get(scale), b = (Double) settings.get(bias);
                if (ScoreFunctionKind.parse(key, value) == ScoreFunctionKind.SIGMOID) {
                    if (Double.isNaN(s) || Double.isNaN(b)) {
                        throw new IllegalArgumentException(
                            "[" + key + "] [sigmoid] needs [" + scale.getKey() + "] (the log of the multiplier) and [" + bias.getKey()
                                + "] set with it"
                        );
                    }
                } else if (Double.isNaN(s) == false && s <= 0) {
                    throw new IllegalArgumentException(
                        "[" + key + "] [softmax] needs [" + scale.getKey() + "] > 0 (the multiplier itself, CLIP's 100), got " + s
                    );
                }
            }

            @Override
            public Iterator<Setting<?>> settings() {
                return List.<Setting<?>>of(scale, bias).iterator();
            }
        };
    }

    /** Whether {@code settings} holds this model's value of {@code affix}. */
    static boolean has(Setting.AffixSetting<?> affix, Settings settings, String model) {
        return affix.getConcreteSettingForNamespace(model).exists(settings);
    }
}
