package org.opensearch.cliphybrid.image;

/**
 * Reads the sizes and layouts an image declares, from its own bytes, before an image reader sees them. The readers trust
 * their headers: the JDK's BMP reader allocates an embedded JPEG's or PNG's declared size in one array, TwelveMonkeys'
 * WebP reader sizes its macroblock grid from the VP8 frame header rather than the canvas it was given, and a GIF's
 * logical screen or a JPEG's second SOF is never asked about. So every size a file declares is checked here against
 * {@code plugins.clip.image.max_pixels}, and the facts the memory estimate needs (JPEG progressive, WebP lossy) are kept.
 */
final class ImageHeaders {
    /** What {@link DecodeMemory} needs to know besides the reader's image type. */
    record Facts(JpegFrame jpeg, WebpLayout webp) {
        static final Facts NONE = new Facts(null, null);
    }

    /**
     * The first SOF of a JPEG: sampling factors per component, whether libjpeg will buffer the whole image's DCT
     * coefficients (progressive, or a first scan that does not hold every component), and whether it is lossless (SOF3),
     * which TwelveMonkeys decodes itself.
     */
    record JpegFrame(int width, int height, int[] hSampling, int[] vSampling, boolean wholeImageCoefficients, boolean lossless) {}

    /** The first frame of a WebP: lossy or lossless, and whether a separate (compressed) alpha plane comes with it. */
    record WebpLayout(boolean lossy, boolean alphaPlane) {}

    private static final int BMP_RGB = 0;
    private static final int BMP_RLE8 = 1;
    private static final int BMP_RLE4 = 2;
    private static final int BMP_JPEG = 4;
    private static final int BMP_PNG = 5;

    private ImageHeaders() {}

    static Facts check(ImageFormat format, byte[] b, long maxPixels) {
        return switch (format) {
            case BMP -> {
                bmp(b, maxPixels);
                yield Facts.NONE;
            }
            case GIF -> {
                gif(b, maxPixels);
                yield Facts.NONE;
            }
            case JPEG -> new Facts(jpeg(b, maxPixels), null);
            case WEBP -> new Facts(null, webp(b, maxPixels));
            // the PNG reader sizes everything from IHDR, which ImageDecoder checks through the reader
            case PNG -> Facts.NONE;
        };
    }

    /** Refuses a declared size over the pixel limit; {@code what} says which part of the file declared it. */
    static void limit(String what, long width, long height, long maxPixels) {
        long pixels = width * height;
        if (pixels > maxPixels) {
            throw new ImageDecodeException(
                ImageFailure.TOO_LARGE,
                what + " declares " + width + "x" + height + " = " + pixels + " pixels, over the limit of " + maxPixels + " (plugins.clip.image.max_pixels)"
            );
        }
    }

    private static void bmp(byte[] b, long maxPixels) {
        int infoSize = (int) u32le(b, 14);
        if (infoSize == 12) {
            // the OS/2 1.x header has no compression field, and 16-bit sizes
            limit("image", Math.abs((short) u16le(b, 18)), Math.abs((short) u16le(b, 20)), maxPixels);
            return;
        }
        if (b.length < 34) {
            throw new ImageDecodeException("corrupt or truncated BMP: " + b.length + " bytes, too short for its header");
        }
        long compression = u32le(b, 30);
        // the JDK reader would allocate the header's biSizeImage (up to 4 GiB) in one array for these, and hand the
        // bytes to a reader of ImageIO's global registry; PIL does not open them either
        if (compression == BMP_JPEG) {
            throw new ImageDecodeException("BMP compression 4 (JPEG inside BMP) is not supported");
        }
        if (compression == BMP_PNG) {
            throw new ImageDecodeException("BMP compression 5 (PNG inside BMP) is not supported");
        }
        int width = (int) u32le(b, 18);
        int height = (int) u32le(b, 22);
        // a top-down BMP has a negative height; Integer.MIN_VALUE has no positive counterpart
        if (width <= 0 || height == 0 || height == Integer.MIN_VALUE) {
            throw new ImageDecodeException("corrupt BMP: header declares " + width + "x" + height + " pixels");
        }
        // the JDK reader compares the pixel data with the file size its header claims, not the real one, so this comes first
        limit("image", width, Math.abs(height), maxPixels);
        if (compression == BMP_RLE8 || compression == BMP_RLE4) {
            long offset = u32le(b, 10);
            long imageSize = u32le(b, 34);
            long present = Math.max(0, b.length - offset);
            // the RLE reader reads biSizeImage bytes up front; more than the file holds is a lie, not a short file
            if (imageSize > present) {
                throw new ImageDecodeException(
                    "corrupt BMP: header declares " + imageSize + " bytes of RLE data, but the file holds " + present + " after the header"
                );
            }
        } else if (compression != BMP_RGB && compression != 3 && compression != 6) {
            throw new ImageDecodeException("BMP compression " + compression + " is not supported");
        }
    }

