package org.opensearch.cliphybrid.query;

import org.apache.lucene.search.Query;
import org.opensearch.action.IndicesRequest;
import org.opensearch.cliphybrid.inference.InferenceService;
import org.opensearch.cliphybrid.query.fusion.Rrf;
import org.opensearch.common.SetOnce;
import org.opensearch.core.ParseField;
import org.opensearch.core.action.ActionListener;
import org.opensearch.core.common.ParsingException;
import org.opensearch.core.common.io.stream.StreamInput;
import org.opensearch.core.common.io.stream.StreamOutput;
import org.opensearch.core.xcontent.XContentBuilder;
import org.opensearch.core.xcontent.XContentParser;
import org.opensearch.index.query.AbstractQueryBuilder;
import org.opensearch.index.query.MultiMatchQueryBuilder;
import org.opensearch.index.query.QueryBuilder;
import org.opensearch.index.query.QueryRewriteContext;
import org.opensearch.index.query.QueryShardContext;
import org.opensearch.index.query.QueryCoordinatorContext;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * {@code clip_hybrid}: one query text, encoded once per request by the CLIP text encoder on the coordinating node, searched
 * both as a vector (kNN on {@code vector_field}) and as words (BM25 on {@code text_fields}); the two ranked lists are fused by
 * reciprocal rank fusion.
 */
public final class ClipHybridQueryBuilder extends AbstractQueryBuilder<ClipHybridQueryBuilder> {
    public static final String NAME = "clip_hybrid";

    static final ParseField QUERY_TEXT = new ParseField("query_text");
    static final ParseField QUERY_VECTOR = new ParseField("query_vector");
    static final ParseField VECTOR_FIELD = new ParseField("vector_field");
    static final ParseField TEXT_FIELDS = new ParseField("text_fields");
    static final ParseField K = new ParseField("k");
    static final ParseField RANK_CONSTANT = new ParseField("rank_constant");
    static final ParseField MODEL = new ParseField("model");
    static final ParseField FILTER = new ParseField("filter");

    public static final int DEFAULT_K = 100;
    public static final int MAX_K = 10_000;
    public static final int DEFAULT_RANK_CONSTANT = 60;

    private final Supplier<InferenceService> inference;
    private String queryText;
    private float[] queryVector;
    private String vectorField;
    private List<String> textFields = List.of();
    private int k = DEFAULT_K;
    private int rankConstant = DEFAULT_RANK_CONSTANT;
    private String model;
    private QueryBuilder filter;
    /** Set by the coordinator's rewrite while the text is being encoded; never serialized. */
    private Supplier<float[]> pendingVector;
    /** The fused documents of the whole target, once the coordinator has collected and fused both sides' candidates. */
    private List<GlobalCandidates.Hit> fusedHits;
    private Supplier<List<GlobalCandidates.Hit>> pendingHits;

    public ClipHybridQueryBuilder(Supplier<InferenceService> inference) {
        this.inference = inference;
    }

