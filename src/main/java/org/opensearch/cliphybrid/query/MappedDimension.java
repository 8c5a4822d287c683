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
 * The dimension that a vector field's mapping declares. A segment's {@code FieldInfo} knows it only once a vector was indexed,
 * so a shard without vectors needs the mapping. k-NN keeps the dimension in its own field type class, which the plugin does not
 * link against (docs/architecture.md), and {@code MappedFieldType} has nothing generic for it; the field's mapper does write its
 * own mapping through the public {@code ToXContent} contract, the same JSON that {@code GET <index>/_mapping} shows, so that is
 * what is read.
 */
final class MappedDimension {
    /** A mapping without a dimension: a k-NN field built from a trained model ({@code model_id}) names none. */
    static final int UNKNOWN = -1;

    private static final String DIMENSION = "dimension";

    private MappedDimension() {}

    /** The dimension of {@code field} (its full path, aliases resolved) in the shard's mapping, or {@link #UNKNOWN}. */
    static int of(QueryShardContext context, String field) throws IOException {
        MapperService mapperService = context.getMapperService();
        DocumentMapper documentMapper = mapperService == null ? null : mapperService.documentMapper();
        Mapper mapper = documentMapper == null ? null : documentMapper.mappers().getMapper(field);
        return mapper == null ? UNKNOWN : of(mapper);
    }

    static int of(Mapper mapper) throws IOException {
        XContentBuilder builder = JsonXContent.contentBuilder().startObject();
        mapper.toXContent(builder, ToXContent.EMPTY_PARAMS);
        builder.endObject();
        Map<String, Object> wrapped = XContentHelper.convertToMap(BytesReference.bytes(builder), false, MediaTypeRegistry.JSON).v2();
        return fromMapping(wrapped.get(mapper.simpleName()));
    }

    /** The dimension in one field's mapping, e.g. {@code {"type": "knn_vector", "dimension": 512, ...}}. */
    static int fromMapping(Object fieldMapping) {
        if (fieldMapping instanceof Map<?, ?> map && map.get(DIMENSION) instanceof Number n && n.intValue() > 0) {
            return n.intValue();
        }
        return UNKNOWN;
    }
}
