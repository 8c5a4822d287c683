package org.opensearch.cliphybrid.query;

import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.Query;
import org.opensearch.action.search.SearchRequest;
import org.opensearch.cliphybrid.inference.InferenceService;
import org.opensearch.cliphybrid.query.fusion.Calibration;
import org.opensearch.cliphybrid.query.fusion.Fused;
import org.opensearch.cliphybrid.query.fusion.Normalization;
import org.opensearch.cliphybrid.query.fusion.OptionNames;
import org.opensearch.cliphybrid.query.fusion.RankFusion;
import org.opensearch.cliphybrid.query.fusion.Weights;
import org.opensearch.common.SetOnce;
import org.opensearch.core.ParseField;
import org.opensearch.core.action.ActionListener;
import org.opensearch.core.common.ParsingException;
import org.opensearch.core.common.io.stream.StreamInput;
import org.opensearch.core.common.io.stream.StreamOutput;
import org.opensearch.core.xcontent.XContentBuilder;
import org.opensearch.core.xcontent.XContentParser;
import org.opensearch.index.query.AbstractQueryBuilder;
import org.opensearch.index.query.BoolQueryBuilder;
import org.opensearch.index.query.MultiMatchQueryBuilder;
import org.opensearch.index.query.QueryBuilder;
import org.opensearch.index.query.QueryCoordinatorContext;
import org.opensearch.index.query.QueryRewriteContext;
import org.opensearch.index.query.QueryShardContext;
import org.opensearch.search.builder.SearchSourceBuilder;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * {@code clip_hybrid}: the query's texts and/or image, encoded once per request by CLIP on the coordinating node, searched as a
 * vector (kNN on {@code vector_field}) and the texts as words (BM25 on {@code text_fields}). Composable mode ({@code calibrated},
 * the default) scores each document on its shard from its own cosine and BM25; rank modes ({@code rrf}, {@code linear}) fuse
 * the whole target's candidate lists once on the coordinator.
 */
public final class ClipHybridQueryBuilder extends AbstractQueryBuilder<ClipHybridQueryBuilder> {
    public static final String NAME = "clip_hybrid";

    static final ParseField QUERY_TEXT = new ParseField("query_text");
    static final ParseField QUERY_IMAGE = new ParseField("query_image");
    static final ParseField QUERY_VECTOR = new ParseField("query_vector");
    static final ParseField PROMPT_TEMPLATE = new ParseField("prompt_template");
    static final ParseField VECTOR_FIELD = new ParseField("vector_field");
    static final ParseField TEXT_FIELDS = new ParseField("text_fields");
    static final ParseField FUSION = new ParseField("fusion");
    static final ParseField WEIGHTS = new ParseField("weights");
    static final ParseField NORMALIZATION = new ParseField("normalization");
    static final ParseField RANK_CONSTANT = new ParseField("rank_constant");
    static final ParseField VECTOR_CALIBRATION = new ParseField("vector_calibration");
    static final ParseField TEXT_SATURATION = new ParseField("text_saturation");
    static final ParseField K = new ParseField("k");
    static final ParseField WINDOW_SIZE = new ParseField("window_size");
    static final ParseField EF_SEARCH = new ParseField("ef_search");
    static final ParseField MIN_SCORE = new ParseField("min_score");
    static final ParseField MODEL = new ParseField("model");
    static final ParseField FILTER = new ParseField("filter");
    static final ParseField PROPER_NOUNS = new ParseField("proper_nouns");

    public static final int DEFAULT_K = 100;
    public static final int MAX_K = 10_000;
    /** Query texts of one query: each is encoded, so each costs an encoder call. */
    public static final int MAX_QUERY_TEXTS = 16;
    public static final int MAX_TEXT_FIELDS = 64;
    public static final int MAX_PROMPT_TEMPLATE_CHARS = 256;
    /** k-NN's own largest knn_vector dimension. */
    public static final int MAX_DIMENSION = 16_000;

    /** How the two sides combine. */
    public enum Fusion {
        CALIBRATED,
        RRF,
        LINEAR
    }

    /**
     * What happens when capitalized query words (names) are rare terms of the text fields, which CLIP's picture side cannot know:
     * {@code boost} multiplies the text weight by 3, {@code filter} keeps only documents that name them; both send CLIP the other
     * words only (no vector side at all when nothing else is left). {@code off} leaves the query alone.
     */
    public enum ProperNouns {
        BOOST,
        FILTER,
        OFF
    }

    static final float PROPER_NOUN_TEXT_BOOST = 3f;

