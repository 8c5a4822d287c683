package org.opensearch.cliphybrid.rest;

import org.opensearch.cliphybrid.inference.InferenceService;
import org.opensearch.cliphybrid.model.text.LanguageCode;
import org.opensearch.core.xcontent.XContentParser;
import org.opensearch.core.xcontent.XContentParser.Token;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The body of {@code _plugins/clip/_embed}: texts and image references to embed with one model. Only the shape is checked
 * here; image references are parsed later, off the netty thread, since decoding a large base64 payload is work of its own.
 *
 * @param language the texts' FLORES-200 code for NLLB towers; null: the model's setting, else its tokenizer's default
 */
public record EmbedRequest(List<String> texts, List<String> images, String model, String language) {
    /** The texts of a request are one task on one inference thread; the cap keeps a single request from holding it for long. */
    public static final int MAX_ENTRIES = 64;

    public static EmbedRequest parse(XContentParser parser) throws IOException {
        if (parser.currentToken() == null) {
            parser.nextToken();
        }
        if (parser.currentToken() != Token.START_OBJECT) {
            throw new IllegalArgumentException("the request body must be an object with [texts] and/or [images]");
        }
        List<String> texts = List.of();
        List<String> images = List.of();
        String model = null;
        String language = null;
        while (parser.nextToken() == Token.FIELD_NAME) {
            String field = parser.currentName();
            Token value = parser.nextToken();
            switch (field) {
                case "texts" -> texts = strings(parser, field);
                case "images" -> images = strings(parser, field);
                case "model" -> {
                    if (value != Token.VALUE_STRING) {
                        throw new IllegalArgumentException("[model] must be a string, got " + value);
                    }
                    model = parser.text();
                }
                case "language" -> {
                    if (value != Token.VALUE_STRING) {
                        throw new IllegalArgumentException("[language] must be a string, got " + value);
                    }
                    language = LanguageCode.check("language", parser.text());
                }
                default -> throw new IllegalArgumentException(
                    "unknown field [" + field + "]; expected [texts], [images], [model] or [language]"
                );
            }
        }
        if (texts.isEmpty() && images.isEmpty()) {
            throw new IllegalArgumentException("nothing to embed: give at least one of [texts] or [images]");
        }
        for (int i = 0; i < texts.size(); i++) {
            if (texts.get(i).isBlank()) {
                throw new IllegalArgumentException("texts[" + i + "] is empty");
            }
            if (texts.get(i).length() > InferenceService.MAX_TEXT_CHARS) {
                throw new IllegalArgumentException(
                    "texts[" + i + "] has " + texts.get(i).length() + " characters, more than the limit of " + InferenceService.MAX_TEXT_CHARS
                );
            }
        }
        if (language != null && texts.isEmpty()) {
            throw new IllegalArgumentException("[language] is the language of [texts], and there are none");
        }
        return new EmbedRequest(texts, images, model, language);
    }

    /** A single string or an array of strings, so that one value needs no brackets. */
    private static List<String> strings(XContentParser parser, String field) throws IOException {
        if (parser.currentToken() == Token.VALUE_STRING) {
            return List.of(parser.text());
        }
        if (parser.currentToken() != Token.START_ARRAY) {
            throw new IllegalArgumentException("[" + field + "] must be a string or an array of strings, got " + parser.currentToken());
        }
        List<String> values = new ArrayList<>();
        for (Token token = parser.nextToken(); token != Token.END_ARRAY; token = parser.nextToken()) {
            if (token != Token.VALUE_STRING) {
                throw new IllegalArgumentException(field + "[" + values.size() + "] must be a string, got " + token);
            }
            if (values.size() == MAX_ENTRIES) {
                throw new IllegalArgumentException("[" + field + "] has more than " + MAX_ENTRIES + " entries; send them in several requests");
            }
            values.add(parser.text());
        }
        return values;
    }
}
