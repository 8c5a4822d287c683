package org.opensearch.cliphybrid.image;

import java.net.URI;
import java.util.Base64;
import java.util.Locale;

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

    /**
     * Parses a reference. An inline image (base64 or a {@code data:} URI) is refused before it is decoded when the bytes
     * its text would decode to are more than {@code maxBytes} ({@code plugins.clip.image.max_bytes}), so a huge value costs no
     * more than one pass over it.
     */
    static ImageSource parse(String value, long maxBytes) {
        int begin = 0;
        int end = value.length();
        while (begin < end && Character.isWhitespace(value.charAt(begin))) {
            begin++;
        }
        while (end > begin && Character.isWhitespace(value.charAt(end - 1))) {
            end--;
        }
        if (begin == end) {
            throw new IllegalArgumentException("empty image reference");
        }
        if (value.regionMatches(true, begin, "data:", 0, 5)) {
            return dataUri(value, begin, end, maxBytes);
        }
        // only short values are copied; an inline image is looked at in place
        if (value.regionMatches(true, begin, "http://", 0, 7) || value.regionMatches(true, begin, "https://", 0, 8)) {
            String v = value.substring(begin, end);
            try {
                return new Url(URI.create(v));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("malformed URL [" + v + "]: " + e.getMessage(), e);
            }
        }
        Base64Text text = Base64Text.scan(value, begin, end);
        if (end - begin >= MIN_BASE64_LENGTH && text.valid()) {
            return new Inline(text.decode(value, begin, end, maxBytes, "base64"), "base64");
        }
        String v = value.substring(begin, end);
        int scheme = v.indexOf("://");
        if (scheme > 0) {
            throw new IllegalArgumentException("unsupported URL scheme [" + v.substring(0, scheme) + "]: only http and https are fetched");
        }
        return new LocalFile(v);
    }

    private static ImageSource dataUri(String value, int begin, int end, long maxBytes) {
        int comma = value.indexOf(',', begin);
        if (comma < 0 || comma >= end) {
            throw new IllegalArgumentException("malformed data: URI: no ',' before the data");
        }
        String meta = value.substring(begin + 5, comma).toLowerCase(Locale.ROOT);
        if (meta.endsWith(";base64") == false) {
            throw new IllegalArgumentException("data: URI must be base64-encoded (;base64)");
        }
        Base64Text text = Base64Text.scan(value, comma + 1, end);
        return new Inline(text.decode(value, comma + 1, end, maxBytes, "data: URI"), "data: URI");
    }

    /**
     * One pass over base64 text: how many characters count (whitespace aside), how many of them are trailing padding,
     * whether the URL-safe alphabet is used, and whether every character belongs to base64 at all.
     */
    record Base64Text(long characters, int padding, boolean urlSafe, int firstInvalid) {
        static Base64Text scan(String s, int begin, int end) {
            long characters = 0;
            int padding = 0;
            boolean urlSafe = false;
            int firstInvalid = -1;
            for (int i = begin; i < end; i++) {
                char c = s.charAt(i);
                if (c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\f' || c == 0x0B) {
                    continue;
                }
                characters++;
                if (c == '=') {
                    padding++;
                    continue;
                }
                padding = 0;
                if (c == '-' || c == '_') {
                    urlSafe = true;
                } else if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '/') {
                    continue;
                } else if (firstInvalid < 0) {
                    firstInvalid = i;
                }
            }
            return new Base64Text(characters, padding, urlSafe, firstInvalid);
        }

        boolean valid() {
            return firstInvalid < 0;
        }

        /** The bytes the text decodes to: every 4 characters give 3 bytes, and padding gives none. */
        long decodedBytes() {
            return Math.max(0, (characters - padding) * 3 / 4);
        }

        byte[] decode(String s, int begin, int end, long maxBytes, String form) {
            if (valid() == false) {
                throw new IllegalArgumentException(
                    "invalid " + form + ": illegal base64 character [" + s.charAt(firstInvalid) + "] at " + (firstInvalid - begin)
                );
            }
            long size = decodedBytes();
            if (size > maxBytes) {
                throw new ImageLoadException(
                    ImageFailure.TOO_LARGE,
                    form + " image is " + size + " bytes once decoded, over the limit of " + maxBytes + " (plugins.clip.image.max_bytes)"
                );
            }
            // only now, within the cap, is the text copied: once, without its whitespace
            byte[] compact = new byte[(int) characters];
            int n = 0;
            for (int i = begin; i < end; i++) {
                char c = s.charAt(i);
                if (c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\f' || c == 0x0B) {
                    continue;
                }
                compact[n++] = (byte) c;
            }
            try {
                return (urlSafe ? Base64.getUrlDecoder() : Base64.getDecoder()).decode(compact);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("invalid " + form + ": " + e.getMessage(), e);
            }
        }
    }
}