    public ClipHybridQueryBuilder(StreamInput in, Supplier<InferenceService> inference) throws IOException {
        super(in);
        this.inference = inference;
        queryText = in.readOptionalString();
        queryVector = in.readBoolean() ? in.readFloatArray() : null;
        vectorField = in.readString();
        textFields = in.readStringList();
        k = in.readVInt();
        rankConstant = in.readVInt();
        model = in.readOptionalString();
        filter = in.readOptionalNamedWriteable(QueryBuilder.class);
        if (in.readBoolean()) {
            int n = in.readVInt();
            List<GlobalCandidates.Hit> hits = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                String index = in.readString();
                String id = in.readString();
                double score = in.readDouble();
                int[] ranks = in.readVIntArray();
                float[] raw = in.readFloatArray();
                hits.add(new GlobalCandidates.Hit(index, id, new Rrf.Fused(i, score, ranks, raw)));
            }
            fusedHits = hits;
        }
    }

    @Override
    protected void doWriteTo(StreamOutput out) throws IOException {
        if (pendingVector != null || pendingHits != null) {
            throw new IllegalStateException("[" + NAME + "] must be rewritten (query text encoded, candidates fused) before it is sent");
        }
        out.writeOptionalString(queryText);
        out.writeBoolean(queryVector != null);
        if (queryVector != null) {
            out.writeFloatArray(queryVector);
        }
        out.writeString(vectorField);
        out.writeStringCollection(textFields);
        out.writeVInt(k);
        out.writeVInt(rankConstant);
        out.writeOptionalString(model);
        out.writeOptionalNamedWriteable(filter);
        out.writeBoolean(fusedHits != null);
        if (fusedHits != null) {
            out.writeVInt(fusedHits.size());
            for (GlobalCandidates.Hit hit : fusedHits) {
                out.writeString(hit.index());
                out.writeString(hit.id());
                out.writeDouble(hit.fused().score());
                out.writeVIntArray(hit.fused().ranks());
                out.writeFloatArray(hit.fused().rawScores());
            }
        }
    }

    public ClipHybridQueryBuilder queryText(String queryText) {
        this.queryText = queryText;
        return this;
    }

    public ClipHybridQueryBuilder queryVector(float[] queryVector) {
        this.queryVector = queryVector;
        return this;
    }

    public ClipHybridQueryBuilder vectorField(String vectorField) {
        this.vectorField = vectorField;
        return this;
    }

    public ClipHybridQueryBuilder textFields(List<String> textFields) {
        this.textFields = List.copyOf(textFields);
        return this;
    }

    public ClipHybridQueryBuilder k(int k) {
        if (k < 1 || k > MAX_K) {
            throw new IllegalArgumentException("[" + NAME + "] [k] must be between 1 and " + MAX_K + ", got " + k);
        }
        this.k = k;
        return this;
    }

    public ClipHybridQueryBuilder rankConstant(int rankConstant) {
        if (rankConstant < 1) {
            throw new IllegalArgumentException("[" + NAME + "] [rank_constant] must be at least 1, got " + rankConstant);
        }
        this.rankConstant = rankConstant;
        return this;
    }

    public ClipHybridQueryBuilder model(String model) {
        this.model = model;
        return this;
    }

    ClipHybridQueryBuilder fusedHits(List<GlobalCandidates.Hit> hits) {
        this.fusedHits = List.copyOf(hits);
        return this;
    }

    public ClipHybridQueryBuilder filter(QueryBuilder filter) {
        this.filter = filter;
        return this;
    }

    public String queryText() {
        return queryText;
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

    public int k() {
        return k;
    }

    public int rankConstant() {
        return rankConstant;
    }

    public String model() {
        return model;
    }

    public QueryBuilder filter() {
        return filter;
    }

    @Override
    public String getWriteableName() {
        return NAME;
    }

    @Override
    protected void doXContent(XContentBuilder builder, Params params) throws IOException {
        builder.startObject(NAME);
        if (queryText != null) {
            builder.field(QUERY_TEXT.getPreferredName(), queryText);
        }
        if (queryVector != null) {
            builder.array(QUERY_VECTOR.getPreferredName(), queryVector);
        }
        builder.field(VECTOR_FIELD.getPreferredName(), vectorField);
        if (textFields.isEmpty() == false) {
            builder.field(TEXT_FIELDS.getPreferredName(), textFields);
        }
        builder.field(K.getPreferredName(), k);
        builder.field(RANK_CONSTANT.getPreferredName(), rankConstant);
        if (model != null) {
            builder.field(MODEL.getPreferredName(), model);
        }
        if (filter != null) {
            builder.field(FILTER.getPreferredName(), filter);
        }
        printBoostAndQueryName(builder);
        builder.endObject();
    }

    public static ClipHybridQueryBuilder fromXContent(XContentParser parser, Supplier<InferenceService> inference) throws IOException {
        ClipHybridQueryBuilder b = new ClipHybridQueryBuilder(inference);
        String current = null;
        XContentParser.Token token;
        while ((token = parser.nextToken()) != XContentParser.Token.END_OBJECT) {
            if (token == XContentParser.Token.FIELD_NAME) {
                current = parser.currentName();
            } else if (QUERY_TEXT.match(current, parser.getDeprecationHandler())) {
                b.queryText(parser.text());
            } else if (QUERY_VECTOR.match(current, parser.getDeprecationHandler())) {
                b.queryVector(floats(parser));
            } else if (VECTOR_FIELD.match(current, parser.getDeprecationHandler())) {
                b.vectorField(parser.text());
            } else if (TEXT_FIELDS.match(current, parser.getDeprecationHandler())) {
                b.textFields(strings(parser));
            } else if (K.match(current, parser.getDeprecationHandler())) {
                b.k(parser.intValue());
            } else if (RANK_CONSTANT.match(current, parser.getDeprecationHandler())) {
                b.rankConstant(parser.intValue());
            } else if (MODEL.match(current, parser.getDeprecationHandler())) {
                b.model(parser.text());
            } else if (FILTER.match(current, parser.getDeprecationHandler())) {
                b.filter(parseInnerQueryBuilder(parser));
            } else if (BOOST_FIELD.match(current, parser.getDeprecationHandler())) {
                b.boost(parser.floatValue());
            } else if (NAME_FIELD.match(current, parser.getDeprecationHandler())) {
                b.queryName(parser.text());
            } else {
                throw new ParsingException(parser.getTokenLocation(), "[" + NAME + "] unknown field [" + current + "]");
            }
        }
        if (b.vectorField == null || b.vectorField.isEmpty()) {
            throw new ParsingException(parser.getTokenLocation(), "[" + NAME + "] requires [vector_field]");
        }
        boolean hasText = b.queryText != null && b.queryText.isBlank() == false;
        if (hasText == false && b.queryVector == null) {
            throw new ParsingException(parser.getTokenLocation(), "[" + NAME + "] requires a non-empty [query_text] or a [query_vector]");
        }
        if (b.textFields.isEmpty() == false && hasText == false) {
            throw new ParsingException(parser.getTokenLocation(), "[" + NAME + "] [text_fields] need a [query_text] to search for");
        }
        return b;
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
        if (pendingVector != null) {
            float[] vector = pendingVector.get();
            return vector == null ? this : copy().queryVector(vector);
        }
        if (pendingHits != null) {
            List<GlobalCandidates.Hit> hits = pendingHits.get();
            if (hits == null) {
                return this;
            }
            return copy().fusedHits(hits);
        }
        if (queryVector == null) {
            // encode the text once, on the coordinating node, and ship the vector to the shards
            SetOnce<float[]> encoded = new SetOnce<>();
            String text = queryText;
            context.registerAsyncAction(
                (client, listener) -> inference.get()
                    .embedText(model, text, ActionListener.wrap(vector -> {
                        encoded.set(vector);
                        listener.onResponse(null);
                    }, listener::onFailure))
            );
            ClipHybridQueryBuilder pending = copy();
            pending.pendingVector = encoded::get;
            return pending;
        }
        if (filter != null) {
            QueryBuilder rewritten = filter.rewrite(context);
            if (rewritten != filter) {
                return copy().filter(rewritten);
            }
        }
        QueryCoordinatorContext coordinator = context.convertToCoordinatorContext();
        if (fusedHits == null && coordinator != null && coordinator.getSearchRequest() != null) {
            return collectGlobalCandidates(context, coordinator.getSearchRequest());
        }
        return this;
    }

    /**
     * Rank mode across shards: fuse the whole target's best k of each side, so that a document's rank and score do not depend on
     * the shard count. Where no coordinator is involved (a shard-level API such as _explain), fusion falls back to one shard.
     */
    private ClipHybridQueryBuilder collectGlobalCandidates(QueryRewriteContext context, IndicesRequest request) {
        SetOnce<List<GlobalCandidates.Hit>> collected = new SetOnce<>();
        QueryBuilder vector = new ClipKnnQueryBuilder(vectorField, queryVector, k, filter);
        QueryBuilder lexical = textFields.isEmpty() ? null : GlobalCandidates.filtered(lexicalQuery(), filter);
        context.registerAsyncAction(
            (client, listener) -> GlobalCandidates.fetch(
                client,
                request.indices(),
                request.indicesOptions(),
                vector,
                lexical,
                k,
                rankConstant,
                ActionListener.wrap(hits -> {
                    collected.set(hits);
                    listener.onResponse(null);
                }, listener::onFailure)
            )
        );
        ClipHybridQueryBuilder pending = copy();
        pending.pendingHits = collected::get;
        return pending;
    }

    private MultiMatchQueryBuilder lexicalQuery() {
        MultiMatchQueryBuilder match = new MultiMatchQueryBuilder(queryText);
        for (String f : textFields) {
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
        ClipHybridQueryBuilder c = new ClipHybridQueryBuilder(inference);
        c.queryText = queryText;
        c.queryVector = queryVector;
        c.vectorField = vectorField;
        c.textFields = textFields;
        c.k = k;
        c.rankConstant = rankConstant;
        c.model = model;
        c.filter = filter;
        c.fusedHits = fusedHits;
        c.boost(boost);
        c.queryName(queryName);
        return c;
    }

    @Override
    protected Query doToQuery(QueryShardContext context) throws IOException {
        if (queryVector == null) {
            throw new IllegalStateException("[" + NAME + "] query text was not encoded before the shard search");
        }
        ClipKnnQueryBuilder.checkVectorField(context, vectorField);
        if (fusedHits != null) {
            String index = context.index().getName();
            Map<String, Rrf.Fused> mine = new HashMap<>();
            for (GlobalCandidates.Hit hit : fusedHits) {
                if (hit.index().equals(index)) {
                    mine.put(hit.id(), hit.fused());
                }
            }
            return new GlobalFusedQuery(mine, rankConstant);
        }
        Query knn = new ClipKnnQueryBuilder(vectorField, queryVector, k, filter).toQuery(context);
        Query lexical = null;
        if (textFields.isEmpty() == false) {
            lexical = GlobalCandidates.filtered(lexicalQuery(), filter).toQuery(context);
        }
        return new ClipHybridQuery(knn, lexical, k, rankConstant);
    }

    @Override
    protected boolean doEquals(ClipHybridQueryBuilder other) {
        return Objects.equals(queryText, other.queryText)
            && Arrays.equals(queryVector, other.queryVector)
            && Objects.equals(vectorField, other.vectorField)
            && Objects.equals(textFields, other.textFields)
            && k == other.k
            && rankConstant == other.rankConstant
            && Objects.equals(model, other.model)
            && Objects.equals(filter, other.filter)
            && Objects.equals(pendingVector, other.pendingVector)
            && Objects.equals(pendingHits, other.pendingHits)
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
                || Arrays.equals(x.fused().rawScores(), y.fused().rawScores()) == false) {
                return false;
            }
        }
        return true;
    }

    @Override
    protected int doHashCode() {
        return Objects.hash(queryText, Arrays.hashCode(queryVector), vectorField, textFields, k, rankConstant, model, filter);
    }
}
