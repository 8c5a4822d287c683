package org.opensearch.cliphybrid.model.text;

import org.opensearch.common.xcontent.json.JsonXContent;
import org.opensearch.core.xcontent.DeprecationHandler;
import org.opensearch.core.xcontent.NamedXContentRegistry;
import org.opensearch.core.xcontent.XContentParser;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The ids of special tokens from {@code tokenizer.json}'s {@code added_tokens}, read as a stream: the file of a
 * multilingual tokenizer holds a vocabulary of 250,000 entries that nothing here needs as objects. The tokenizers
 * library itself does not say which id a token has.
 */
final class AddedTokens {
    /** NLLB-200 has 202 language codes; no tokenizer file needs more than a few thousand added tokens. */
    private static final int MAX_TOKENS = 10_000;

    private AddedTokens() {}

    static long id(Path tokenizerJson, String token) throws IOException {
        Long id = matching(tokenizerJson, token::equals).get(token);
        if (id == null) {
            throw new IllegalArgumentException("tokenizer.json has no added token [" + token + "] to pad with");
        }
        return id;
    }

    /** Every added token whose text {@code wanted} accepts, with its id. */
    static Map<String, Long> matching(Path tokenizerJson, Predicate<String> wanted) throws IOException {
        Map<String, Long> found = new HashMap<>();
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
                    int seen = 0;
                    while (parser.nextToken() == XContentParser.Token.START_OBJECT) {
                        if (++seen > MAX_TOKENS) {
                            throw new IllegalArgumentException("tokenizer.json has more than " + MAX_TOKENS + " added tokens");
                        }
                        var entry = parser.map();
                        if (entry.get("content") instanceof String content && wanted.test(content) && entry.get("id") instanceof Number id) {
                            found.put(content, id.longValue());
                        }
                    }
                    break;
                }
                parser.skipChildren();
            }
        }
        return found;
    }
}
