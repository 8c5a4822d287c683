package org.opensearch.cliphybrid.ui;

import org.opensearch.cliphybrid.image.ImageFormat;

/**
 * The content type of image bytes, told by their signature rather than by the file name: a file under the images folder that
 * is not an image (an HTML page, say) is then never served as something a browser would run on the cluster's origin.
 */
public final class ImageKind {
    private ImageKind() {}

    /** The MIME type of a JPEG, PNG, GIF, WebP or BMP image, or null for anything else. */
    public static String of(byte[] b) {
        ImageFormat format = ImageFormat.of(b);
        return format == null ? null : format.mimeType();
    }
}