    private static void gif(byte[] b, long maxPixels) {
        if (b.length < 10) {
            throw new ImageDecodeException("corrupt or truncated GIF: " + b.length + " bytes, too short for its header");
        }
        // the reader only allocates frame 0 (checked through the reader), but PIL composes onto the logical screen
        limit("GIF logical screen", u16le(b, 6), u16le(b, 8), maxPixels);
    }

    /**
     * TwelveMonkeys keeps an object for every marker segment (about 80 bytes of heap for a 4-byte segment, so a 20 MB
     * file of empty APP segments would hold 1.7 GB); real JPEGs have a few dozen, progressive ones included.
     */
    static final int JPEG_MAX_SEGMENTS = 10_000;

    /**
     * Walks every marker segment of the first image, scans included: every SOF is checked, not only the one the reader
     * reports, and the segments are counted.
     */
    private static JpegFrame jpeg(byte[] b, long maxPixels) {
        JpegFrame[] first = { null };
        boolean[] scanned = { false };
        int[] segments = { 0 };
        JpegSegments.walk(b, true, (marker, payload, length) -> {
            if (++segments[0] > JPEG_MAX_SEGMENTS) {
                throw new ImageDecodeException("JPEG has more than " + JPEG_MAX_SEGMENTS + " marker segments, which no real image has");
            }
            if (marker == 0xE2 && length >= ICC_IDENTIFIER.length + 2 + 4 && startsWith(b, payload, ICC_IDENTIFIER)) {
                iccHeader(b, payload + ICC_IDENTIFIER.length + 2, payload + length, "JPEG");
            }
            if (isSof(marker) && length >= 6) {
                int height = u16be(b, payload + 1);
                int width = u16be(b, payload + 3);
                limit(first[0] == null ? "image" : "JPEG's further frame header (SOF" + (marker - 0xC0) + ")", width, height, maxPixels);
                int components = b[payload + 5] & 0xFF;
                if (first[0] == null && length >= 6 + 3 * components && components > 0) {
                    int[] h = new int[components];
                    int[] v = new int[components];
                    for (int c = 0; c < components; c++) {
                        int sampling = b[payload + 6 + 3 * c + 1] & 0xFF;
                        h[c] = Math.max(1, sampling >> 4);
                        v[c] = Math.max(1, sampling & 0x0F);
                    }
                    boolean progressive = marker == 0xC2 || marker == 0xC6 || marker == 0xCA || marker == 0xCE;
                    first[0] = new JpegFrame(width, height, h, v, progressive, marker == 0xC3);
                }
            }
            if (marker == 0xDA) {
                // a first scan without every component means more scans follow: libjpeg then buffers all coefficients
                JpegFrame frame = first[0];
                if (scanned[0] == false && frame != null && frame.wholeImageCoefficients() == false && (b[payload] & 0xFF) < frame.hSampling().length) {
                    first[0] = new JpegFrame(frame.width(), frame.height(), frame.hSampling(), frame.vSampling(), true, frame.lossless());
                }
                scanned[0] = true;
            }
            return true;
        });
        return first[0];
    }

