package org.opensearch.cliphybrid.query;

import org.opensearch.cliphybrid.query.ClipHybridOptions.FoldDuplicates;
import org.opensearch.cliphybrid.query.profile.ParameterGrid;
import org.opensearch.cliphybrid.query.profile.ProfileRef;
import org.opensearch.cliphybrid.query.ClipHybridOptions.Fusion;
import org.opensearch.cliphybrid.query.ClipHybridOptions.ProperNouns;
import org.opensearch.cliphybrid.query.fusion.Normalization;
import org.opensearch.cliphybrid.query.fusion.OptionNames;
import org.opensearch.cliphybrid.query.fusion.Weights;
import org.opensearch.core.ParseField;
import org.opensearch.core.common.ParsingException;
import org.opensearch.core.common.io.stream.StreamInput;
import org.opensearch.core.common.io.stream.StreamOutput;
import org.opensearch.core.xcontent.XContentBuilder;
import org.opensearch.core.xcontent.XContentParser;
import org.opensearch.index.query.AbstractQueryBuilder;
import org.opensearch.index.query.QueryBuilder;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.opensearch.cliphybrid.query.ClipHybridOptions.NAME;

/** {@code clip_hybrid}'s DSL and wire forms of {@link ClipHybridOptions}; the one place that lists every option's spelling. */
final class ClipHybridQueryParser {
    static final ParseField QUERY_TEXT = new ParseField("query_text");
    static final ParseField QUERY_IMAGE = new ParseField("query_image");
    static final ParseField QUERY_VECTOR = new ParseField("query_vector");
    static final ParseField PROMPT_TEMPLATE = new ParseField("prompt_template");
    static final ParseField LANGUAGE = new ParseField("language");
    static final ParseField VECTOR_FIELD = new ParseField("vector_field");
    static final ParseField TEXT_FIELDS = new ParseField("text_fields");
    static final ParseField FUSION = new ParseField("fusion");
    static final ParseField WEIGHTS = new ParseField("weights");
    static final ParseField NORMALIZATION = new ParseField("normalization");
    static final ParseField RANK_CONSTANT = new ParseField("rank_constant");
    static final ParseField VECTOR_CALIBRATION = new ParseField("vector_calibration");
    static final ParseField TEXT_FLOOR = new ParseField("text_floor");
    static final ParseField K = new ParseField("k");
    static final ParseField WINDOW_SIZE = new ParseField("window_size");
    static final ParseField EF_SEARCH = new ParseField("ef_search");
    static final ParseField MIN_SCORE = new ParseField("min_score");
    static final ParseField MODEL = new ParseField("model");
    static final ParseField FILTER = new ParseField("filter");
    static final ParseField PROPER_NOUNS = new ParseField("proper_nouns");
    static final ParseField FOLD_DUPLICATES = new ParseField("fold_duplicates");
    static final ParseField PROFILE = new ParseField("profile");

    /** The keys of a weighted {@code query_text} entry. */
    static final String TEXT = "text", WEIGHT = "weight";

    private ClipHybridQueryParser() {}

