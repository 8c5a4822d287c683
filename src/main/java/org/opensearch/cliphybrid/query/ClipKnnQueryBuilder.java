package org.opensearch.cliphybrid.query;

import org.apache.lucene.index.FieldInfo;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.search.Query;
import org.opensearch.core.ParseField;
import org.opensearch.core.common.ParsingException;
import org.opensearch.core.common.io.stream.StreamInput;
import org.opensearch.core.common.io.stream.StreamOutput;
import org.opensearch.core.xcontent.XContentBuilder;
import org.opensearch.core.xcontent.XContentParser;
import org.opensearch.index.mapper.MappedFieldType;
import org.opensearch.index.query.AbstractQueryBuilder;
import org.opensearch.index.query.QueryBuilder;
import org.opensearch.index.query.QueryRewriteContext;
import org.opensearch.index.query.QueryShardContext;
import org.opensearch.index.query.QueryShardException;

import java.io.IOException;
import java.util.Arrays;
import java.util.Objects;

/**
 * {@code clip_knn}: the vector side of {@code clip_hybrid} on its own, the {@code k} nearest vectors with Lucene's scores, the
 * filter applied inside the HNSW search. {@code clip_hybrid} sends it to every shard to collect the global vector candidates.
 */
public final class ClipKnnQueryBuilder extends AbstractQueryBuilder<ClipKnnQueryBuilder> {
    public static final String NAME = "clip_knn";

    private static final ParseField VECTOR_FIELD = new ParseField("vector_field");
    private static final ParseField QUERY_VECTOR = new ParseField("query_vector");
    private static final ParseField K = new ParseField("k");
    private static final ParseField FILTER = new ParseField("filter");

    private final String vectorField;
    private final float[] queryVector;
    private final int k;
    private final QueryBuilder filter;

    public ClipKnnQueryBuilder(String vectorField, float[] queryVector, int k, QueryBuilder filter) {
        this.vectorField = Objects.requireNonNull(vectorField);
        this.queryVector = Objects.requireNonNull(queryVector);
        this.k = k;
        this.filter = filter;
    }

    public ClipKnnQueryBuilder(StreamInput in) throws IOException {
        super(in);
        vectorField = in.readString();
        queryVector = in.readFloatArray();
        k = in.readVInt();
        filter = in.readOptionalNamedWriteable(QueryBuilder.class);
    }

    @Override
    protected void doWriteTo(StreamOutput out) throws IOException {
        out.writeString(vectorField);
        out.writeFloatArray(queryVector);
        out.writeVInt(k);
        out.writeOptionalNamedWriteable(filter);
    }

    @Override
    protected void doXContent(XContentBuilder builder, Params params) throws IOException {
        builder.startObject(NAME);
        builder.field(VECTOR_FIELD.getPreferredName(), vectorField);
        builder.array(QUERY_VECTOR.getPreferredName(), queryVector);
        builder.field(K.getPreferredName(), k);
        if (filter != null) {
            builder.field(FILTER.getPreferredName(), filter);
        }
        printBoostAndQueryName(builder);
        builder.endObject();
    }

    public static ClipKnnQueryBuilder fromXContent(XContentParser parser) throws IOException {
        String vectorField = null;
        float[] vector = null;
        int k = ClipHybridOptions.DEFAULT_K;
        QueryBuilder filter = null;
        float boost = DEFAULT_BOOST;
        String queryName = null;
        String current = null;
        XContentParser.Token token;
        while ((token = parser.nextToken()) != XContentParser.Token.END_OBJECT) {
            if (token == XContentParser.Token.FIELD_NAME) {
                current = parser.currentName();
            } else if (VECTOR_FIELD.match(current, parser.getDeprecationHandler())) {
                vectorField = parser.text();
            } else if (QUERY_VECTOR.match(current, parser.getDeprecationHandler())) {
                vector = DslValues.floats(parser);
            } else if (K.match(current, parser.getDeprecationHandler())) {
                k = parser.intValue();
            } else if (FILTER.match(current, parser.getDeprecationHandler())) {
                filter = parseInnerQueryBuilder(parser);
            } else if (BOOST_FIELD.match(current, parser.getDeprecationHandler())) {
                boost = parser.floatValue();
            } else if (NAME_FIELD.match(current, parser.getDeprecationHandler())) {
                queryName = parser.text();
            } else {
                throw new ParsingException(parser.getTokenLocation(), "[" + NAME + "] unknown field [" + current + "]");
            }
        }
        if (vectorField == null || vector == null) {
            throw new ParsingException(parser.getTokenLocation(), "[" + NAME + "] requires [vector_field] and [query_vector]");
        }
        if (k < 1 || k > ClipHybridOptions.MAX_K) {
            throw new ParsingException(parser.getTokenLocation(), "[" + NAME + "] [k] must be between 1 and " + ClipHybridOptions.MAX_K);
        }
        ClipKnnQueryBuilder b = new ClipKnnQueryBuilder(vectorField, vector, k, filter);
        b.boost(boost).queryName(queryName);
        return b;
    }