    private final QueryVectors vectors;
    private List<String> queryTexts = List.of();
    private String queryImage;
    private QueryVectors.DocumentRef queryDocument;
    private float[] queryVector;
    private String promptTemplate;
    private String vectorField;
    private List<String> textFields = List.of();
    private Fusion fusion = Fusion.CALIBRATED;
    private Weights weights = Weights.EQUAL;
    private Normalization normalization = Normalization.MIN_MAX;
    private int rankConstant = RankFusion.DEFAULT_RANK_CONSTANT;
    /** Composable mode's overrides of the node's calibration defaults; null: the {@code clip.hybrid.*} setting. */
    private Float cosineLow, cosineHigh, textSaturation;
    private int k = DEFAULT_K;
    private Integer windowSize;
    private Integer efSearch;
    /** No minimum unless set. */
    private float minScore = Float.NEGATIVE_INFINITY;
    private String model;
    private QueryBuilder filter;
    private ProperNouns properNouns = ProperNouns.BOOST;
    /** The query's names found among the metadata's rare terms, once the coordinator has looked; null: not looked. */
    private List<String> properNounsFound;
    private SetOnce<List<String>> pendingProperNouns;
    /** Set by the coordinator's rewrite while the inputs are being encoded, from {@code encodedTexts}; never serialized. */
    private SetOnce<float[]> pendingVector;
    private List<String> encodedTexts;
    /** Rank modes: the fused documents of the whole target, once the coordinator has collected and fused both sides. */
    private List<GlobalCandidates.Hit> fusedHits;
    private SetOnce<List<GlobalCandidates.Hit>> pendingHits;

    public ClipHybridQueryBuilder(QueryVectors vectors) {
        this.vectors = vectors;
    }