    static ClipHybridQueryBuilder fromXContent(XContentParser parser, QueryEncoder encoder) throws IOException {
        ClipHybridOptionsBuilder b = ClipHybridOptions.builder();
        float boost = AbstractQueryBuilder.DEFAULT_BOOST;
        String queryName = null;
        // a mode's own options, each with the mode it applies to, checked once the mode is known
        Map<String, Fusion> modeOptions = new HashMap<>();
        // with a profile: the options the request gives itself, which the profile's parameters do not replace
        Set<String> given = new HashSet<>();
        String profile = null;
        String current = null;
        XContentParser.Token token;
        try {
            while ((token = parser.nextToken()) != XContentParser.Token.END_OBJECT) {
                if (token == XContentParser.Token.FIELD_NAME) {
                    current = parser.currentName();
                    given.add(current);
                } else if (QUERY_TEXT.match(current, parser.getDeprecationHandler())) {
                    b.weightedTexts(weightedTexts(parser));
                } else if (QUERY_IMAGE.match(current, parser.getDeprecationHandler())) {
                    if (token == XContentParser.Token.START_OBJECT) {
                        Map<String, Object> ref = parser.map();
                        if (ref.get("index") instanceof String index && ref.get("id") instanceof String id && ref.size() == 2) {
                            b.queryDocument(new QueryEncoder.DocumentRef(index, id));
                        } else {
                            throw new IllegalArgumentException("[" + NAME + "] [query_image] as an object takes exactly [index] and [id]");
                        }
                    } else {
                        b.queryImage(parser.text());
                    }
                } else if (QUERY_VECTOR.match(current, parser.getDeprecationHandler())) {
                    b.queryVector(DslValues.floats(parser));
                } else if (PROMPT_TEMPLATE.match(current, parser.getDeprecationHandler())) {
                    b.promptTemplate(parser.text());
                } else if (LANGUAGE.match(current, parser.getDeprecationHandler())) {
                    b.language(parser.text());
                } else if (VECTOR_FIELD.match(current, parser.getDeprecationHandler())) {
                    b.vectorField(parser.text());
                } else if (TEXT_FIELDS.match(current, parser.getDeprecationHandler())) {
                    b.textFields(DslValues.strings(parser));
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
                } else if (TEXT_FLOOR.match(current, parser.getDeprecationHandler())) {
                    b.textFloor(parser.floatValue());
                    modeOptions.put(TEXT_FLOOR.getPreferredName(), Fusion.CALIBRATED);
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
                    b.filter(AbstractQueryBuilder.parseInnerQueryBuilder(parser));
                } else if (PROPER_NOUNS.match(current, parser.getDeprecationHandler())) {
                    b.properNouns(OptionNames.parse(ProperNouns.class, PROPER_NOUNS.getPreferredName(), parser.text()));
                } else if (FOLD_DUPLICATES.match(current, parser.getDeprecationHandler())) {
                    b.foldDuplicates(foldDuplicates(parser));
                } else if (PROFILE.match(current, parser.getDeprecationHandler())) {
                    profile = parser.text();
                } else if (AbstractQueryBuilder.BOOST_FIELD.match(current, parser.getDeprecationHandler())) {
                    boost = parser.floatValue();
                } else if (AbstractQueryBuilder.NAME_FIELD.match(current, parser.getDeprecationHandler())) {
                    queryName = parser.text();
                } else {
                    throw new ParsingException(parser.getTokenLocation(), "[" + NAME + "] unknown field [" + current + "]");
                }
            }
            if (profile != null) {
                given.retainAll(ParameterGrid.NAMES);
                b.profile(new ProfileRef(profile, given));
            }
        } catch (IllegalArgumentException e) {
            throw new ParsingException(parser.getTokenLocation(), e.getMessage(), e);
        }
        ClipHybridOptions options = b.build();
        try {
            // a profile may set the mode: its options are checked against the mode once the profile is read
            boolean modeKnown = options.profile() == null || options.profile().given().contains(FUSION.getPreferredName());
            for (Map.Entry<String, Fusion> option : modeKnown ? modeOptions.entrySet() : Set.<Map.Entry<String, Fusion>>of()) {
                ClipHybridOptions.checkModeOption(option.getKey(), option.getValue(), options.fusion());
            }
            options.checkComplete();
        } catch (IllegalArgumentException e) {
            // a whole-request error, not one option's: no cause, as the option errors above carry
            throw new ParsingException(parser.getTokenLocation(), e.getMessage());
        }
        ClipHybridQueryBuilder query = new ClipHybridQueryBuilder(options, encoder);
        query.boost(boost);
        query.queryName(queryName);
        return query;
    }

