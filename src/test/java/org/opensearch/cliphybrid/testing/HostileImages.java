package org.opensearch.cliphybrid.testing;

import org.opensearch.cliphybrid.image.ImageFailure;

import javax.imageio.ImageIO;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * Small images, built in code, whose headers ask for far more than they hold, or that are cut short, each with what a
 * node must make of it under the default limits ({@code plugins.clip.image.max_pixels} 40000000, {@code plugins.clip.image.max_bytes}
 * 20 MB): embeddable, or refused with a given {@link ImageFailure}. None may take a node down. Unit tests decode them
 * directly; integration tests send them through {@code _bulk}, {@code _embed} and {@code query_image}.
 */
public final class HostileImages {
    /**
     * One image. {@code failure} is null when the image is valid and must be embedded; otherwise the kind of refusal
     * (the stats API's key), for an image that must be refused with a 400 and leave the node up.
     */
    public record Case(String name, byte[] bytes, ImageFailure failure, String why) {
        public boolean embeddable() {
            return failure == null;
        }

        /** The bytes as bare base64, as a document field or an {@code _embed} request would carry them. */
        public String base64() {
            return Base64.getEncoder().encodeToString(bytes);
        }

        @Override
        public String toString() {
            return name + " (" + bytes.length + " bytes, " + (embeddable() ? "embeddable" : failure.key()) + ")";
        }
    }

    /** The pixel limit the expected outcomes assume: the default of {@code plugins.clip.image.max_pixels}. */
    public static final long MAX_PIXELS = 40_000_000L;

    private HostileImages() {}

    /** Every case, in a fixed order with unique names; built once, so do not modify the bytes. */
    public static List<Case> all() {
        return Built.ALL;
    }

    private static final class Built {
        static final List<Case> ALL = build();
    }

