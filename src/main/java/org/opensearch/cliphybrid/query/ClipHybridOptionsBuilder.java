package org.opensearch.cliphybrid.query;

import org.opensearch.cliphybrid.query.profile.ProfileRef;
import org.opensearch.cliphybrid.query.fusion.Normalization;
import org.opensearch.cliphybrid.query.fusion.RankFusion;
import org.opensearch.cliphybrid.query.fusion.Weights;
import org.opensearch.index.query.QueryBuilder;

import java.util.List;
import java.util.Objects;

/**
 * Collects {@link ClipHybridOptions} one option at a time, as the parser reads them. Each setter checks its own value at once, so
 * a parse error points at the option that caused it; {@link #build()} checks them all again.
 */
public final class ClipHybridOptionsBuilder {
    List<String> queryTexts = List.of();
    /** Null: every text weighs 1. */
    List<Float> textWeights;
    String queryImage;
    QueryEncoder.DocumentRef queryDocument;
    float[] queryVector;
    String promptTemplate;
    String language;
    String vectorField;
    List<String> textFields = List.of();
    ClipHybridOptions.Fusion fusion = ClipHybridOptions.Fusion.CALIBRATED;
    Weights weights = Weights.EQUAL;
    Normalization normalization = Normalization.MIN_MAX;
    int rankConstant = RankFusion.DEFAULT_RANK_CONSTANT;
    Float cosineLow, cosineHigh, textFloor;
    int k = ClipHybridOptions.DEFAULT_K;
    Integer windowSize;
    Integer efSearch;
    float minScore = Float.NEGATIVE_INFINITY;
    String model;
    QueryBuilder filter;
    ClipHybridOptions.ProperNouns properNouns = ClipHybridOptions.ProperNouns.BOOST;
    ClipHybridOptions.FoldDuplicates foldDuplicates;
    ProfileRef profile;

    ClipHybridOptionsBuilder() {}

    ClipHybridOptionsBuilder(ClipHybridOptions from) {
        queryTexts = from.queryTexts();
        textWeights = from.textWeights();
        queryImage = from.queryImage();
        queryDocument = from.queryDocument();
        queryVector = from.queryVector();
        promptTemplate = from.promptTemplate();
        language = from.language();
        vectorField = from.vectorField();
        textFields = from.textFields();
        fusion = from.fusion();
        weights = from.weights();
        normalization = from.normalization();
        rankConstant = from.rankConstant();
        cosineLow = from.cosineLow();
        cosineHigh = from.cosineHigh();
        textFloor = from.textFloor();
        k = from.k();
        windowSize = from.windowSize();
        efSearch = from.efSearch();
        minScore = from.minScore();
        model = from.model();
        filter = from.filter();
        properNouns = from.properNouns();
        foldDuplicates = from.foldDuplicates();
        profile = from.profile();
    }

    public ClipHybridOptionsBuilder queryText(String text) {
        return queryTexts(List.of(text));
    }

    public ClipHybridOptionsBuilder queryTexts(List<String> texts) {
        this.queryTexts = List.copyOf(ClipHybridOptions.checkTexts(texts));
        this.textWeights = null;
        return this;
    }

    public ClipHybridOptionsBuilder weightedTexts(List<WeightedText> texts) {
        List<String> plain = texts.stream().map(WeightedText::text).toList();
        List<Float> weights = texts.stream().map(WeightedText::weight).toList();
        ClipHybridOptions.checkWeights(ClipHybridOptions.checkTexts(plain), weights);
        this.queryTexts = plain;
        this.textWeights = weights;
        return this;
    }

    public ClipHybridOptionsBuilder queryImage(String image) {
        this.queryImage = image;
        return this;
    }

    public ClipHybridOptionsBuilder queryDocument(QueryEncoder.DocumentRef document) {
        this.queryDocument = document;
        return this;
    }

    public ClipHybridOptionsBuilder queryVector(float[] vector) {
        ClipHybridOptions.checkVector(vector);
        this.queryVector = vector;
        return this;
    }

