package org.opensearch.cliphybrid.image;

import java.util.List;

/**
 * The image formats read here, told by their signature rather than by a file name or a declared type. Decoding and serving
 * share this one answer, so a file the search page serves as an image is one the decoder would read as that format.
 */
public enum ImageFormat {
    JPEG("image/jpeg"),
    PNG("image/png"),
    GIF("image/gif"),
    BMP("image/bmp"),
    WEBP("image/webp");

    /** DIB header sizes of the BMP variants; checking one keeps a text that happens to start with "BM" out. */
    private static final List<Integer> BMP_INFO_HEADER_SIZES = List.of(12, 40, 52, 56, 64, 108, 124);

    private final String mimeType;

    ImageFormat(String mimeType) {
        this.mimeType = mimeType;
    }

    public String mimeType() {
        return mimeType;
    }

    /** The format whose signature {@code b} starts with, or null for anything else. */
    public static ImageFormat of(byte[] b) {
        if (startsWith(b, 0xFF, 0xD8, 0xFF)) {
            return JPEG;
        }
        if (startsWith(b, 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A)) {
            return PNG;
        }
        if (startsWith(b, 'G', 'I', 'F', '8', '7', 'a') || startsWith(b, 'G', 'I', 'F', '8', '9', 'a')) {
            return GIF;
        }
        if (startsWith(b, 'B', 'M') && b.length >= 18) {
            int infoHeaderSize = (b[14] & 0xFF) | (b[15] & 0xFF) << 8 | (b[16] & 0xFF) << 16 | (b[17] & 0xFF) << 24;
            if (BMP_INFO_HEADER_SIZES.contains(infoHeaderSize)) {
                return BMP;
            }
        }
        if (startsWith(b, 'R', 'I', 'F', 'F') && b.length >= 12 && b[8] == 'W' && b[9] == 'E' && b[10] == 'B' && b[11] == 'P') {
            return WEBP;
        }
        return null;
    }

    private static boolean startsWith(byte[] b, int... prefix) {
        if (b.length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if ((b[i] & 0xFF) != prefix[i]) {
                return false;
            }
        }
        return true;
    }
}