    private static List<Case> build() {
        List<Case> cases = new ArrayList<>();
        cases.add(ok("png-10000x1", grayPng(10000, 1), "a valid, very wide image"));
        cases.add(ok("png-1x10000", grayPng(1, 10000), "a valid, very tall image"));
        cases.add(tooLarge("png-30000x30000", png(30000, 30000, 8, 0, idat(new byte[2])), "IHDR asks for 900000000 pixels"));
        cases.add(ok("png-ztxt-bomb", textBombPng(false, 1000), "1000 zTXt chunks, each inflating to 256 KiB if metadata were read"));
        cases.add(ok("png-itxt-bomb", textBombPng(true, 1000), "1000 compressed iTXt chunks, each inflating to 256 KiB"));
        cases.add(decode("bmp-compression-4-huge-size", bmp(16, 16, 24, 4, 0x7FFFFFF0L), "JPEG inside BMP with biSizeImage near 2 GiB"));
        cases.add(decode("bmp-compression-5-huge-size", bmp(16, 16, 24, 5, 0xFFFFFFF0L), "PNG inside BMP with biSizeImage near 4 GiB"));
        cases.add(tooLarge("bmp-huge-dims", bmp(100000, 100000, 24, 0, 0), "BI_RGB, 100000x100000"));
        cases.add(tooLarge("bmp-huge-dims-top-down", bmp(100000, -100000, 32, 0, 0), "top-down (negative height), 100000x100000"));
        cases.add(decode("bmp-negative-width", bmp(-16, 16, 24, 0, 0), "width -16"));
        cases.add(decode("bmp-min-height", bmp(16, Integer.MIN_VALUE, 24, 0, 0), "height Integer.MIN_VALUE, which has no absolute value"));
        cases.add(decode("bmp-rle8-size-beyond-file", bmp(16, 16, 8, 1, 0x7FFFFFF0L), "RLE8 whose biSizeImage is far beyond the file"));
        cases.add(ok("gif-1x1", gif(1, 1, 1, 1, false), "a valid 1x1 GIF"));
        cases.add(tooLarge("gif-huge-logical-screen", gif(65535, 65535, 1, 1, false), "logical screen 65535x65535, frame 1x1"));
        cases.add(tooLarge("gif-huge-frame", gif(1, 1, 65535, 65535, false), "logical screen 1x1, frame 0 65535x65535"));
        cases.add(ok("gif-comment-8000-sub-blocks", gifWithComment(8000), "a 2 MB comment whose reading copied it once per 255-byte sub-block"));
        cases.add(ok("gif-huge-second-frame", gif(1, 1, 1, 1, true), "frame 1 declares 65535x65535; only frame 0 is read"));
        cases.add(tooLarge("jpeg-huge-sof", jpegHeaders(sof(0xC0, 65000, 65000)), "SOF0 declares 65000x65000"));
        cases.add(tooLarge("jpeg-huge-progressive-sof", jpegHeaders(sof(0xC2, 30000, 30000)), "SOF2 (progressive) declares 30000x30000"));
        cases.add(tooLarge("jpeg-second-sof-huge", jpegHeaders(sof(0xC0, 8, 8), sof(0xC2, 65000, 65000)), "a small SOF0, then a huge SOF2"));
        cases.add(decode("jpeg-20000-empty-segments", jpegWithEmptySegments(20000), "80 KB of empty APP5 segments, each an object in the reader"));
        cases.add(decode("jpeg-icc-declares-2gib", jpegWithIcc(0x7FFFFFF0), "an ICC profile header declaring 2 GiB in a 170-byte APP2"));
        cases.add(ok("jpeg-icc-truncated", jpegWithIcc(4096), "an ICC profile header declaring 4 KiB, cut short: ignored, as PIL does"));
        cases.add(ok("jpeg-64x64", smallImage("jpeg"), "a valid baseline JPEG"));
        cases.add(tooLarge("webp-vp8x-huge-canvas", webpVp8x(1 << 24, 1 << 24, false, vp8(16, 16)), "VP8X canvas 16777216x16777216"));
        cases.add(tooLarge("webp-vp8x-small-canvas-huge-vp8", webpVp8x(16, 16, false, vp8(16383, 16383)), "canvas 16x16, VP8 frame 16383x16383"));
        cases.add(decode("webp-vp8x-canvas-vp8-mismatch", webpVp8x(16, 16, false, vp8(1000, 1000)), "canvas 16x16, VP8 frame 1000x1000"));
        cases.add(decode("webp-iccp-declares-2gib", webpWithIcc(0x7FFFFFF0), "an ICCP chunk whose profile header declares 2 GiB"));
        cases.add(tooLarge("webp-vp8l-huge", webp(vp8l(16384, 16384)), "VP8L declares 16384x16384"));
        cases.add(tooLarge("webp-animated-huge-frame", webpVp8x(16, 16, true, anmf(1 << 24, 1 << 24, vp8(16, 16))), "ANMF frame 16777216x16777216"));
        cases.add(decode("png-truncated", half(smallImage("png")), "a valid PNG cut in half"));
        cases.add(decode("jpeg-truncated", half(smallImage("jpeg")), "a valid JPEG cut in half"));
        cases.add(decode("bmp-truncated", half(smallImage("bmp")), "a valid BMP cut in half"));
        cases.add(decode("gif-truncated", Arrays.copyOf(gif(1, 1, 1, 1, false), 28), "a valid GIF cut inside its image data"));
        cases.add(decode("webp-truncated", half(LOSSLESS_WEBP_3X2), "a valid lossless WebP cut in half"));
        cases.add(ok("webp-lossless-3x2", LOSSLESS_WEBP_3X2, "a valid lossless WebP"));
        return List.copyOf(cases);
    }

    /** The case of that name. */
    public static Case named(String name) {
        return all().stream().filter(c -> c.name().equals(name)).findFirst().orElseThrow(() -> new IllegalArgumentException(name));
    }

    /** A lossless WebP written by Pillow: 3x2 RGBA. */
    private static final byte[] LOSSLESS_WEBP_3X2 = Base64.getDecoder()
        .decode("UklGRkoAAABXRUJQVlA4TD0AAAAvAkAAEC9AkG2zOQzs/jLXIJO2ad/61zNrI5O2aT30nn+XI5ikqctjly/gP+IBWa0tQSBAGSse2Cai/zFeAA==");

    private static Case ok(String name, byte[] bytes, String why) {
        return new Case(name, bytes, null, why);
    }

    private static Case tooLarge(String name, byte[] bytes, String why) {
        return new Case(name, bytes, ImageFailure.TOO_LARGE, why);
    }

