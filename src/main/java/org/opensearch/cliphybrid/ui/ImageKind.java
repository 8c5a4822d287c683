package org.opensearch.cliphybrid.ui;

/**
 * The content type of image bytes, told by their signature rather than by the file name: a file under the images folder that
 * is not an image (an HTML page, say) is then never served as something a browser would run on the cluster's origin.
 */
public final class ImageKind {
    private ImageKind() {}

    /** The MIME type of a JPEG, PNG, GIF, WebP or BMP image, or null for anything else. */
    public static String of(byte[] b) {
        if (startsWith(b, 0, 0xFF, 0xD8, 0xFF)) {
            return "image/jpeg";
        }
        if (startsWith(b, 0, 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A)) {
            return "image/png";
        }
        if (startsWith(b, 0, 'G', 'I', 'F', '8') && b.length > 5 && (b[4] == '7' || b[4] == '9') && b[5] == 'a') {
            return "image/gif";
        }
        if (startsWith(b, 0, 'R', 'I', 'F', 'F') && startsWith(b, 8, 'W', 'E', 'B', 'P')) {
            return "image/webp";
        }
        if (startsWith(b, 0, 'B', 'M') && b.length > 26) {
            return "image/bmp";
        }
        return null;
    }

    private static boolean startsWith(byte[] bytes, int offset, int... signature) {
        if (bytes.length < offset + signature.length) {
            return false;
        }
        for (int i = 0; i < signature.length; i++) {
            if ((bytes[offset + i] & 0xFF) != signature[i]) {
                return false;
            }
        }
        return true;
    }
}
