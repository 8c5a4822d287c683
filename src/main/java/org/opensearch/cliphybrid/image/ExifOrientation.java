package org.opensearch.cliphybrid.image;

/**
 * The EXIF orientation of a JPEG and the transpose that makes its pixels upright, as PIL's
 * {@code ImageOps.exif_transpose} does before the reference pipeline sees them. Cameras store the sensor's pixels
 * and only tag how to show them, so ignoring the tag would embed a sideways photo.
 */
final class ExifOrientation {
    private static final int TAG_ORIENTATION = 0x0112;
    private static final int TYPE_SHORT = 3;
    private static final int TYPE_LONG = 4;

    private ExifOrientation() {}

    /**
     * The orientation (1..8) in the first APP1 Exif segment, as PIL reads only that one; 1 when there is none or
     * when the EXIF is malformed, since a broken tag must not make a decodable image fail.
     */
    static int ofJpeg(byte[] jpeg) {
        int[] orientation = { 1 };
        JpegSegments.walk(jpeg, false, (marker, payload, length) -> {
            if (marker == 0xE1 && length >= 6 && isExifHeader(jpeg, payload)) {
                orientation[0] = ofTiff(jpeg, payload + 6, length - 6);
                return false;
            }
            return true;
        });
        return orientation[0];
    }

    private static boolean isExifHeader(byte[] b, int at) {
        return b[at] == 'E' && b[at + 1] == 'x' && b[at + 2] == 'i' && b[at + 3] == 'f' && b[at + 4] == 0 && b[at + 5] == 0;
    }

    private static int ofTiff(byte[] b, int start, int length) {
        if (length < 8) {
            return 1;
        }
        boolean little;
        if (b[start] == 'I' && b[start + 1] == 'I') {
            little = true;
        } else if (b[start] == 'M' && b[start + 1] == 'M') {
            little = false;
        } else {
            return 1;
        }
        if (u16(b, start + 2, little) != 42) {
            return 1;
        }
        long ifd = u32(b, start + 4, little);
        if (ifd < 8 || ifd + 2 > length) {
            return 1;
        }
        int entries = u16(b, start + (int) ifd, little);
        for (int i = 0; i < entries; i++) {
            long entry = ifd + 2 + 12L * i;
            if (entry + 12 > length) {
                return 1;
            }
            int at = start + (int) entry;
            if (u16(b, at, little) == TAG_ORIENTATION) {
                int type = u16(b, at + 2, little);
                long value = type == TYPE_SHORT ? u16(b, at + 8, little) : type == TYPE_LONG ? u32(b, at + 8, little) : 1;
                return value >= 1 && value <= 8 ? (int) value : 1;
            }
        }
        return 1;
    }

    private static int u16(byte[] b, int at, boolean little) {
        int b0 = b[at] & 0xFF;
        int b1 = b[at + 1] & 0xFF;
        return little ? (b1 << 8) | b0 : (b0 << 8) | b1;
    }

    private static long u32(byte[] b, int at, boolean little) {
        long hi = u16(b, little ? at + 2 : at, little);
        long lo = u16(b, little ? at : at + 2, little);
        return (hi << 16) | lo;
    }

    /** True when the upright image is the stored one turned by a quarter, so width and height swap. */
    static boolean swapsAxes(int orientation) {
        return orientation >= 5;
    }

    /**
     * Where the first pixel of stored row {@code y} goes in the upright image's row-major buffer; the row's next pixels
     * follow {@link #step} apart. {@code width} and {@code height} are those of the stored image.
     */
    static int rowStart(int orientation, int y, int width, int height) {
        return switch (orientation) {
            case 2 -> y * width + width - 1; // mirrored left-right
            case 3 -> (height - 1 - y) * width + width - 1; // turned 180
            case 4 -> (height - 1 - y) * width; // mirrored top-bottom
            case 5 -> y; // transpose: stored (x, y) is shown at (y, x)
            case 6 -> height - 1 - y; // shown turned 90 clockwise
            case 7 -> (width - 1) * height + height - 1 - y; // transverse
            case 8 -> (width - 1) * height + y; // shown turned 90 counter-clockwise
            default -> y * width;
        };
    }

    /** How far apart in the upright buffer two neighbours of a stored row land. */
    static int step(int orientation, int width, int height) {
        return switch (orientation) {
            case 2, 3 -> -1;
            case 5, 6 -> height;
            case 7, 8 -> -height;
            default -> 1;
        };
    }
}