    private static Case decode(String name, byte[] bytes, String why) {
        return new Case(name, bytes, ImageFailure.DECODE, why);
    }

    private static byte[] half(byte[] bytes) {
        return Arrays.copyOf(bytes, bytes.length / 2);
    }

    private static byte[] smallImage(String format) {
        BufferedImage image = new BufferedImage(64, 64, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 64; y++) {
            for (int x = 0; x < 64; x++) {
                image.setRGB(x, y, x * 0x040000 + y * 0x0400 + (x ^ y));
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            if (ImageIO.write(image, format, out) == false) {
                throw new IllegalStateException("no ImageIO writer for " + format);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    // PNG

    /** An 8-bit grey PNG, all black: every row is a filter byte and zeros, which deflate to almost nothing. */
    public static byte[] grayPng(int width, int height) {
        return png(width, height, 8, 0, idat(new byte[(width + 1) * height]));
    }

    private static byte[] png(int width, int height, int bitDepth, int colorType, byte[]... chunks) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] { (byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A });
        ByteBuffer ihdr = ByteBuffer.allocate(13).putInt(width).putInt(height);
        ihdr.put((byte) bitDepth).put((byte) colorType).put((byte) 0).put((byte) 0).put((byte) 0);
        out.writeBytes(chunk("IHDR", ihdr.array()));
        for (byte[] chunk : chunks) {
            out.writeBytes(chunk);
        }
        out.writeBytes(chunk("IEND", new byte[0]));
        return out.toByteArray();
    }

    private static byte[] idat(byte[] raw) {
        return chunk("IDAT", deflate(raw));
    }

    /** A 1x1 grey PNG with {@code count} compressed text chunks before its pixels. */
    private static byte[] textBombPng(boolean international, int count) {
        byte[] inflated = deflate(new byte[256 * 1024]);
        byte[][] chunks = new byte[count + 1][];
        for (int i = 0; i < count; i++) {
            ByteArrayOutputStream data = new ByteArrayOutputStream();
            data.writeBytes("Comment".getBytes(StandardCharsets.ISO_8859_1));
            data.write(0);
            if (international) {
                data.write(1); // compressed
                data.write(0); // zlib
                data.write(0); // empty language tag
                data.write(0); // empty translated keyword
            } else {
                data.write(0); // zlib
            }
            data.writeBytes(inflated);
            chunks[i] = chunk(international ? "iTXt" : "zTXt", data.toByteArray());
        }
        chunks[count] = idat(new byte[2]);
        return png(1, 1, 8, 0, chunks);
    }

    /** A PNG chunk: length, type, data and the CRC of type and data. */
    public static byte[] chunk(String type, byte[] data) {
        byte[] typeBytes = type.getBytes(StandardCharsets.US_ASCII);
        CRC32 crc = new CRC32();
        crc.update(typeBytes);
        crc.update(data);
        return ByteBuffer.allocate(12 + data.length).putInt(data.length).put(typeBytes).put(data).putInt((int) crc.getValue()).array();
    }

    public static byte[] deflate(byte[] raw) {
        Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION);
        deflater.setInput(raw);
        deflater.finish();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        while (deflater.finished() == false) {
            out.write(buffer, 0, deflater.deflate(buffer));
        }
        deflater.end();
        return out.toByteArray();
    }

    /** A PNG with a 1x1 grey image, whose one zTXt chunk holds data that is no zlib stream at all. */
    public static byte[] pngWithUndecodableZtxt() {
        byte[] data = "Comment\0\0not zlib at all".getBytes(StandardCharsets.ISO_8859_1);
        return png(1, 1, 8, 0, chunk("zTXt", data), idat(new byte[2]));
    }

    // BMP

    /** A BITMAPINFOHEADER BMP with a 2-byte body: 56 bytes whatever its header asks for. */
    private static byte[] bmp(int width, int height, int bitsPerPixel, int compression, long imageSize) {
        ByteBuffer b = ByteBuffer.allocate(14 + 40 + 2).order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 'B').put((byte) 'M').putInt(14 + 40 + 2).putInt(0).putInt(14 + 40);
        b.putInt(40).putInt(width).putInt(height).putShort((short) 1).putShort((short) bitsPerPixel);
        b.putInt(compression).putInt((int) imageSize).putInt(2835).putInt(2835).putInt(0).putInt(0);
        return b.array();
    }