    public ClipHybridOptionsBuilder promptTemplate(String template) {
        ClipHybridOptions.checkTemplate(template);
        this.promptTemplate = template;
        return this;
    }

    public ClipHybridOptionsBuilder vectorField(String field) {
        this.vectorField = field;
        return this;
    }

    public ClipHybridOptionsBuilder textFields(List<String> fields) {
        ClipHybridOptions.checkSize("text_fields", fields.size(), ClipHybridOptions.MAX_TEXT_FIELDS, "fields");
        this.textFields = List.copyOf(fields);
        return this;
    }

    public ClipHybridOptionsBuilder fusion(ClipHybridOptions.Fusion fusion) {
        this.fusion = Objects.requireNonNull(fusion);
        return this;
    }

    public ClipHybridOptionsBuilder weights(Weights weights) {
        this.weights = Objects.requireNonNull(weights);
        return this;
    }

    public ClipHybridOptionsBuilder normalization(Normalization normalization) {
        this.normalization = Objects.requireNonNull(normalization);
        return this;
    }

    public ClipHybridOptionsBuilder rankConstant(int rankConstant) {
        ClipHybridOptions.checkRankConstant(rankConstant);
        this.rankConstant = rankConstant;
        return this;
    }

    public ClipHybridOptionsBuilder cosineBand(Float low, Float high) {
        ClipHybridOptions.checkBand(low, high);
        this.cosineLow = low;
        this.cosineHigh = high;
        return this;
    }

    public ClipHybridOptionsBuilder textFloor(Float saturation) {
        ClipHybridOptions.checkFloor(saturation);
        this.textFloor = saturation;
        return this;
    }

    public ClipHybridOptionsBuilder k(int k) {
        this.k = ClipHybridOptions.checkCount("k", k);
        return this;
    }

    public ClipHybridOptionsBuilder windowSize(Integer windowSize) {
        this.windowSize = windowSize == null ? null : ClipHybridOptions.checkCount("window_size", windowSize);
        return this;
    }

    public ClipHybridOptionsBuilder efSearch(Integer efSearch) {
        this.efSearch = efSearch == null ? null : ClipHybridOptions.checkCount("ef_search", efSearch);
        return this;
    }

    public ClipHybridOptionsBuilder minScore(float minScore) {
        if (Float.isFinite(minScore) == false) {
            throw new IllegalArgumentException("[" + ClipHybridOptions.NAME + "] [min_score] must be a number, got " + minScore);
        }
        this.minScore = minScore;
        return this;
    }

    public ClipHybridOptionsBuilder model(String model) {
        this.model = model;
        return this;
    }

    public ClipHybridOptionsBuilder filter(QueryBuilder filter) {
        this.filter = filter;
        return this;
    }

    public ClipHybridOptionsBuilder properNouns(ClipHybridOptions.ProperNouns properNouns) {
        this.properNouns = Objects.requireNonNull(properNouns);
        return this;
    }

    /** null: no folding; the record checks its own limits. */
    public ClipHybridOptionsBuilder foldDuplicates(ClipHybridOptions.FoldDuplicates fold) {
        this.foldDuplicates = fold;
        return this;
    }

    public ClipHybridOptionsBuilder language(String language) {
        this.language = language;
        return this;
    }

    public ClipHybridOptionsBuilder profile(ProfileRef profile) {
        this.profile = profile;
        return this;
    }

    public ClipHybridOptions build() {
        return new ClipHybridOptions(
            queryTexts,
            textWeights,
            queryImage,
            queryDocument,
            queryVector,
            promptTemplate,
            language,
            vectorField,
            textFields,
            fusion,
            weights,
            normalization,
            rankConstant,
            cosineLow,
            cosineHigh,
            textFloor,
            k,
            windowSize,
            efSearch,
            minScore,
            model,
            filter,
            properNouns,
            foldDuplicates,
            profile
        );
    }
}