    public ClipHybridQueryBuilder(StreamInput in, QueryVectors vectors) throws IOException {
        super(in);
        this.vectors = vectors;
        queryTexts = in.readStringList();
        queryImage = in.readOptionalString();
        queryDocument = in.readBoolean() ? new QueryVectors.DocumentRef(in.readString(), in.readString()) : null;
        queryVector = in.readBoolean() ? in.readFloatArray() : null;
        promptTemplate = in.readOptionalString();
        vectorField = in.readString();
        textFields = in.readStringList();
        fusion = in.readEnum(Fusion.class);
        weights = new Weights(in);
        normalization = in.readEnum(Normalization.class);
        rankConstant = in.readVInt();
        cosineLow = in.readOptionalFloat();
        cosineHigh = in.readOptionalFloat();
        textSaturation = in.readOptionalFloat();
        k = in.readVInt();
        windowSize = in.readOptionalVInt();
        efSearch = in.readOptionalVInt();
        minScore = in.readFloat();
        model = in.readOptionalString();
        filter = in.readOptionalNamedWriteable(QueryBuilder.class);
        properNouns = in.readEnum(ProperNouns.class);
        properNounsFound = in.readOptionalStringList();
        if (in.readBoolean()) {
            int n = in.readVInt();
            List<GlobalCandidates.Hit> hits = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                String index = in.readString();
                String id = in.readString();
                Fused f = new Fused(i, in.readDouble(), in.readVIntArray(), in.readFloatArray(), in.readFloatArray());
                hits.add(new GlobalCandidates.Hit(index, id, f));
            }
            fusedHits = hits;
        }
    }

    @Override
    protected void doWriteTo(StreamOutput out) throws IOException {
        if (pendingVector != null || pendingHits != null || pendingProperNouns != null) {
            throw new IllegalStateException("[" + NAME + "] must be rewritten (inputs encoded, candidates fused) before it is sent");
        }
        out.writeStringCollection(queryTexts);
        out.writeOptionalString(queryImage);
        out.writeBoolean(queryDocument != null);
        if (queryDocument != null) {
            out.writeString(queryDocument.index());
            out.writeString(queryDocument.id());
        }
        out.writeBoolean(queryVector != null);
        if (queryVector != null) {
            out.writeFloatArray(queryVector);
        }
        out.writeOptionalString(promptTemplate);
        out.writeString(vectorField);
        out.writeStringCollection(textFields);
        out.writeEnum(fusion);
        weights.writeTo(out);
        out.writeEnum(normalization);
        out.writeVInt(rankConstant);
        out.writeOptionalFloat(cosineLow);
        out.writeOptionalFloat(cosineHigh);
        out.writeOptionalFloat(textSaturation);
        out.writeVInt(k);
        out.writeOptionalVInt(windowSize);
        out.writeOptionalVInt(efSearch);
        out.writeFloat(minScore);
        out.writeOptionalString(model);
        out.writeOptionalNamedWriteable(filter);
        out.writeEnum(properNouns);
        out.writeOptionalStringCollection(properNounsFound);
        out.writeBoolean(fusedHits != null);
        if (fusedHits != null) {
            out.writeVInt(fusedHits.size());
            for (GlobalCandidates.Hit hit : fusedHits) {
                out.writeString(hit.index());
                out.writeString(hit.id());
                out.writeDouble(hit.fused().score());
                out.writeVIntArray(hit.fused().ranks());
                out.writeFloatArray(hit.fused().rawScores());
                out.writeFloatArray(hit.fused().sideScores());
            }
        }
    }

    public ClipHybridQueryBuilder queryText(String queryText) {
        return queryTexts(List.of(queryText));
    }

    public ClipHybridQueryBuilder queryTexts(List<String> texts) {
        checkSize(QUERY_TEXT, texts.size(), MAX_QUERY_TEXTS, "texts");
        for (String text : texts) {
            if (text.length() > InferenceService.MAX_TEXT_CHARS) {
                throw new IllegalArgumentException(
                    "[" + NAME + "] [query_text] of " + text.length() + " characters is longer than the limit of " + InferenceService.MAX_TEXT_CHARS
                );
            }
        }
        this.queryTexts = List.copyOf(texts);
        return this;
    }

    public ClipHybridQueryBuilder queryImage(String image) {
        this.queryImage = image;
        return this;
    }

    public ClipHybridQueryBuilder queryDocument(QueryVectors.DocumentRef document) {
        this.queryDocument = document;
        return this;
    }

    public ClipHybridQueryBuilder queryVector(float[] queryVector) {
        if (queryVector != null) {
            checkSize(QUERY_VECTOR, queryVector.length, MAX_DIMENSION, "dimensions");
        }
        this.queryVector = queryVector;
        return this;
    }

    public ClipHybridQueryBuilder promptTemplate(String template) {
        if (template != null) {
            checkSize(PROMPT_TEMPLATE, template.length(), MAX_PROMPT_TEMPLATE_CHARS, "characters");
        }
        if (template != null && template.contains("{}") == false) {
            throw new IllegalArgumentException("[" + NAME + "] [prompt_template] must contain {} where the query text goes, got [" + template + "]");
        }
        this.promptTemplate = template;
        return this;
    }

    public ClipHybridQueryBuilder vectorField(String vectorField) {
        this.vectorField = vectorField;
        return this;
    }

    public ClipHybridQueryBuilder textFields(List<String> textFields) {
        checkSize(TEXT_FIELDS, textFields.size(), MAX_TEXT_FIELDS, "fields");
        this.textFields = List.copyOf(textFields);
        return this;
    }

    public ClipHybridQueryBuilder fusion(Fusion fusion) {
        this.fusion = Objects.requireNonNull(fusion);
        return this;
    }

    public ClipHybridQueryBuilder weights(Weights weights) {
        this.weights = Objects.requireNonNull(weights);
        return this;
    }

    public ClipHybridQueryBuilder normalization(Normalization normalization) {
        this.normalization = Objects.requireNonNull(normalization);
        return this;
    }

    public ClipHybridQueryBuilder rankConstant(int rankConstant) {
        if (rankConstant < 1) {
            throw new IllegalArgumentException("[" + NAME + "] [rank_constant] must be at least 1, got " + rankConstant);
        }
        this.rankConstant = rankConstant;
        return this;
    }

    public ClipHybridQueryBuilder cosineBand(Float low, Float high) {
        if (low != null && high != null) {
            new Calibration(low, high, 1f); // validates the band
        }
        this.cosineLow = low;
        this.cosineHigh = high;
        return this;
    }

    public ClipHybridQueryBuilder textSaturation(Float saturation) {
        if (saturation != null) {
            new Calibration(0f, 1f, saturation); // validates the saturation
        }
        this.textSaturation = saturation;
        return this;
    }

    /** The request's overrides on top of the node's defaults. */
    Calibration calibration(Calibration defaults) {
        return new Calibration(
            cosineLow == null ? defaults.cosineLow() : cosineLow,
            cosineHigh == null ? defaults.cosineHigh() : cosineHigh,
            textSaturation == null ? defaults.textSaturation() : textSaturation
        );
    }

    public ClipHybridQueryBuilder k(int k) {
        this.k = checkCount(K, k);
        return this;
    }

    public ClipHybridQueryBuilder windowSize(Integer windowSize) {
        this.windowSize = windowSize == null ? null : checkCount(WINDOW_SIZE, windowSize);
        return this;
    }

    public ClipHybridQueryBuilder efSearch(Integer efSearch) {
        this.efSearch = efSearch == null ? null : checkCount(EF_SEARCH, efSearch);
        return this;
    }

    private static void checkSize(ParseField name, int size, int max, String what) {
        if (size > max) {
            throw new IllegalArgumentException("[" + NAME + "] [" + name.getPreferredName() + "] has " + size + " " + what + ", more than the limit of " + max);
        }
    }

    private static int checkCount(ParseField name, int value) {
        if (value < 1 || value > MAX_K) {
            throw new IllegalArgumentException("[" + NAME + "] [" + name.getPreferredName() + "] must be between 1 and " + MAX_K + ", got " + value);
        }
        return value;
    }

    public ClipHybridQueryBuilder minScore(float minScore) {
        if (Float.isFinite(minScore) == false) {
            throw new IllegalArgumentException("[" + NAME + "] [min_score] must be a number, got " + minScore);
        }
        this.minScore = minScore;
        return this;
    }

    public ClipHybridQueryBuilder model(String model) {
        this.model = model;
        return this;
    }

    public ClipHybridQueryBuilder filter(QueryBuilder filter) {
        this.filter = filter;
        return this;
    }

    public ClipHybridQueryBuilder properNouns(ProperNouns properNouns) {
        this.properNouns = Objects.requireNonNull(properNouns);
        return this;
    }

    ClipHybridQueryBuilder properNounsFound(List<String> found) {
        this.properNounsFound = List.copyOf(found);
        return this;
    }

    ClipHybridQueryBuilder fusedHits(List<GlobalCandidates.Hit> hits) {
        this.fusedHits = List.copyOf(hits);
        return this;
    }

    public List<String> queryTexts() {
        return queryTexts;
    }

    public float[] queryVector() {
        return queryVector;
    }

    public String vectorField() {
        return vectorField;
    }

    public List<String> textFields() {
        return textFields;
    }

    public Fusion fusion() {
        return fusion;
    }

    public int k() {
        return k;
    }

    /** Lexical candidates in rank modes; {@code k} unless set. */
    public int windowSize() {
        return windowSize == null ? k : windowSize;
    }

    public QueryBuilder filter() {
        return filter;
    }

    RankFusion rankFusion() {
        Weights w = effectiveWeights();
        return (fusion == Fusion.RRF ? RankFusion.rrf(rankConstant, w) : RankFusion.linear(normalization, w)).withNote(note());
    }

    private boolean properNounRuleFired() {
        return properNouns != ProperNouns.OFF && properNounsFound != null && properNounsFound.isEmpty() == false;
    }

    /** The texts CLIP encodes: without the names it cannot know, once they are known; the texts themselves otherwise. */
    List<String> vectorTexts() {
        if (properNounRuleFired() == false) {
            return queryTexts;
        }
        List<String> out = new ArrayList<>();
        for (String text : queryTexts) {
            String rest = ProperNounDetector.without(text, properNounsFound);
            if (rest.isEmpty() == false) {
                out.add(rest);
            }
        }
        return out;
    }

    /** With only names to go on and no image, the vector side would rank noise: it gets weight 0. */
    private boolean vectorSideIsNoise() {
        return properNounRuleFired() && vectorTexts().isEmpty() && queryImage == null && queryDocument == null;
    }

    Weights effectiveWeights() {
        if (properNounRuleFired() == false) {
            return weights;
        }
        float vector = vectorSideIsNoise() ? 0f : weights.vector();
        float text = properNouns == ProperNouns.BOOST ? weights.text() * PROPER_NOUN_TEXT_BOOST : weights.text();
        return new Weights(vector, text);
    }

    QueryBuilder effectiveFilter() {
        if (properNounRuleFired() == false || properNouns != ProperNouns.FILTER) {
            return filter;
        }
        BoolQueryBuilder named = new BoolQueryBuilder().filter(ProperNounDetector.matchAll(properNounsFound, textFields));
        return filter == null ? named : named.filter(filter);
    }

    private String note() {
        if (properNounRuleFired() == false) {
            return "";
        }
        return "; proper nouns " + properNounsFound + " are rare terms of the text fields: "
            + (properNouns == ProperNouns.BOOST ? "text weight x" + PROPER_NOUN_TEXT_BOOST : "only documents naming them")
            + (vectorSideIsNoise() ? ", no vector side" : ", CLIP encodes " + vectorTexts());
    }

    @Override
    public String getWriteableName() {
        return NAME;
    }

    @Override
    protected void doXContent(XContentBuilder builder, Params params) throws IOException {
        builder.startObject(NAME);
        if (queryTexts.size() == 1) {
            builder.field(QUERY_TEXT.getPreferredName(), queryTexts.get(0));
        } else if (queryTexts.isEmpty() == false) {
            builder.field(QUERY_TEXT.getPreferredName(), queryTexts);
        }
        if (queryImage != null) {
            builder.field(QUERY_IMAGE.getPreferredName(), queryImage);
        }
        if (queryDocument != null) {
            builder.startObject(QUERY_IMAGE.getPreferredName())
                .field("index", queryDocument.index())
                .field("id", queryDocument.id())
                .endObject();
        }
        if (queryVector != null) {
            builder.array(QUERY_VECTOR.getPreferredName(), queryVector);
        }
        if (promptTemplate != null) {
            builder.field(PROMPT_TEMPLATE.getPreferredName(), promptTemplate);
        }
        builder.field(VECTOR_FIELD.getPreferredName(), vectorField);
        if (textFields.isEmpty() == false) {
            builder.field(TEXT_FIELDS.getPreferredName(), textFields);
        }
        builder.field(FUSION.getPreferredName(), OptionNames.of(fusion));
        builder.startObject(WEIGHTS.getPreferredName()).field("vector", weights.vector()).field("text", weights.text()).endObject();
        switch (fusion) {
            case CALIBRATED -> {
                if (cosineLow != null || cosineHigh != null) {
                    builder.startObject(VECTOR_CALIBRATION.getPreferredName());
                    if (cosineLow != null) {
                        builder.field("cosine_low", cosineLow);
                    }
                    if (cosineHigh != null) {
                        builder.field("cosine_high", cosineHigh);
                    }
                    builder.endObject();
                }
                if (textSaturation != null) {
                    builder.field(TEXT_SATURATION.getPreferredName(), textSaturation);
                }
            }
            case RRF -> builder.field(RANK_CONSTANT.getPreferredName(), rankConstant);
            case LINEAR -> builder.field(NORMALIZATION.getPreferredName(), OptionNames.of(normalization));
        }
        builder.field(K.getPreferredName(), k);
        if (windowSize != null) {
            builder.field(WINDOW_SIZE.getPreferredName(), windowSize);
        }
        if (efSearch != null) {
            builder.field(EF_SEARCH.getPreferredName(), efSearch);
        }
        if (minScore != Float.NEGATIVE_INFINITY) {
            builder.field(MIN_SCORE.getPreferredName(), minScore);
        }
        if (model != null) {
            builder.field(MODEL.getPreferredName(), model);
        }
        if (filter != null) {
            builder.field(FILTER.getPreferredName(), filter);
        }
        if (properNouns != ProperNouns.BOOST) {
            builder.field(PROPER_NOUNS.getPreferredName(), OptionNames.of(properNouns));
        }
        printBoostAndQueryName(builder);
        builder.endObject();
    }

    public static ClipHybridQueryBuilder fromXContent(XContentParser parser, QueryVectors vectors) throws IOException {
        ClipHybridQueryBuilder b = new ClipHybridQueryBuilder(vectors);
        Map<String, Object> modeOptions = new HashMap<>();
        String current = null;
        XContentParser.Token token;
        try {
            while ((token = parser.nextToken()) != XContentParser.Token.END_OBJECT) {
                if (token == XContentParser.Token.FIELD_NAME) {
                    current = parser.currentName();
                } else if (QUERY_TEXT.match(current, parser.getDeprecationHandler())) {
                    b.queryTexts(strings(parser));
                } else if (QUERY_IMAGE.match(current, parser.getDeprecationHandler())) {
                    if (token == XContentParser.Token.START_OBJECT) {
                        Map<String, Object> ref = parser.map();
                        if (ref.get("index") instanceof String index && ref.get("id") instanceof String id && ref.size() == 2) {
                            b.queryDocument(new QueryVectors.DocumentRef(index, id));
                        } else {
                            throw new IllegalArgumentException("[" + NAME + "] [query_image] as an object takes exactly [index] and [id]");
                        }
                    } else {
                        b.queryImage(parser.text());
                    }
                } else if (QUERY_VECTOR.match(current, parser.getDeprecationHandler())) {
                    b.queryVector(floats(parser));
                } else if (PROMPT_TEMPLATE.match(current, parser.getDeprecationHandler())) {
                    b.promptTemplate(parser.text());
                } else if (VECTOR_FIELD.match(current, parser.getDeprecationHandler())) {
                    b.vectorField(parser.text());
                } else if (TEXT_FIELDS.match(current, parser.getDeprecationHandler())) {
                    b.textFields(strings(parser));
                } else if (FUSION.match(current, parser.getDeprecationHandler())) {
                    b.fusion(OptionNames.parse(Fusion.class, FUSION.getPreferredName(), parser.text()));
                } else if (WEIGHTS.match(current, parser.getDeprecationHandler())) {
                    Map<String, Object> w = numbers(parser, WEIGHTS, "vector", "text");
                    Float vector = number(w, "vector"), text = number(w, "text");
                    b.weights(new Weights(vector == null ? 1f : vector, text == null ? 1f : text));
                } else if (NORMALIZATION.match(current, parser.getDeprecationHandler())) {
                    b.normalization(OptionNames.parse(Normalization.class, NORMALIZATION.getPreferredName(), parser.text()));
                    modeOptions.put(NORMALIZATION.getPreferredName(), Fusion.LINEAR);
                } else if (RANK_CONSTANT.match(current, parser.getDeprecationHandler())) {
                    b.rankConstant(parser.intValue());
                    modeOptions.put(RANK_CONSTANT.getPreferredName(), Fusion.RRF);
                } else if (VECTOR_CALIBRATION.match(current, parser.getDeprecationHandler())) {
                    Map<String, Object> band = numbers(parser, VECTOR_CALIBRATION, "cosine_low", "cosine_high");
                    b.cosineBand(number(band, "cosine_low"), number(band, "cosine_high"));
                    modeOptions.put(VECTOR_CALIBRATION.getPreferredName(), Fusion.CALIBRATED);
                } else if (TEXT_SATURATION.match(current, parser.getDeprecationHandler())) {
                    b.textSaturation(parser.floatValue());
                    modeOptions.put(TEXT_SATURATION.getPreferredName(), Fusion.CALIBRATED);
                } else if (K.match(current, parser.getDeprecationHandler())) {
                    b.k(parser.intValue());
                } else if (WINDOW_SIZE.match(current, parser.getDeprecationHandler())) {
                    b.windowSize(parser.intValue());
                } else if (EF_SEARCH.match(current, parser.getDeprecationHandler())) {
                    b.efSearch(parser.intValue());
                } else if (MIN_SCORE.match(current, parser.getDeprecationHandler())) {
                    b.minScore(parser.floatValue());
                } else if (MODEL.match(current, parser.getDeprecationHandler())) {
                    b.model(parser.text());
                } else if (FILTER.match(current, parser.getDeprecationHandler())) {
                    b.filter(parseInnerQueryBuilder(parser));
                } else if (PROPER_NOUNS.match(current, parser.getDeprecationHandler())) {
                    b.properNouns(OptionNames.parse(ProperNouns.class, PROPER_NOUNS.getPreferredName(), parser.text()));
                } else if (BOOST_FIELD.match(current, parser.getDeprecationHandler())) {
                    b.boost(parser.floatValue());
                } else if (NAME_FIELD.match(current, parser.getDeprecationHandler())) {
                    b.queryName(parser.text());
                } else {
                    throw new ParsingException(parser.getTokenLocation(), "[" + NAME + "] unknown field [" + current + "]");
                }
            }
        } catch (IllegalArgumentException e) {
            throw new ParsingException(parser.getTokenLocation(), e.getMessage(), e);
        }
        for (Map.Entry<String, Object> option : modeOptions.entrySet()) {
            if (option.getValue() != b.fusion) {
                throw new ParsingException(
                    parser.getTokenLocation(),
                    "[" + NAME + "] [" + option.getKey() + "] applies to fusion [" + OptionNames.of((Fusion) option.getValue()) + "], not ["
                        + OptionNames.of(b.fusion) + "]"
                );
            }
        }
        if (b.windowSize != null && b.fusion == Fusion.CALIBRATED) {
            throw new ParsingException(
                parser.getTokenLocation(),
                "[" + NAME + "] [window_size] applies to the rank modes (rrf, linear): calibrated mode scores every text match"
            );
        }
        if (b.vectorField == null || b.vectorField.isEmpty()) {
            throw new ParsingException(parser.getTokenLocation(), "[" + NAME + "] requires [vector_field]");
        }
        if (b.queryTexts.stream().anyMatch(String::isBlank)) {
            throw new ParsingException(parser.getTokenLocation(), "[" + NAME + "] [query_text] must not be empty");
        }
        if (b.queryTexts.isEmpty() && b.queryImage == null && b.queryDocument == null && b.queryVector == null) {
            throw new ParsingException(
                parser.getTokenLocation(),
                "[" + NAME + "] requires a non-empty [query_text], a [query_image] or a [query_vector]"
            );
        }
        if (b.textFields.isEmpty() == false && b.queryTexts.isEmpty()) {
            throw new ParsingException(parser.getTokenLocation(), "[" + NAME + "] [text_fields] need a [query_text] to search for");
        }
        return b;
    }

    /** An object option holding only the two named keys (each checked by {@link #number}). */
    private static Map<String, Object> numbers(XContentParser parser, ParseField field, String first, String second) throws IOException {
        Map<String, Object> map = parser.map();
        if (map.keySet().stream().allMatch(key -> key.equals(first) || key.equals(second)) == false) {
            throw new IllegalArgumentException(
                "[" + NAME + "] [" + field.getPreferredName() + "] takes [" + first + "] and [" + second + "], got " + map.keySet()
            );
        }
        return map;
    }

    private static Float number(Map<String, Object> map, String key) {
        Object value = map.get(key);
        if (value == null) {
            return null;
        }
        if (value instanceof Number n) {
            return n.floatValue();
        }
        throw new IllegalArgumentException("[" + NAME + "] [" + key + "] must be a number, got [" + value + "]");
    }

    static float[] floats(XContentParser parser) throws IOException {
        if (parser.currentToken() != XContentParser.Token.START_ARRAY) {
            throw new ParsingException(parser.getTokenLocation(), "[" + NAME + "] [query_vector] must be an array of numbers");
        }
        List<Float> values = new ArrayList<>();
        while (parser.nextToken() != XContentParser.Token.END_ARRAY) {
            values.add(parser.floatValue());
        }
        float[] out = new float[values.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = values.get(i);
        }
        return out;
    }

    private static List<String> strings(XContentParser parser) throws IOException {
        List<String> values = new ArrayList<>();
        if (parser.currentToken() == XContentParser.Token.START_ARRAY) {
            while (parser.nextToken() != XContentParser.Token.END_ARRAY) {
                values.add(parser.text());
            }
        } else {
            values.add(parser.text());
        }
        return values;
    }

    @Override
    protected QueryBuilder doRewrite(QueryRewriteContext context) throws IOException {
        if (pendingProperNouns != null || pendingVector != null) {
            return afterLookups();
        }
        if (pendingHits != null) {
            List<GlobalCandidates.Hit> hits = pendingHits.get();
            return hits == null ? this : copy().fusedHits(hits);
        }
        QueryCoordinatorContext coordinator = context.convertToCoordinatorContext();
        boolean onCoordinator = coordinator != null && coordinator.getSearchRequest() != null;
        boolean lookForNames = properNounsFound == null && properNouns != ProperNouns.OFF && textFields.isEmpty() == false && onCoordinator;
        if (lookForNames || queryVector == null) {
            ClipHybridQueryBuilder pending = copy();
            if (queryVector == null) {
                // encoded once, on the coordinating node, while the names are looked up (for most queries none are found and
                // the vector is ready with the answer); the shards get the vector. Registered first: the actions start in
                // order, and sending the look-up's searches takes a while that the encoder need not wait for
                SetOnce<float[]> encoded = new SetOnce<>();
                List<String> texts = textsToEncode();
                context.registerAsyncAction(
                    (client, listener) -> vectors.encode(
                        client,
                        model,
                        texts,
                        promptTemplate,
                        queryImage,
                        queryDocument,
                        vectorField,
                        into(encoded, listener)
                    )
                );
                pending.pendingVector = encoded;
                pending.encodedTexts = texts;
            }
            if (lookForNames) {
                SearchRequest request = (SearchRequest) coordinator.getSearchRequest();
                SetOnce<List<String>> found = new SetOnce<>();
                context.registerAsyncAction(
                    (client, listener) -> ProperNounDetector.find(
                        client,
                        request.indices(),
                        request.indicesOptions(),
                        queryTexts,
                        textFields,
                        into(found, listener)
                    )
                );
                pending.pendingProperNouns = found;
            }
            return pending;
        }
        if (filter != null) {
            QueryBuilder rewritten = filter.rewrite(context);
            if (rewritten != filter) {
                return copy().filter(rewritten);
            }
        }
        if (fusion != Fusion.CALIBRATED && fusedHits == null && onCoordinator) {
            SearchRequest request = (SearchRequest) coordinator.getSearchRequest();
            checkRankModeRequest(request);
            return collectGlobalCandidates(context, request);
        }
        return this;
    }

    /**
     * Takes the names and the vector that the coordinator looked up side by side. A vector encoded from words that turned out
     * to be names is dropped, and the next round encodes the rest of the words.
     */
    private QueryBuilder afterLookups() {
        List<String> found = pendingProperNouns == null ? null : pendingProperNouns.get();
        float[] vector = pendingVector == null ? null : pendingVector.get();
        if ((pendingProperNouns != null && found == null) || (pendingVector != null && vector == null)) {
            return this;
        }
        ClipHybridQueryBuilder next = copy();
        if (pendingProperNouns != null) {
            next.properNounsFound(found);
        }
        if (pendingVector != null && encodedTexts.equals(next.textsToEncode())) {
            next.queryVector(vector);
        }
        return next;
    }

    /** What CLIP encodes: the words that are not names, or every word when the names leave none (the vector is then unused). */
    private List<String> textsToEncode() {
        return vectorSideIsNoise() ? queryTexts : vectorTexts();
    }

    /** Rank modes fuse one fixed candidate window; requests that would read past it or keep it open get a 400. */
    private void checkRankModeRequest(SearchRequest request) {
        String mode = "[" + NAME + "] fusion [" + OptionNames.of(fusion) + "] ";
        if (request.scroll() != null) {
            throw new IllegalArgumentException(mode + "fuses a fixed candidate window and does not support scroll; use fusion [calibrated]");
        }
        SearchSourceBuilder source = request.source();
        if (source != null) {
            int from = Math.max(0, source.from());
            int size = source.size() < 0 ? 10 : source.size();
            int window = Math.max(k, windowSize());
            if (from + size > window) {
                throw new IllegalArgumentException(
                    mode + "ranks a window of " + window + " candidates ([k], [window_size]), but from + size = " + (from + size)
                        + ": raise [k] or use fusion [calibrated]"
                );
            }
        }
    }

    /**
     * Rank modes across shards: fuse the whole target's best k vector and best window_size lexical hits, so that a document's rank
     * and score do not depend on the shard count. Where no coordinator is involved (a shard-level API such as _explain), fusion
     * falls back to one shard.
     */
    private ClipHybridQueryBuilder collectGlobalCandidates(QueryRewriteContext context, SearchRequest request) {
        SetOnce<List<GlobalCandidates.Hit>> collected = new SetOnce<>();
        QueryBuilder vector = new ClipKnnQueryBuilder(vectorField, queryVector, knnBeam(), effectiveFilter());
        QueryBuilder lexical = lexicalQuery();
        context.registerAsyncAction(
            (client, listener) -> GlobalCandidates.fetch(
                client,
                request.indices(),
                request.indicesOptions(),
                vector,
                lexical,
                k,
                windowSize(),
                rankFusion(),
                ActionListener.map(
                    into(collected, listener),
                    (List<GlobalCandidates.Hit> hits) -> hits.stream().filter(h -> h.fused().score() >= minScore).toList()
                )
            )
        );
        ClipHybridQueryBuilder pending = copy();
        pending.pendingHits = collected;
        return pending;
    }

    /** An asynchronous rewrite action's listener: the result goes into the slot the next round reads, then the round is done. */
    private static <T> ActionListener<T> into(SetOnce<T> slot, ActionListener<?> done) {
        return ActionListener.wrap(result -> {
            slot.set(result);
            done.onResponse(null);
        }, done::onFailure);
    }

    /** HNSW explores max(k, ef_search) candidates; only the best k of them are kept. */
    private int knnBeam() {
        return efSearch == null ? k : Math.max(k, efSearch);
    }

    /** BM25 over the text fields ({@code field^boost}), restricted by the filter; each query text is one should clause. */
    private QueryBuilder lexicalQuery() {
        if (textFields.isEmpty()) {
            return null;
        }
        BoolQueryBuilder texts = new BoolQueryBuilder();
        for (String text : queryTexts) {
            texts.should(textMatch(text, textFields));
        }
        QueryBuilder words = queryTexts.size() == 1 ? texts.should().get(0) : texts;
        return GlobalCandidates.filtered(words, effectiveFilter());
    }

    /** {@code text} as words in {@code fields}, each given as {@code name} or {@code name^boost}. */
    static MultiMatchQueryBuilder textMatch(String text, List<String> fields) {
        MultiMatchQueryBuilder match = new MultiMatchQueryBuilder(text);
        for (String f : fields) {
            int caret = f.indexOf('^');
            if (caret < 0) {
                match.field(f);
            } else {
                match.field(f.substring(0, caret), Float.parseFloat(f.substring(caret + 1)));
            }
        }
        return match;
    }

    private ClipHybridQueryBuilder copy() {
        ClipHybridQueryBuilder c = new ClipHybridQueryBuilder(vectors);
        c.queryTexts = queryTexts;
        c.queryImage = queryImage;
        c.queryDocument = queryDocument;
        c.queryVector = queryVector;
        c.promptTemplate = promptTemplate;
        c.vectorField = vectorField;
        c.textFields = textFields;
        c.fusion = fusion;
        c.weights = weights;
        c.normalization = normalization;
        c.rankConstant = rankConstant;
        c.cosineLow = cosineLow;
        c.cosineHigh = cosineHigh;
        c.textSaturation = textSaturation;
        c.k = k;
        c.windowSize = windowSize;
        c.efSearch = efSearch;
        c.minScore = minScore;
        c.model = model;
        c.filter = filter;
        c.properNouns = properNouns;
        c.properNounsFound = properNounsFound;
        c.fusedHits = fusedHits;
        c.boost(boost);
        c.queryName(queryName);
        return c;
    }

    @Override
    protected Query doToQuery(QueryShardContext context) throws IOException {
        if (queryVector == null) {
            throw new IllegalStateException("[" + NAME + "] query inputs were not encoded before the shard search");
        }
        ClipKnnQueryBuilder.checkVectorField(context, vectorField);
        ClipKnnQueryBuilder.checkDimension(context, vectorField, queryVector.length);
        if (fusion != Fusion.CALIBRATED && fusedHits != null) {
            String index = context.index().getName();
            Map<String, Fused> mine = new HashMap<>();
            for (GlobalCandidates.Hit hit : fusedHits) {
                if (hit.index().equals(index)) {
                    mine.put(hit.id(), hit.fused());
                }
            }
            return new GlobalFusedQuery(mine, rankFusion());
        }
        QueryBuilder knnFilter = effectiveFilter();
        Query knn = new KnnFloatVectorQuery(vectorField, queryVector, knnBeam(), knnFilter == null ? null : knnFilter.toQuery(context));
        QueryBuilder lexicalBuilder = lexicalQuery();
        Query lexical = lexicalBuilder == null ? null : lexicalBuilder.toQuery(context);
        if (fusion == Fusion.CALIBRATED) {
            return new CalibratedHybridQuery(
                knn,
                lexical,
                k,
                new CalibratedHybridQuery.Scoring(
                    vectorField,
                    queryVector,
                    calibration(vectors.defaultCalibration()),
                    effectiveWeights(),
                    minScore,
                    note()
                )
            );
        }
        return new ClipHybridQuery(knn, lexical, k, windowSize(), rankFusion(), minScore);
    }

    @Override
    protected boolean doEquals(ClipHybridQueryBuilder other) {
        return Objects.equals(queryTexts, other.queryTexts)
            && Objects.equals(queryImage, other.queryImage)
            && Objects.equals(queryDocument, other.queryDocument)
            && Arrays.equals(queryVector, other.queryVector)
            && Objects.equals(promptTemplate, other.promptTemplate)
            && Objects.equals(vectorField, other.vectorField)
            && Objects.equals(textFields, other.textFields)
            && fusion == other.fusion
            && weights.equals(other.weights)
            && normalization == other.normalization
            && rankConstant == other.rankConstant
            && Objects.equals(cosineLow, other.cosineLow)
            && Objects.equals(cosineHigh, other.cosineHigh)
            && Objects.equals(textSaturation, other.textSaturation)
            && k == other.k
            && Objects.equals(windowSize, other.windowSize)
            && Objects.equals(efSearch, other.efSearch)
            && minScore == other.minScore
            && Objects.equals(model, other.model)
            && Objects.equals(filter, other.filter)
            && properNouns == other.properNouns
            && Objects.equals(properNounsFound, other.properNounsFound)
            && pendingProperNouns == other.pendingProperNouns
            && pendingVector == other.pendingVector
            && pendingHits == other.pendingHits
            && sameHits(fusedHits, other.fusedHits);
    }

    private static boolean sameHits(List<GlobalCandidates.Hit> a, List<GlobalCandidates.Hit> b) {
        if (a == null || b == null) {
            return a == b;
        }
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            GlobalCandidates.Hit x = a.get(i), y = b.get(i);
            if (x.index().equals(y.index()) == false
                || x.id().equals(y.id()) == false
                || x.fused().score() != y.fused().score()
                || Arrays.equals(x.fused().ranks(), y.fused().ranks()) == false
                || Arrays.equals(x.fused().rawScores(), y.fused().rawScores()) == false
                || Arrays.equals(x.fused().sideScores(), y.fused().sideScores()) == false) {
                return false;
            }
        }
        return true;
    }

    @Override
    protected int doHashCode() {
        return Objects.hash(queryTexts, queryImage, queryDocument, Arrays.hashCode(queryVector), vectorField, textFields, fusion, k, model, filter);
    }
}
