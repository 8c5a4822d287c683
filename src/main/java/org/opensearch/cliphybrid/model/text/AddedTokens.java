package org.opensearch.cliphybrid.model.text;

import org.opensearch.common.xcontent.json.JsonXContent;
import org.opensearch.core.xcontent.DeprecationHandler;
import org.opensearch.core.xcontent.NamedXContentRegistry;
import org.opensearch.core.xcontent.XContentParser;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The id of a special token from {@code tokenizer.json}'s {@code added_tokens}, read as a stream: the file of a
 * multilingual tokenizer holds a vocabulary of 250,000 entries that nothing here needs as objects. The tokenizers
 * library itself does not say which id a token has.
 */
final class AddedTokens {
    private AddedTokens() {}

    static long id(Path tokenizerJson, String token) throws IOException {
        try (
            InputStream in = Files.newInputStream(tokenizerJson);
            XContentParser parser = JsonXContent.jsonXContent.createParser(
                NamedXContentRegistry.EMPTY,
                DeprecationHandler.IGNORE_DEPRECATIONS,
                in
            )
        ) {
            if (parser.nextToken() != XContentParser.Token.START_OBJECT) {
                throw new IllegalArgumentException("tokenizer.json is not a JSON object");
            }
            while (parser.nextToken() == XContentParser.Token.FIELD_NAME) {
                String field = parser.currentName();
                XContentParser.Token value = parser.nextToken();
                if ("added_tokens".equals(field) && value == XContentParser.Token.START_ARRAY) {
                    while (parser.nextToken() == XContentParser.Token.START_OBJECT) {
                        var entry = parser.map();
                        if (token.equals(entry.get("content")) && entry.get("id") instanceof Number id) {
                            return id.longValue();
                        }
                    }
                    break;
                }
                parser.skipChildren();
            }
        }
        throw new IllegalArgumentException("tokenizer.json has no added token [" + token + "] to pad with");
    }
}