    private static final byte[] ICC_IDENTIFIER = "ICC_PROFILE\0".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
    /** The largest profile believed without the file holding it: bigger than any real profile (large CMYK ones are ~2 MB). */
    static final long ICC_UNBACKED_MAX_BYTES = 4L * 1024 * 1024;
    private static final byte[] ICC_MAGIC = "acsp".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);

    /**
     * TwelveMonkeys reads an ICC profile (a JPEG's APP2 chunks, a WebP's ICCP chunk) by allocating the size its header
     * declares before reading the rest: up to 2 GiB from a 128-byte header. A profile is part of the file, so one that
     * declares more than the whole file, and more than the few MiB it is harmless to allocate, is refused. (One that
     * declares a little more than it holds is a truncated profile, which the reader ignores with a warning; PIL decodes
     * such images too, so they must still decode, small files included.)
     */
    private static void iccHeader(byte[] b, int from, int end, String format) {
        if (end - from < 40 || startsWith(b, from + 36, ICC_MAGIC) == false) {
            return; // no profile header here: the reader does not read a size from it either
        }
        long declared = (b[from] & 0xFFL) << 24 | (b[from + 1] & 0xFFL) << 16 | (b[from + 2] & 0xFFL) << 8 | (b[from + 3] & 0xFFL);
        if (declared > Math.max(b.length, ICC_UNBACKED_MAX_BYTES)) {
            throw new ImageDecodeException(
                "corrupt " + format + ": its ICC profile declares " + declared + " bytes, more than the whole file (" + b.length + " bytes)"
            );
        }
    }

    private static boolean startsWith(byte[] b, int at, byte[] prefix) {
        if (at < 0 || at + prefix.length > b.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (b[at + i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    private static boolean isSof(int marker) {
        return marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
    }

    /**
     * Checks the canvas, the first animation frame and the sizes inside the VP8/VP8L bitstreams, which must match the
     * canvas (or the frame) as libwebp requires: TwelveMonkeys sizes a lossy frame's working memory from the VP8 header.
     */
    private static WebpLayout webp(byte[] b, long maxPixels) {
        if (b.length < 20) {
            throw new ImageDecodeException("corrupt or truncated WEBP: " + b.length + " bytes, too short for its header");
        }
        int pos = 12;
        String fourCC = fourCC(b, pos);
        long length = u32le(b, pos + 4);
        int data = pos + 8;
        switch (fourCC) {
            case "VP8 " -> {
                vp8(b, data, length, -1, -1, "image", maxPixels);
                return new WebpLayout(true, false);
            }
            case "VP8L" -> {
                vp8l(b, data, length, -1, -1, "image", maxPixels);
                return new WebpLayout(false, false);
            }
            case "VP8X" -> {
                if (length < 10 || data + 10 > b.length) {
                    throw new ImageDecodeException("corrupt or truncated WEBP: VP8X chunk too short");
                }
                boolean animated = (b[data] & 0x02) != 0;
                long canvasWidth = 1 + u24le(b, data + 4);
                long canvasHeight = 1 + u24le(b, data + 7);
                limit("WebP canvas", canvasWidth, canvasHeight, maxPixels);
                return vp8xFrame(b, data + length + (length & 1), b.length, animated, canvasWidth, canvasHeight, maxPixels);
            }
            default -> throw new ImageDecodeException("corrupt WEBP: unknown first chunk '" + fourCC + "'");
        }
    }

    /** Walks the chunks of an extended WebP up to the first image bitstream (inside the first ANMF when animated). */
    private static WebpLayout vp8xFrame(byte[] b, long from, long end, boolean animated, long width, long height, long maxPixels) {
        boolean alpha = false;
        long pos = from;
        while (pos + 8 <= end) {
            int at = (int) pos;
            String fourCC = fourCC(b, at);
            long length = u32le(b, at + 4);
            int data = at + 8;
            switch (fourCC) {
                case "ANMF" -> {
                    if (animated) {
                        if (data + 16 > b.length) {
                            throw new ImageDecodeException("corrupt or truncated WEBP: ANMF chunk too short");
                        }
                        long frameWidth = 1 + u24le(b, data + 6);
                        long frameHeight = 1 + u24le(b, data + 9);
                        limit("WebP animation frame", frameWidth, frameHeight, maxPixels);
                        // the frame's own chunks follow its 16-byte header, inside the ANMF chunk
                        return vp8xFrame(b, data + 16, Math.min(end, data + length), false, frameWidth, frameHeight, maxPixels);
                    }
                }
                case "ALPH" -> alpha = true;
                case "ICCP" -> iccHeader(b, data, (int) Math.min(b.length, data + length), "WEBP");
                case "VP8 " -> {
                    vp8(b, data, length, width, height, "WebP VP8 frame", maxPixels);
                    return new WebpLayout(true, alpha);
                }
                case "VP8L" -> {
                    vp8l(b, data, length, width, height, "WebP VP8L image", maxPixels);
                    return new WebpLayout(false, false);
                }
                default -> {}
            }
            pos = data + length + (length & 1);
        }
        // no bitstream: the reader fails on its own, or decodes a canvas it already has the size of
        return new WebpLayout(false, alpha);
    }

    /** {@code what} names the size in a refusal: "image" for a simple WebP, whose bitstream size is the image's. */
    private static void vp8(byte[] b, int data, long length, long width, long height, String what, long maxPixels) {
        if (length < 10 || data + 10 > b.length) {
            throw new ImageDecodeException("corrupt or truncated WEBP: VP8 chunk too short");
        }
        int w = u16le(b, data + 6) & 0x3FFF;
        int h = u16le(b, data + 8) & 0x3FFF;
        limit(what, w, h, maxPixels);
        matches("VP8 frame", w, h, width, height);
    }

    private static void vp8l(byte[] b, int data, long length, long width, long height, String what, long maxPixels) {
        if (length < 5 || data + 5 > b.length) {
            throw new ImageDecodeException("corrupt or truncated WEBP: VP8L chunk too short");
        }
        long bits = u32le(b, data + 1);
        long w = 1 + (bits & 0x3FFF);
        long h = 1 + ((bits >> 14) & 0x3FFF);
        limit(what, w, h, maxPixels);
        matches("VP8L image", w, h, width, height);
    }

    private static void matches(String what, long w, long h, long width, long height) {
        if (width >= 0 && (w != width || h != height)) {
            throw new ImageDecodeException("corrupt WEBP: the " + what + " is " + w + "x" + h + " but the canvas or frame is " + width + "x" + height);
        }
    }

    private static String fourCC(byte[] b, int at) {
        if (at + 4 > b.length) {
            return "";
        }
        return new String(b, at, 4, java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    private static int u16le(byte[] b, int at) {
        if (at + 2 > b.length) {
            return 0;
        }
        return (b[at] & 0xFF) | (b[at + 1] & 0xFF) << 8;
    }

    private static int u16be(byte[] b, int at) {
        return (b[at] & 0xFF) << 8 | (b[at + 1] & 0xFF);
    }

    private static long u24le(byte[] b, int at) {
        return (b[at] & 0xFF) | (b[at + 1] & 0xFF) << 8 | (long) (b[at + 2] & 0xFF) << 16;
    }

    private static long u32le(byte[] b, int at) {
        if (at + 4 > b.length) {
            return 0;
        }
        return (b[at] & 0xFFL) | (b[at + 1] & 0xFFL) << 8 | (b[at + 2] & 0xFFL) << 16 | (b[at + 3] & 0xFFL) << 24;
    }
}