    /** The options as the DSL spells them; a mode's own options only for that mode, defaults left out where the DSL leaves them. */
    static void toXContent(XContentBuilder builder, ClipHybridOptions o) throws IOException {
        List<WeightedText> queryTexts = o.weightedTexts();
        if (queryTexts.size() == 1 && queryTexts.get(0).weight() == 1f) {
            builder.field(QUERY_TEXT.getPreferredName(), queryTexts.get(0).text());
        } else if (queryTexts.isEmpty() == false) {
            // weight 1 as a plain string, so that a query without weights prints as it was written
            builder.startArray(QUERY_TEXT.getPreferredName());
            for (WeightedText text : queryTexts) {
                if (text.weight() == 1f) {
                    builder.value(text.text());
                } else {
                    builder.startObject().field(TEXT, text.text()).field(WEIGHT, text.weight()).endObject();
                }
            }
            builder.endArray();
        }
        if (o.queryImage() != null) {
            builder.field(QUERY_IMAGE.getPreferredName(), o.queryImage());
        }
        if (o.queryDocument() != null) {
            builder.startObject(QUERY_IMAGE.getPreferredName())
                .field("index", o.queryDocument().index())
                .field("id", o.queryDocument().id())
                .endObject();
        }
        if (o.queryVector() != null) {
            builder.array(QUERY_VECTOR.getPreferredName(), o.queryVector());
        }
        if (o.promptTemplate() != null) {
            builder.field(PROMPT_TEMPLATE.getPreferredName(), o.promptTemplate());
        }
        if (o.language() != null) {
            builder.field(LANGUAGE.getPreferredName(), o.language());
        }
        builder.field(VECTOR_FIELD.getPreferredName(), o.vectorField());
        if (o.textFields().isEmpty() == false) {
            builder.field(TEXT_FIELDS.getPreferredName(), o.textFields());
        }
        if (shows(o, FUSION)) {
            builder.field(FUSION.getPreferredName(), OptionNames.of(o.fusion()));
        }
        if (shows(o, WEIGHTS)) {
            builder.startObject(WEIGHTS.getPreferredName()).field("vector", o.weights().vector()).field("text", o.weights().text()).endObject();
        }
        if (showsModeOption(o, VECTOR_CALIBRATION, Fusion.CALIBRATED) && (o.cosineLow() != null || o.cosineHigh() != null)) {
            builder.startObject(VECTOR_CALIBRATION.getPreferredName());
            if (o.cosineLow() != null) {
                builder.field("cosine_low", o.cosineLow());
            }
            if (o.cosineHigh() != null) {
                builder.field("cosine_high", o.cosineHigh());
            }
            builder.endObject();
        }
        if (showsModeOption(o, TEXT_FLOOR, Fusion.CALIBRATED) && o.textFloor() != null) {
            builder.field(TEXT_FLOOR.getPreferredName(), o.textFloor());
        }
        if (showsModeOption(o, RANK_CONSTANT, Fusion.RRF)) {
            builder.field(RANK_CONSTANT.getPreferredName(), o.rankConstant());
        }
        if (showsModeOption(o, NORMALIZATION, Fusion.LINEAR)) {
            builder.field(NORMALIZATION.getPreferredName(), OptionNames.of(o.normalization()));
        }
        builder.field(K.getPreferredName(), o.k());
        if (o.windowSize() != null) {
            builder.field(WINDOW_SIZE.getPreferredName(), o.windowSize());
        }
        if (o.efSearch() != null) {
            builder.field(EF_SEARCH.getPreferredName(), o.efSearch());
        }
        if (o.minScore() != Float.NEGATIVE_INFINITY) {
            builder.field(MIN_SCORE.getPreferredName(), o.minScore());
        }
        if (o.model() != null) {
            builder.field(MODEL.getPreferredName(), o.model());
        }
        if (o.filter() != null) {
            builder.field(FILTER.getPreferredName(), o.filter());
        }
        if (o.properNouns() != ProperNouns.BOOST) {
            builder.field(PROPER_NOUNS.getPreferredName(), OptionNames.of(o.properNouns()));
        }
        if (o.foldDuplicates() != null) {
            builder.startObject(FOLD_DUPLICATES.getPreferredName())
                .field("cosine", o.foldDuplicates().cosine())
                .field("window", o.foldDuplicates().window())
                .endObject();
        }
        if (o.profile() != null) {
            builder.field(PROFILE.getPreferredName(), o.profile().name());
        }
    }

    /** Before its profile is applied, a query shows only the options a profile may set that the request gave itself. */
    private static boolean shows(ClipHybridOptions o, ParseField option) {
        String name = option.getPreferredName();
        return o.profile() == null || o.profile().given().contains(name) || ParameterGrid.NAMES.contains(name) == false;
    }

    /** A mode's own option: for that mode, or, before a profile sets the mode, where the request gave it. */
    private static boolean showsModeOption(ClipHybridOptions o, ParseField option, Fusion mode) {
        return o.profile() == null ? o.fusion() == mode : o.profile().given().contains(option.getPreferredName());
    }

    static ClipHybridOptions readOptions(StreamInput in) throws IOException {
        return new ClipHybridOptions(
            in.readStringList(),
            in.readList(StreamInput::readFloat),
            in.readOptionalString(),
            in.readBoolean() ? new QueryEncoder.DocumentRef(in.readString(), in.readString()) : null,
            in.readBoolean() ? in.readFloatArray() : null,
            in.readOptionalString(),
            in.readOptionalString(),
            in.readString(),
            in.readStringList(),
            in.readEnum(Fusion.class),
            new Weights(in),
            in.readEnum(Normalization.class),
            in.readVInt(),
            in.readOptionalFloat(),
            in.readOptionalFloat(),
            in.readOptionalFloat(),
            in.readVInt(),
            in.readOptionalVInt(),
            in.readOptionalVInt(),
            in.readFloat(),
            in.readOptionalString(),
            in.readOptionalNamedWriteable(QueryBuilder.class),
            in.readEnum(ProperNouns.class),
            in.readBoolean() ? new FoldDuplicates(in.readFloat(), in.readVInt()) : null,
            in.readOptionalWriteable(ProfileRef::new)
        );
    }

