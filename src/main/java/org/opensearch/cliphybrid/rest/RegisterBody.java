package org.opensearch.cliphybrid.rest;

import org.opensearch.cliphybrid.model.registered.ModelStoreRequest;
import org.opensearch.core.xcontent.XContentParser;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The body of {@code POST _plugins/clip/models/<name>/_register}: none registers the uploaded chunks; {@code {"url": ...,
 * "sha256": ...}} makes the node fetch the zip. Each refusal names the field and why, before anything is fetched.
 */
final class RegisterBody {
    private static final Pattern SHA256 = Pattern.compile("[0-9a-fA-F]{64}");

    private RegisterBody() {}

    static ModelStoreRequest parse(String name, XContentParser parser) throws IOException {
        if (parser.nextToken() != XContentParser.Token.START_OBJECT) {
            throw new IllegalArgumentException("the _register body must be a JSON object {\"url\": ..., \"sha256\": ...}");
        }
        String url = null, sha256 = null;
        while (parser.nextToken() == XContentParser.Token.FIELD_NAME) {
            String field = parser.currentName();
            XContentParser.Token token = parser.nextToken();
            switch (field) {
                case "url" -> url = string(field, token, parser);
                case "sha256" -> sha256 = string(field, token, parser);
                default -> throw new IllegalArgumentException("the _register body takes [url] and [sha256]; got [" + field + "]");
            }
        }
        if (url == null) {
            if (sha256 != null) {
                throw new IllegalArgumentException("[sha256] checks the zip fetched from [url], which is missing");
            }
            return new ModelStoreRequest(name);
        }
        return new ModelStoreRequest(name, checkUrl(url), checkSha256(sha256));
    }

    private static String string(String field, XContentParser.Token token, XContentParser parser) throws IOException {
        if (token != XContentParser.Token.VALUE_STRING) {
            throw new IllegalArgumentException("[" + field + "] must be a string, got " + token);
        }
        return parser.text();
    }

    static String checkUrl(String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("[url] [" + url + "] is not a valid URL: " + e.getMessage());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (scheme.equals("http") == false && scheme.equals("https") == false) {
            throw new IllegalArgumentException("[url] [" + url + "] must be an http or https URL");
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            throw new IllegalArgumentException("[url] [" + url + "] has no host");
        }
        if (uri.getRawUserInfo() != null) {
            // the response, the logs and the task list would show the password
            throw new IllegalArgumentException("[url] [" + uri.getHost() + "...] must not carry a user or password");
        }
        return uri.toString();
    }

    static String checkSha256(String sha256) {
        if (sha256 == null) {
            return null;
        }
        if (SHA256.matcher(sha256).matches() == false) {
            throw new IllegalArgumentException("[sha256] must be 64 hexadecimal digits, got [" + sha256 + "]");
        }
        return sha256.toLowerCase(Locale.ROOT);
    }
}
