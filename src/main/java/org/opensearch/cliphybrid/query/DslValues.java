package org.opensearch.cliphybrid.query;

import org.opensearch.core.common.ParsingException;
import org.opensearch.core.xcontent.XContentParser;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import static org.opensearch.cliphybrid.query.ClipHybridOptions.NAME;

/** Array values as both query DSLs read them ({@code clip_hybrid}'s parser and {@code clip_knn}). */
final class DslValues {
    private DslValues() {}

    /** {@code [0.1, 0.2]}; the message names {@code query_vector}, the field both queries read it from. */
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

    /** One string or an array of them. */
    static List<String> strings(XContentParser parser) throws IOException {
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
}
