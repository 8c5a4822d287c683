package org.opensearch.cliphybrid.image;

/**
 * Walks the marker segments of a JPEG from just after its SOI, the way a decoder finds them: fill bytes and markers
 * without a length are stepped over, and the walk ends at EOI, at bytes that are no marker, or at a segment whose length
 * runs past the data (the reader itself then says what is wrong).
 */
final class JpegSegments {
    private JpegSegments() {}

    /** Told of each segment; answers whether to go on. */
    interface Visitor {
        /**
         * @param marker  the marker's second byte (0xC0 for SOF0, 0xDA for SOS, ...)
         * @param payload where the segment's data starts, just after its two length bytes
         * @param length  the bytes of data, the length field itself not counted
         */
        boolean segment(int marker, int payload, int length);
    }

    /**
     * Calls {@code visitor} for every segment. At SOS (0xDA) the walk stops unless {@code throughScans}: then the
     * entropy-coded data after it is skipped (a 0xFF in it is followed by a stuffed 0 or a restart marker) and the walk
     * goes on with the next segment.
     */
    static void walk(byte[] b, boolean throughScans, Visitor visitor) {
        int pos = 2;
        while (pos + 4 <= b.length) {
            if ((b[pos] & 0xFF) != 0xFF) {
                return;
            }
            int marker = b[pos + 1] & 0xFF;
            if (marker == 0xFF) {
                pos++;
                continue;
            }
            if (marker == 0x01 || (marker >= 0xD0 && marker <= 0xD8)) {
                pos += 2;
                continue;
            }
            if (marker == 0xD9) {
                return;
            }
            int length = ((b[pos + 2] & 0xFF) << 8 | (b[pos + 3] & 0xFF)) - 2;
            int payload = pos + 4;
            if (length < 0 || payload + length > b.length) {
                return;
            }
            if (visitor.segment(marker, payload, length) == false) {
                return;
            }
            pos = payload + length;
            if (marker == 0xDA) {
                if (throughScans == false) {
                    return;
                }
                while (pos + 1 < b.length) {
                    int next = b[pos + 1] & 0xFF;
                    if ((b[pos] & 0xFF) == 0xFF && next != 0 && next != 0xFF && (next < 0xD0 || next > 0xD7)) {
                        break;
                    }
                    pos++;
                }
            }
        }
    }
}