    static void writeOptions(StreamOutput out, ClipHybridOptions o) throws IOException {
        out.writeStringCollection(o.queryTexts());
        out.writeCollection(o.textWeights(), StreamOutput::writeFloat);
        out.writeOptionalString(o.queryImage());
        out.writeBoolean(o.queryDocument() != null);
        if (o.queryDocument() != null) {
            out.writeString(o.queryDocument().index());
            out.writeString(o.queryDocument().id());
        }
        out.writeBoolean(o.queryVector() != null);
        if (o.queryVector() != null) {
            out.writeFloatArray(o.queryVector());
        }
        out.writeOptionalString(o.promptTemplate());
        out.writeOptionalString(o.language());
        out.writeString(o.vectorField());
        out.writeStringCollection(o.textFields());
        out.writeEnum(o.fusion());
        o.weights().writeTo(out);
        out.writeEnum(o.normalization());
        out.writeVInt(o.rankConstant());
        out.writeOptionalFloat(o.cosineLow());
        out.writeOptionalFloat(o.cosineHigh());
        out.writeOptionalFloat(o.textFloor());
        out.writeVInt(o.k());
        out.writeOptionalVInt(o.windowSize());
        out.writeOptionalVInt(o.efSearch());
        out.writeFloat(o.minScore());
        out.writeOptionalString(o.model());
        out.writeOptionalNamedWriteable(o.filter());
        out.writeEnum(o.properNouns());
        out.writeBoolean(o.foldDuplicates() != null);
        if (o.foldDuplicates() != null) {
            out.writeFloat(o.foldDuplicates().cosine());
            out.writeVInt(o.foldDuplicates().window());
        }
        out.writeOptionalWriteable(o.profile());
    }

    /** {@code {"cosine": 0.95, "window": 100}}, either key optional; {@code {}} folds with the defaults. */
    private static FoldDuplicates foldDuplicates(XContentParser parser) throws IOException {
        if (parser.currentToken() != XContentParser.Token.START_OBJECT) {
            throw new IllegalArgumentException(
                "[" + NAME + "] [" + FOLD_DUPLICATES.getPreferredName() + "] must be an object such as {\"cosine\": 0.95, \"window\": 100}"
            );
        }
        Map<String, Object> map = numbers(parser, FOLD_DUPLICATES, "cosine", "window");
        Object cosine = map.get("cosine");
        if (cosine != null && cosine instanceof Number == false) {
            throw new IllegalArgumentException("[" + NAME + "] [fold_duplicates.cosine] must be a number, got [" + cosine + "]");
        }
        Object window = map.get("window");
        if (window != null && (window instanceof Integer || window instanceof Long) == false) {
            throw new IllegalArgumentException("[" + NAME + "] [fold_duplicates.window] must be a whole number, got [" + window + "]");
        }
        long w = window == null ? ClipHybridOptions.DEFAULT_FOLD_WINDOW : ((Number) window).longValue();
        return new FoldDuplicates(
            cosine == null ? ClipHybridOptions.DEFAULT_FOLD_COSINE : ((Number) cosine).floatValue(),
            (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, w))
        );
    }

    /** A string, or an array of strings (weight 1) and {@code {"text": ..., "weight": ...}} objects. */
    private static List<WeightedText> weightedTexts(XContentParser parser) throws IOException {
        List<WeightedText> texts = new ArrayList<>();
        if (parser.currentToken() != XContentParser.Token.START_ARRAY) {
            if (parser.currentToken() == XContentParser.Token.START_OBJECT) {
                throw new IllegalArgumentException(
                    "[" + NAME + "] [query_text] takes a string or an array of strings and {\"text\", \"weight\"} objects; put the object in an array"
                );
            }
            texts.add(new WeightedText(parser.text()));
            return texts;
        }
        while (parser.nextToken() != XContentParser.Token.END_ARRAY) {
            texts.add(parser.currentToken() == XContentParser.Token.START_OBJECT ? weightedText(parser) : new WeightedText(parser.text()));
        }
        return texts;
    }

    private static WeightedText weightedText(XContentParser parser) throws IOException {
        String text = null;
        float weight = 1f;
        String key = null;
        XContentParser.Token token;
        while ((token = parser.nextToken()) != XContentParser.Token.END_OBJECT) {
            if (token == XContentParser.Token.FIELD_NAME) {
                key = parser.currentName();
            } else if (TEXT.equals(key) && token == XContentParser.Token.VALUE_STRING) {
                text = parser.text();
            } else if (WEIGHT.equals(key) && token == XContentParser.Token.VALUE_NUMBER) {
                weight = parser.floatValue();
            } else if (TEXT.equals(key) || WEIGHT.equals(key)) {
                throw new IllegalArgumentException(
                    "[" + NAME + "] [query_text] entry's [" + key + "] must be a " + (TEXT.equals(key) ? "string" : "number") + ", got " + token
                );
            } else {
                throw new IllegalArgumentException(
                    "[" + NAME + "] [query_text] entry has unknown key [" + key + "]: an entry takes [" + TEXT + "] and [" + WEIGHT + "]"
                );
            }
        }
        if (text == null) {
            throw new IllegalArgumentException("[" + NAME + "] [query_text] entry needs a [" + TEXT + "]");
        }
        return new WeightedText(text, weight);
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
}
