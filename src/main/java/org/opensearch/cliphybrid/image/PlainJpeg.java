package org.opensearch.cliphybrid.image;

/**
 * Whether a JPEG is one the JDK's own reader decodes exactly as TwelveMonkeys does, so that the cheaper reader can be
 * used. TwelveMonkeys hands such files to that same JDK reader for the pixels, but first copies the whole stream through
 * its own segment filter (5 % of a 224-pixel photo's decode, docs/benchmarks.md). What it adds
 * (ICC profiles, Adobe's CMYK/YCCK/RGB transforms, lossless and arithmetic frames, colour spaces guessed without a JFIF
 * marker) is ruled out here by the segments before the first scan.
 */
final class PlainJpeg {
    private static final byte[] JFIF = { 'J', 'F', 'I', 'F', 0 };
    private static final byte[] ICC = "ICC_PROFILE\0".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
    private static final byte[] ADOBE = { 'A', 'd', 'o', 'b', 'e' };

    private PlainJpeg() {}

    /**
     * True for a JFIF file (which by definition is YCbCr or grey) with an 8-bit baseline, extended or progressive
     * Huffman frame of one or three components, no ICC profile and no Adobe marker.
     */
    static boolean is(byte[] b) {
        boolean[] jfif = { false };
        boolean[] frameOk = { false };
        boolean[] other = { false };
        JpegSegments.walk(b, false, (marker, payload, length) -> {
            if (marker == 0xE0 && startsWith(b, payload, length, JFIF)) {
                jfif[0] = true;
            } else if ((marker == 0xE2 && startsWith(b, payload, length, ICC)) || (marker == 0xEE && startsWith(b, payload, length, ADOBE))) {
                other[0] = true;
                return false;
            } else if (isFrame(marker)) {
                int components = length >= 6 ? b[payload + 5] & 0xFF : 0;
                boolean huffman = marker == 0xC0 || marker == 0xC1 || marker == 0xC2;
                if (frameOk[0] || huffman == false || length < 6 || (b[payload] & 0xFF) != 8 || (components != 1 && components != 3)) {
                    // a second frame header, or a kind the JDK reader does not decode as TwelveMonkeys does
                    other[0] = true;
                    return false;
                }
                frameOk[0] = true;
            }
            return true;
        });
        return jfif[0] && frameOk[0] && other[0] == false;
    }

    /** SOF0-SOF15, less DHT (C4), JPG (C8) and DAC (CC), which share the range. */
    private static boolean isFrame(int marker) {
        return marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
    }

    private static boolean startsWith(byte[] b, int at, int length, byte[] prefix) {
        if (length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (b[at + i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }
}
