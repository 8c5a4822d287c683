package org.opensearch.cliphybrid.query;

import org.opensearch.common.xcontent.XContentHelper;
import org.opensearch.common.xcontent.json.JsonXContent;
import org.opensearch.core.common.bytes.BytesReference;
import org.opensearch.core.xcontent.MediaTypeRegistry;
import org.opensearch.core.xcontent.ToXContent;
import org.opensearch.core.xcontent.XContentBuilder;
import org.opensearch.index.mapper.DocumentMapper;
import org.opensearch.index.mapper.Mapper;
import org.opensearch.index.mapper.MapperService;
import org.opensearch.index.query.QueryShardContext;

import java.io.IOException;
import java.util.Map;

/**
 * What a vector field's mapping declares: its dimension, and how its vectors are quantized. A segment's {@code FieldInfo}
 * knows the dimension only once a vector was indexed, so a shard without vectors needs the mapping. k-NN keeps both in its
 * own field type class, which the plugin does not link against (docs/architecture.md), and {@code MappedFieldType} has
 * nothing generic for them; the field's mapper does write its own mapping through the public {@code ToXContent} contract,
 * the same JSON that {@code GET <index>/_mapping} shows, so that is what is read, once per field and query.
 *
 * @param dimension the mapped dimension, or {@link #UNKNOWN}
 * @param bits      bits per dimension the field's graph searches with: {@link #FLOAT_BITS}, or what its quantization keeps
 */
record MappedVectorField(int dimension, int bits) {
    /** A mapping without a dimension: a k-NN field built from a trained model ({@code model_id}) names none. */
    static final int UNKNOWN = -1;
    /** Bits per dimension of vectors searched as they are stored. */
    static final int FLOAT_BITS = 32;
    /** k-NN's lucene engine quantizes to 7 bits when {@code encoder sq} names no {@code bits}. */
    private static final int SQ_DEFAULT_BITS = 7;

    private static final String DIMENSION = "dimension";

    /** What the shard's mapping says of {@code field} (its full path, aliases resolved). */
    static MappedVectorField of(QueryShardContext context, String field) throws IOException {
        Object mapping = mapping(context, field);
        return new MappedVectorField(dimensionFromMapping(mapping), bitsFromMapping(mapping));
    }

    static int dimension(Mapper mapper) throws IOException {
        return dimensionFromMapping(mapping(mapper));
    }

    /** The dimension in one field's mapping, e.g. {@code {"type": "knn_vector", "dimension": 512, ...}}. */
    static int dimensionFromMapping(Object fieldMapping) {
        if (fieldMapping instanceof Map<?, ?> map && map.get(DIMENSION) instanceof Number n && n.intValue() > 0) {
            return n.intValue();
        }
        return UNKNOWN;
    }

    /**
     * The quantization in one field's mapping: {@code method.parameters.encoder} {@code sq} with its {@code bits} (7 when it
     * names none), {@code binary} (1), or {@code compression_level} 32x (1) and 4x (7) where no encoder is named.
     */
    static int bitsFromMapping(Object fieldMapping) {
        if ((fieldMapping instanceof Map<?, ?>) == false) {
            return FLOAT_BITS;
        }
        Map<?, ?> map = (Map<?, ?>) fieldMapping;
        if (map.get("method") instanceof Map<?, ?> method && method.get("parameters") instanceof Map<?, ?> parameters
            && parameters.get("encoder") instanceof Map<?, ?> encoder) {
            Object name = encoder.get("name");
            if ("sq".equals(name)) {
                return encoder.get("parameters") instanceof Map<?, ?> p && p.get("bits") instanceof Number bits
                    ? bits.intValue()
                    : SQ_DEFAULT_BITS;
            }
            if ("binary".equals(name)) {
                return 1;
            }
        }
        Object level = map.get("compression_level");
        if ("32x".equals(level)) {
            return 1;
        }
        return "4x".equals(level) ? SQ_DEFAULT_BITS : FLOAT_BITS;
    }

    private static Object mapping(QueryShardContext context, String field) throws IOException {
        MapperService mapperService = context.getMapperService();
        DocumentMapper documentMapper = mapperService == null ? null : mapperService.documentMapper();
        Mapper mapper = documentMapper == null ? null : documentMapper.mappers().getMapper(field);
        return mapper == null ? null : mapping(mapper);
    }

    private static Object mapping(Mapper mapper) throws IOException {
        XContentBuilder builder = JsonXContent.contentBuilder().startObject();
        mapper.toXContent(builder, ToXContent.EMPTY_PARAMS);
        builder.endObject();
        Map<String, Object> wrapped = XContentHelper.convertToMap(BytesReference.bytes(builder), false, MediaTypeRegistry.JSON).v2();
        return wrapped.get(mapper.simpleName());
    }
}