    @Override
    protected QueryBuilder doRewrite(QueryRewriteContext context) throws IOException {
        if (filter != null) {
            QueryBuilder rewritten = filter.rewrite(context);
            if (rewritten != filter) {
                ClipKnnQueryBuilder b = new ClipKnnQueryBuilder(vectorField, queryVector, k, rewritten);
                b.boost(boost).queryName(queryName);
                return b;
            }
        }
        return this;
    }

    @Override
    protected Query doToQuery(QueryShardContext context) throws IOException {
        checkVectorField(context, vectorField);
        checkDimension(context, vectorField, queryVector.length);
        return new GuardedKnnQuery(vectorField, queryVector, k, filter == null ? null : filter.toQuery(context));
    }

    /** The 400s both queries give for a field that cannot hold image vectors. */
    static void checkVectorField(QueryShardContext context, String vectorField) {
        MappedFieldType fieldType = context.fieldMapper(vectorField);
        if (fieldType == null) {
            throw new QueryShardException(
                context,
                "[" + ClipHybridOptions.NAME + "] [vector_field] [" + vectorField + "] does not exist in the mapping"
            );
        }
        if ("knn_vector".equals(fieldType.typeName()) == false) {
            throw new QueryShardException(
                context,
                "[" + ClipHybridOptions.NAME + "] [vector_field] [" + vectorField + "] is of type [" + fieldType.typeName()
                    + "], not [knn_vector]"
            );
        }
    }

    /**
     * The 400 for a query vector of another dimension than the field's. The mapping answers even on a shard without vectors,
     * where Lucene would quietly find nothing; the segments answer for a mapping that names no dimension. Returns what the
     * mapping says of the field.
     */
    static MappedVectorField checkDimension(QueryShardContext context, String vectorField, int dimension) throws IOException {
        MappedVectorField field = MappedVectorField.of(context, context.fieldMapper(vectorField).name());
        int mapped = field.dimension();
        if (mapped != MappedVectorField.UNKNOWN && mapped != dimension) {
            throw dimensionMismatch(context, vectorField, dimension, mapped);
        }
        for (LeafReaderContext leaf : context.getIndexReader().leaves()) {
            FieldInfo info = leaf.reader().getFieldInfos().fieldInfo(vectorField);
            if (info != null && info.getVectorDimension() > 0 && info.getVectorDimension() != dimension) {
                throw dimensionMismatch(context, vectorField, dimension, info.getVectorDimension());
            }
        }
        return field;
    }

    private static QueryShardException dimensionMismatch(QueryShardContext context, String vectorField, int dimension, int held) {
        return new QueryShardException(
            context,
            "[" + ClipHybridOptions.NAME + "] the query vector has " + dimension + " dimensions but field [" + vectorField
                + "] holds vectors of " + held + ": use the model that embedded the images"
        );
    }

    @Override
    public String getWriteableName() {
        return NAME;
    }

    @Override
    protected boolean doEquals(ClipKnnQueryBuilder other) {
        return vectorField.equals(other.vectorField)
            && Arrays.equals(queryVector, other.queryVector)
            && k == other.k
            && Objects.equals(filter, other.filter);
    }

    @Override
    protected int doHashCode() {
        return Objects.hash(vectorField, Arrays.hashCode(queryVector), k, filter);
    }
}
