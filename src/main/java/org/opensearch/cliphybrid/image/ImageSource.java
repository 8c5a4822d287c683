package org.opensearch.cliphybrid.image;

import java.net.URI;
import java.util.Base64;
import java.util.Locale;
import java.util.regex.Pattern;

/** Where an image comes from, as written in a document field: an http(s) URL, a {@code data:} URI, bare base64, or a file path. */
public sealed interface ImageSource {

    /** Short text for error messages: never the whole payload of an inline image. */
    String describe();

    record Url(URI uri) implements ImageSource {
        @Override
        public String describe() {
            return "url [" + uri + "]";
        }
    }

    record Inline(byte[] bytes, String form) implements ImageSource {
        @Override
        public String describe() {
            return form + " (" + bytes.length + " bytes)";
        }
    }

    record LocalFile(String path) implements ImageSource {
        @Override
        public String describe() {
            return "file [" + path + "]";
        }
    }

    /** Inline images are long; a short value of these characters is more likely a file name such as {@code cat}. */
    int MIN_BASE64_LENGTH = 64;
    Pattern BASE64 = Pattern.compile("[A-Za-z0-9+/=_\\-\\s]+");

    static ImageSource parse(String value) {
        String v = value.strip();
        if (v.isEmpty()) {
            throw new IllegalArgumentException("empty image reference");
        }
        String lower = v.toLowerCase(Locale.ROOT);
        if (lower.startsWith("data:")) {
            return dataUri(v);
        }
        if (lower.startsWith("http://") || lower.startsWith("https://")) {
            try {
                return new Url(URI.create(v));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("malformed URL [" + v + "]: " + e.getMessage(), e);
            }
        }
        int scheme = v.indexOf("://");
        if (scheme > 0) {
            throw new IllegalArgumentException("unsupported URL scheme [" + v.substring(0, scheme) + "]: only http and https are fetched");
        }
        if (v.length() >= MIN_BASE64_LENGTH && BASE64.matcher(v).matches()) {
            return new Inline(decodeBase64(v, "base64"), "base64");
        }
        return new LocalFile(v);
    }

    private static ImageSource dataUri(String v) {
        int comma = v.indexOf(',');
        if (comma < 0) {
            throw new IllegalArgumentException("malformed data: URI: no ',' before the data");
        }
        String meta = v.substring(5, comma).toLowerCase(Locale.ROOT);
        if (meta.endsWith(";base64") == false) {
            throw new IllegalArgumentException("data: URI must be base64-encoded (;base64)");
        }
        return new Inline(decodeBase64(v.substring(comma + 1), "data: URI"), "data: URI");
    }

    private static byte[] decodeBase64(String data, String form) {
        String compact = data.replaceAll("\\s", "");
        try {
            if (compact.indexOf('-') >= 0 || compact.indexOf('_') >= 0) {
                return Base64.getUrlDecoder().decode(compact);
            }
            return Base64.getDecoder().decode(compact);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("invalid " + form + ": " + e.getMessage(), e);
        }
    }
}
