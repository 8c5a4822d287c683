package org.opensearch.cliphybrid.query;

import org.opensearch.cliphybrid.query.profile.ProfileRef;
import org.opensearch.cliphybrid.inference.InferenceService;
import org.opensearch.cliphybrid.model.text.LanguageCode;
import org.opensearch.cliphybrid.query.fusion.Calibration;
import org.opensearch.cliphybrid.query.fusion.Normalization;
import org.opensearch.cliphybrid.query.fusion.OptionNames;
import org.opensearch.cliphybrid.query.fusion.RankFusion;
import org.opensearch.cliphybrid.query.fusion.Weights;
import org.opensearch.index.query.QueryBuilder;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * What a {@code clip_hybrid} request asked for, checked once: every size a request controls has a limit here, so the builder,
 * the parser and the wire all hold the same valid value. The rewrite's own state (names found, fused candidates) is not an option.
 *
 * @param cosineLow composable mode's override of the model's cosine band; null (as {@code cosineHigh}): the model's own band,
 *                  else the {@code plugins.clip.hybrid.*} setting
 * @param textFloor composable mode's override of the {@code plugins.clip.hybrid.text_floor} setting; null: the setting
 * @param textWeights each query text's weight, in order (1 for a plain string); null in the constructor: all 1
 * @param language  the query texts' FLORES-200 code for NLLB text towers; null: the model's setting, else its tokenizer's default
 * @param minScore  {@code -Infinity}: no minimum
 * @param foldDuplicates null: near-duplicates are not folded
 * @param profile   stored fusion parameters the coordinator's rewrite applies under the request's own; null: none, or applied
 */