    // GIF

    /**
     * A GIF with a 2-colour global table and one 1x1-pixel-data frame declaring {@code frameWidth x frameHeight}; with
     * {@code hugeSecondFrame}, a second frame declaring 65535x65535 follows.
     */
    private static byte[] gif(int screenWidth, int screenHeight, int frameWidth, int frameHeight, boolean hugeSecondFrame) {
        ByteBuffer b = ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN);
        b.put("GIF89a".getBytes(StandardCharsets.US_ASCII));
        b.putShort((short) screenWidth).putShort((short) screenHeight).put((byte) 0x80).put((byte) 0).put((byte) 0);
        b.put(new byte[] { 0, 0, 0, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF });
        frame(b, frameWidth, frameHeight);
        if (hugeSecondFrame) {
            frame(b, 65535, 65535);
        }
        b.put((byte) 0x3B);
        return Arrays.copyOf(b.array(), b.position());
    }

    /** A valid 1x1 GIF with a comment extension of {@code subBlocks} full sub-blocks before its frame. */
    private static byte[] gifWithComment(int subBlocks) {
        byte[] plain = gif(1, 1, 1, 1, false);
        int header = 6 + 7 + 6;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(plain, 0, header);
        out.write(0x21);
        out.write(0xFE);
        byte[] block = new byte[255];
        Arrays.fill(block, (byte) 'x');
        for (int i = 0; i < subBlocks; i++) {
            out.write(255);
            out.writeBytes(block);
        }
        out.write(0);
        out.write(plain, header, plain.length - header);
        return out.toByteArray();
    }

    /** An image descriptor and LZW data for one pixel of colour 0 (clear, 0, end of information). */
    private static void frame(ByteBuffer b, int width, int height) {
        b.put((byte) 0x2C).putShort((short) 0).putShort((short) 0).putShort((short) width).putShort((short) height).put((byte) 0);
        b.put(new byte[] { 2, 2, 0x44, 0x01, 0 });
    }

    // JPEG

    /** SOI, the given frame headers and EOI: no tables and no scan, so nothing to decode. */
    private static byte[] jpegHeaders(byte[]... frames) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] { (byte) 0xFF, (byte) 0xD8 });
        for (byte[] frame : frames) {
            out.writeBytes(frame);
        }
        out.writeBytes(new byte[] { (byte) 0xFF, (byte) 0xD9 });
        return out.toByteArray();
    }

    /** A valid JPEG with {@code count} empty APP5 segments after its SOI. */
    private static byte[] jpegWithEmptySegments(int count) {
        byte[] jpeg = smallImage("jpeg");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(jpeg, 0, 2);
        for (int i = 0; i < count; i++) {
            out.writeBytes(new byte[] { (byte) 0xFF, (byte) 0xE5, 0, 2 });
        }
        out.write(jpeg, 2, jpeg.length - 2);
        return out.toByteArray();
    }

    /** A valid JPEG with one APP2 ICC_PROFILE chunk holding just a profile header that declares {@code size} bytes. */
    private static byte[] jpegWithIcc(int size) {
        byte[] jpeg = smallImage("jpeg");
        byte[] identifier = "ICC_PROFILE\0".getBytes(StandardCharsets.ISO_8859_1);
        ByteBuffer app2 = ByteBuffer.allocate(4 + identifier.length + 2 + 128);
        app2.put((byte) 0xFF).put((byte) 0xE2).putShort((short) (2 + identifier.length + 2 + 128)).put(identifier).put((byte) 1).put((byte) 1);
        app2.put(iccHeader(size));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(jpeg, 0, 2);
        out.writeBytes(app2.array());
        out.write(jpeg, 2, jpeg.length - 2);
        return out.toByteArray();
    }

    /** The 128-byte header of an RGB display profile declaring {@code size} bytes in all. */
    private static byte[] iccHeader(int size) {
        ByteBuffer header = ByteBuffer.allocate(128).putInt(size);
        header.position(12);
        header.put("mntrRGB XYZ ".getBytes(StandardCharsets.US_ASCII));
        header.position(36);
        header.put("acsp".getBytes(StandardCharsets.US_ASCII));
        return header.array();
    }

    /** The lossless 3x2 WebP as an extended file whose ICCP chunk holds a profile header declaring {@code size} bytes. */
    private static byte[] webpWithIcc(int size) {
        ByteBuffer x = ByteBuffer.allocate(10).order(ByteOrder.LITTLE_ENDIAN);
        x.put((byte) 0x30).put(new byte[3]); // ICC profile and alpha
        u24(x, 3 - 1);
        u24(x, 2 - 1);
        byte[] vp8l = Arrays.copyOfRange(LOSSLESS_WEBP_3X2, 12, LOSSLESS_WEBP_3X2.length);
        return webp(riff("VP8X", x.array()), riff("ICCP", iccHeader(size)), vp8l);
    }

    /** A frame header with three components, 2x2 luma sampling. */
    private static byte[] sof(int marker, int width, int height) {
        ByteBuffer b = ByteBuffer.allocate(2 + 2 + 6 + 9);
        b.put((byte) 0xFF).put((byte) marker).putShort((short) (2 + 6 + 9)).put((byte) 8).putShort((short) height).putShort((short) width);
        b.put((byte) 3).put(new byte[] { 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1 });
        return b.array();
    }

    // WebP

    private static byte[] webp(byte[]... chunks) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes("WEBP".getBytes(StandardCharsets.US_ASCII));
        for (byte[] chunk : chunks) {
            body.writeBytes(chunk);
        }
        ByteBuffer b = ByteBuffer.allocate(8 + body.size()).order(ByteOrder.LITTLE_ENDIAN);
        b.put("RIFF".getBytes(StandardCharsets.US_ASCII)).putInt(body.size()).put(body.toByteArray());
        return b.array();
    }

    private static byte[] webpVp8x(int canvasWidth, int canvasHeight, boolean animated, byte[] image) {
        ByteBuffer x = ByteBuffer.allocate(10).order(ByteOrder.LITTLE_ENDIAN);
        x.put((byte) (animated ? 0x02 : 0)).put(new byte[3]);
        u24(x, canvasWidth - 1);
        u24(x, canvasHeight - 1);
        if (animated) {
            ByteBuffer anim = ByteBuffer.allocate(6).order(ByteOrder.LITTLE_ENDIAN).putInt(0).putShort((short) 0);
            return webp(riff("VP8X", x.array()), riff("ANIM", anim.array()), image);
        }
        return webp(riff("VP8X", x.array()), image);
    }

    private static byte[] anmf(int width, int height, byte[] image) {
        ByteBuffer b = ByteBuffer.allocate(16 + image.length).order(ByteOrder.LITTLE_ENDIAN);
        u24(b, 0);
        u24(b, 0);
        u24(b, width - 1);
        u24(b, height - 1);
        u24(b, 100);
        b.put((byte) 0).put(image);
        return riff("ANMF", b.array());
    }

    /** A VP8 key frame header declaring the size, with a few bytes of (meaningless) partition data. */
    private static byte[] vp8(int width, int height) {
        ByteBuffer b = ByteBuffer.allocate(20).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] { 0x50, 0x01, 0x00 }); // key frame, version 0, shown, first partition of 10 bytes
        b.put(new byte[] { (byte) 0x9D, 0x01, 0x2A }).putShort((short) width).putShort((short) height);
        return riff("VP8 ", b.array());
    }

    /** A VP8L header declaring the size, with no image data after it. */
    private static byte[] vp8l(int width, int height) {
        ByteBuffer b = ByteBuffer.allocate(10).order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 0x2F).putInt((width - 1) | (height - 1) << 14);
        return riff("VP8L", b.array());
    }

    private static byte[] riff(String fourCC, byte[] data) {
        ByteBuffer b = ByteBuffer.allocate(8 + data.length + (data.length & 1)).order(ByteOrder.LITTLE_ENDIAN);
        b.put(fourCC.getBytes(StandardCharsets.US_ASCII)).putInt(data.length).put(data);
        return b.array();
    }

    private static void u24(ByteBuffer b, int value) {
        b.put((byte) value).put((byte) (value >> 8)).put((byte) (value >> 16));
    }
}
