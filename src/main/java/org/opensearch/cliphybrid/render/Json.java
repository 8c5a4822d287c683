package org.opensearch.cliphybrid.render;

import org.opensearch.common.xcontent.json.JsonXContent;
import org.opensearch.core.xcontent.DeprecationHandler;
import org.opensearch.core.xcontent.NamedXContentRegistry;
import org.opensearch.core.xcontent.XContentBuilder;
import org.opensearch.core.xcontent.XContentParser;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** JSON through OpenSearch's XContent (Jackson underneath), which the project already ships, so the CLI adds no JSON library. */
final class Json {
    private Json() {}

    static Map<String, Object> parse(String json) throws IOException {
        try (
            XContentParser p = JsonXContent.jsonXContent.createParser(
                NamedXContentRegistry.EMPTY,
                DeprecationHandler.THROW_UNSUPPORTED_OPERATION,
                json
            )
        ) {
            return p.map();
        }
    }

    static String write(Map<String, ?> value) {
        return write(b -> b.map(value), false);
    }

    interface Writer {
        void write(XContentBuilder builder) throws IOException;
    }

    /** Through a plain stream rather than BytesReference, which needs Lucene, a jar the CLI does not ship. */
    static String write(Writer writer, boolean pretty) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (XContentBuilder b = new XContentBuilder(JsonXContent.jsonXContent, out)) {
            if (pretty) {
                b.prettyPrint();
            }
            writer.write(b);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