public record ClipHybridOptions(
    List<String> queryTexts,
    List<Float> textWeights,
    String queryImage,
    QueryEncoder.DocumentRef queryDocument,
    float[] queryVector,
    String promptTemplate,
    String language,
    String vectorField,
    List<String> textFields,
    Fusion fusion,
    Weights weights,
    Normalization normalization,
    int rankConstant,
    Float cosineLow,
    Float cosineHigh,
    Float textFloor,
    int k,
    Integer windowSize,
    Integer efSearch,
    float minScore,
    String model,
    QueryBuilder filter,
    ProperNouns properNouns,
    FoldDuplicates foldDuplicates,
    ProfileRef profile
) {
    public static final String NAME = "clip_hybrid";
    public static final int DEFAULT_K = 100;
    public static final int MAX_K = 10_000;
    /** Query texts of one query: each is encoded, so each costs an encoder call. */
    public static final int MAX_QUERY_TEXTS = 16;
    /** The largest |weight| of one query text: past it one text drowns the others, which is what leaving them out is for. */
    public static final float MAX_TEXT_WEIGHT = 10f;
    public static final int MAX_TEXT_FIELDS = 64;
    public static final int MAX_PROMPT_TEMPLATE_CHARS = 256;
    /** k-NN's own largest knn_vector dimension. */
    public static final int MAX_DIMENSION = 16_000;
    /** Two renditions of one picture (260 px and 600 px) embed above 0.97 with CLIP; different photos of one scene rarely do. */
    public static final float DEFAULT_FOLD_COSINE = 0.95f;
    public static final int DEFAULT_FOLD_WINDOW = 100;
    /** The coordinator compares each hit of the window with every hit kept before it, and reads their vectors: quadratic, bounded. */
    public static final int MAX_FOLD_WINDOW = 1_000;

    /** How the two sides combine. */
    public enum Fusion {
        CALIBRATED,
        RRF,
        LINEAR
    }

    /**
     * What happens when query words are names, rare terms of the text fields that CLIP does not know whole, which its picture
     * side cannot show: see {@link ProperNounRule}. {@code off} leaves the query alone.
     */
    public enum ProperNouns {
        BOOST,
        FILTER,
        OFF
    }

    /**
     * Hits whose vectors have at least this cosine with a better-scoring kept hit are folded into it; only the query's best
     * {@code window} hits are looked at, and only what is kept of them matches: see {@link DuplicateFold}.
     */
    public record FoldDuplicates(float cosine, int window) {
        public static final FoldDuplicates DEFAULT = new FoldDuplicates(DEFAULT_FOLD_COSINE, DEFAULT_FOLD_WINDOW);

        public FoldDuplicates {
            if ((cosine > 0 && cosine <= 1) == false) {
                throw new IllegalArgumentException("[" + NAME + "] [fold_duplicates.cosine] must be in (0, 1], got " + cosine);
            }
            if (window < 1 || window > MAX_FOLD_WINDOW) {
                throw new IllegalArgumentException(
                    "[" + NAME + "] [fold_duplicates.window] must be between 1 and " + MAX_FOLD_WINDOW + ", got " + window
                );
            }
        }
    }

    public ClipHybridOptions {
        queryTexts = List.copyOf(checkTexts(queryTexts));
        textWeights = textWeights == null ? Collections.nCopies(queryTexts.size(), 1f) : List.copyOf(textWeights);
        checkWeights(queryTexts, textWeights);
        checkSize("text_fields", textFields.size(), MAX_TEXT_FIELDS, "fields");
        textFields = List.copyOf(textFields);
        checkVector(queryVector);
        checkTemplate(promptTemplate);
        String languageProblem = language == null ? null : LanguageCode.problem(language);
        if (languageProblem != null) {
            throw new IllegalArgumentException("[" + NAME + "] [language] " + languageProblem);
        }
        Objects.requireNonNull(fusion);
        Objects.requireNonNull(weights);
        Objects.requireNonNull(normalization);
        Objects.requireNonNull(properNouns);
        checkRankConstant(rankConstant);
        checkBand(cosineLow, cosineHigh);
        checkFloor(textFloor);
        checkCount("k", k);
        if (windowSize != null) {
            checkCount("window_size", windowSize);
        }
        if (efSearch != null) {
            checkCount("ef_search", efSearch);
        }
        checkMinScore(minScore);
    }

    public static ClipHybridOptionsBuilder builder() {
        return new ClipHybridOptionsBuilder();
    }

    /** Lexical candidates in rank modes; {@code k} unless set. */
    public int effectiveWindowSize() {
        return windowSize == null ? k : windowSize;
    }

    /** HNSW explores max(k, ef_search) candidates; only the best k of them are kept. */
    public int knnBeam() {
        return efSearch == null ? k : Math.max(k, efSearch);
    }

    /** The request's overrides on top of the node's defaults. */
    public Calibration calibration(Calibration defaults) {
        return new Calibration(
            cosineLow == null ? defaults.cosineLow() : cosineLow,
            cosineHigh == null ? defaults.cosineHigh() : cosineHigh,
            textFloor == null ? defaults.textFloor() : textFloor
        );
    }

    /** The rank modes' fusion with these weights (which the proper-noun rule may have changed). */
    public RankFusion rankFusion(Weights w) {
        return fusion == Fusion.RRF ? RankFusion.rrf(rankConstant, w) : RankFusion.linear(normalization, w);
    }

    /** The query texts with their weights, in order. */
    public List<WeightedText> weightedTexts() {
        List<WeightedText> out = new ArrayList<>(queryTexts.size());
        for (int i = 0; i < queryTexts.size(); i++) {
            out.add(new WeightedText(queryTexts.get(i), textWeights.get(i)));
        }
        return out;
    }

    /** The texts whose words are searched and whose names are looked for: a negative text only steers the vector. */
    public List<WeightedText> positiveTexts() {
        return weightedTexts().stream().filter(WeightedText::positive).toList();
    }

    public ClipHybridOptions withQueryVector(float[] vector) {
        return toBuilder().queryVector(vector).build();
    }

    public ClipHybridOptions withFilter(QueryBuilder rewritten) {
        return toBuilder().filter(rewritten).build();
    }

    /** The same query without folding: what the coordinator's fold searches to find the window it folds. */
    public ClipHybridOptions withoutFolding() {
        return toBuilder().foldDuplicates(null).build();
    }

    /** A mode's own option ({@code rank_constant} …) given for another mode is a mistake the user should hear about. */
    public static void checkModeOption(String option, Fusion appliesTo, Fusion fusion) {
        if (appliesTo != fusion) {
            throw new IllegalArgumentException(
                "[" + NAME + "] [" + option + "] applies to fusion [" + OptionNames.of(appliesTo) + "], not [" + OptionNames.of(fusion) + "]"
            );
        }
    }

    /** What a whole request needs, beyond each option being valid on its own. */
    public void checkComplete() {
        if (windowSize != null && fusion == Fusion.CALIBRATED) {
            throw new IllegalArgumentException(
                "[" + NAME + "] [window_size] applies to the rank modes (rrf, linear): calibrated mode scores every text match"
            );
        }
        if (vectorField == null || vectorField.isEmpty()) {
            throw new IllegalArgumentException("[" + NAME + "] requires [vector_field]");
        }
        if (queryTexts.stream().anyMatch(String::isBlank)) {
            throw new IllegalArgumentException("[" + NAME + "] [query_text] must not be empty");
        }
        if (queryTexts.isEmpty() && queryImage == null && queryDocument == null && queryVector == null) {
            throw new IllegalArgumentException("[" + NAME + "] requires a non-empty [query_text], a [query_image] or a [query_vector]");
        }
        boolean anyPositive = textWeights.stream().anyMatch(w -> w > 0);
        boolean anyNegative = textWeights.stream().anyMatch(w -> w < 0);
        if (anyPositive == false && queryImage == null && queryDocument == null && queryVector == null) {
            throw new IllegalArgumentException(
                "[" + NAME + "] [query_text] has only negative weights: they push the search away from a concept, so the query needs "
                    + "a [query_text] with a positive weight, a [query_image] or a [query_vector] to search towards"
            );
        }
        if (anyNegative && queryVector != null) {
            // a given vector is searched as it is: nothing would be pushed away, and the words side ignores negative texts
            throw new IllegalArgumentException(
                "[" + NAME + "] [query_text] with a negative weight steers the encoded query vector, but [query_vector] is searched as "
                    + "given: leave out the negative texts or subtract their embeddings from the vector yourself"
            );
        }
        if (textFields.isEmpty() == false && queryTexts.isEmpty()) {
            throw new IllegalArgumentException("[" + NAME + "] [text_fields] need a [query_text] to search for");
        }
        if (textFields.isEmpty() == false && anyPositive == false) {
            throw new IllegalArgumentException(
                "[" + NAME + "] [text_fields] need a [query_text] with a positive weight to search for: negative texts do not search the words"
            );
        }
    }

    static List<String> checkTexts(List<String> texts) {
        checkSize("query_text", texts.size(), MAX_QUERY_TEXTS, "texts");
        for (String text : texts) {
            if (text.length() > InferenceService.MAX_TEXT_CHARS) {
                throw new IllegalArgumentException(
                    "[" + NAME + "] [query_text] of " + text.length() + " characters is longer than the limit of " + InferenceService.MAX_TEXT_CHARS
                );
            }
        }
        return texts;
    }

    static void checkWeights(List<String> texts, List<Float> weights) {
        if (weights.size() != texts.size()) {
            throw new IllegalArgumentException(
                "[" + NAME + "] [query_text] has " + texts.size() + " texts but " + weights.size() + " weights"
            );
        }
        for (int i = 0; i < texts.size(); i++) {
            float weight = weights.get(i);
            if (Float.isFinite(weight) == false || weight == 0 || Math.abs(weight) > MAX_TEXT_WEIGHT) {
                throw new IllegalArgumentException(
                    "[" + NAME + "] [query_text] [" + texts.get(i) + "] has weight " + weight + ": a weight must be a non-zero number between -"
                        + MAX_TEXT_WEIGHT + " and " + MAX_TEXT_WEIGHT
                );
            }
        }
    }

    static void checkVector(float[] vector) {
        if (vector != null) {
            checkSize("query_vector", vector.length, MAX_DIMENSION, "dimensions");
        }
    }

    static void checkTemplate(String template) {
        if (template != null) {
            checkSize("prompt_template", template.length(), MAX_PROMPT_TEMPLATE_CHARS, "characters");
            if (template.contains("{}") == false) {
                throw new IllegalArgumentException("[" + NAME + "] [prompt_template] must contain {} where the query text goes, got [" + template + "]");
            }
        }
    }

    static void checkRankConstant(int rankConstant) {
        if (rankConstant < 1) {
            throw new IllegalArgumentException("[" + NAME + "] [rank_constant] must be at least 1, got " + rankConstant);
        }
    }

    static void checkBand(Float low, Float high) {
        if (low != null && high != null) {
            Calibration.checkBand(low, high);
        }
    }

    static void checkFloor(Float saturation) {
        if (saturation != null) {
            Calibration.checkFloor(saturation);
        }
    }

    /** Unset is {@code -Infinity}; a request can only set a number. */
    static void checkMinScore(float minScore) {
        if (Float.isFinite(minScore) == false && minScore != Float.NEGATIVE_INFINITY) {
            throw new IllegalArgumentException("[" + NAME + "] [min_score] must be a number, got " + minScore);
        }
    }

    static void checkSize(String name, int size, int max, String what) {
        if (size > max) {
            throw new IllegalArgumentException("[" + NAME + "] [" + name + "] has " + size + " " + what + ", more than the limit of " + max);
        }
    }

    static int checkCount(String name, int value) {
        if (value < 1 || value > MAX_K) {
            throw new IllegalArgumentException("[" + NAME + "] [" + name + "] must be between 1 and " + MAX_K + ", got " + value);
        }
        return value;
    }

    public ClipHybridOptionsBuilder toBuilder() {
        return new ClipHybridOptionsBuilder(this);
    }

    // a record compares arrays by identity: the query vector is compared by value
    @Override
    public boolean equals(Object o) {
        return o instanceof ClipHybridOptions other
            && queryTexts.equals(other.queryTexts)
            && textWeights.equals(other.textWeights)
            && Objects.equals(queryImage, other.queryImage)
            && Objects.equals(queryDocument, other.queryDocument)
            && Arrays.equals(queryVector, other.queryVector)
            && Objects.equals(promptTemplate, other.promptTemplate)
            && Objects.equals(language, other.language)
            && Objects.equals(vectorField, other.vectorField)
            && textFields.equals(other.textFields)
            && fusion == other.fusion
            && weights.equals(other.weights)
            && normalization == other.normalization
            && rankConstant == other.rankConstant
            && Objects.equals(cosineLow, other.cosineLow)
            && Objects.equals(cosineHigh, other.cosineHigh)
            && Objects.equals(textFloor, other.textFloor)
            && k == other.k
            && Objects.equals(windowSize, other.windowSize)
            && Objects.equals(efSearch, other.efSearch)
            && minScore == other.minScore
            && Objects.equals(model, other.model)
            && Objects.equals(filter, other.filter)
            && properNouns == other.properNouns
            && Objects.equals(foldDuplicates, other.foldDuplicates)
            && Objects.equals(profile, other.profile);
    }

    @Override
    public int hashCode() {
        return Objects.hash(queryTexts, queryImage, queryDocument, Arrays.hashCode(queryVector), vectorField, textFields, fusion, k, model, filter);
    }

    @Override
    public String toString() {
        return NAME + "[texts=" + queryTexts + ", vector_field=" + vectorField + ", fusion=" + OptionNames.of(fusion) + ", k=" + k + "]";
    }
}
