package org.opensearch.cliphybrid.image;

import org.opensearch.cliphybrid.testing.HostileImages;
import org.opensearch.cliphybrid.testing.SharedFixtures;
import org.opensearch.core.concurrency.OpenSearchRejectedExecutionException;
import org.opensearch.test.OpenSearchTestCase;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.stream.ImageOutputStream;

import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.IndexColorModel;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.Base64;
import java.util.Locale;

public class ImageDecoderTests extends OpenSearchTestCase {
    private static final long MAX_PIXELS = 40_000_000L;

    private static byte[] encode(BufferedImage image, String format) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertTrue("no ImageIO writer for " + format, ImageIO.write(image, format, out));
        return out.toByteArray();
    }

    private static void assertRgb(BufferedImage image, int x, int y, int expectedRgb) {
        assertEquals(BufferedImage.TYPE_INT_RGB, image.getType());
        int actual = image.getRGB(x, y) & 0xFFFFFF;
        assertEquals(String.format(Locale.ROOT, "pixel (%d,%d): %06x", x, y, actual), expectedRgb, actual);
    }

    public void testRefusesImagesOverThePixelLimitBeforeDecoding() throws IOException {
        byte[] png = encode(new BufferedImage(3000, 3000, BufferedImage.TYPE_BYTE_GRAY), "png");
        ImageDecodeException e = expectThrows(ImageDecodeException.class, () -> ImageDecoder.decode(png, 1_000_000));
        assertEquals("image declares 3000x3000 = 9000000 pixels, over the limit of 1000000 (plugins.clip.image.max_pixels)", e.getMessage());
        assertEquals(3000, ImageDecoder.decode(png, 9_000_000).getWidth());
    }

    public void testRefusesBytesThatAreNoImage() {
        byte[] html = "<html><body>not found</body></html>".getBytes(StandardCharsets.US_ASCII);
        ImageDecodeException e = expectThrows(ImageDecodeException.class, () -> ImageDecoder.decode(html, MAX_PIXELS));
        assertEquals(
            "not a supported image format (first bytes 3c 68 74 6d 6c 3e 3c 62); expected JPEG, PNG, GIF, BMP or WebP",
            e.getMessage()
        );
        // "BM" alone does not make a BMP
        byte[] text = "BMW cars are fast, or so they say".getBytes(StandardCharsets.US_ASCII);
        e = expectThrows(ImageDecodeException.class, () -> ImageDecoder.decode(text, MAX_PIXELS));
        assertTrue(e.getMessage(), e.getMessage().startsWith("not a supported image format"));
    }

    public void testRefusesEmptyData() {
        assertEquals("empty image data", expectThrows(ImageDecodeException.class, () -> ImageDecoder.decode(new byte[0], 1)).getMessage());
        assertEquals("empty image data", expectThrows(ImageDecodeException.class, () -> ImageDecoder.decode(null, 1)).getMessage());
    }

    public void testRefusesTruncatedJpeg() throws IOException {
        byte[] jpeg = Files.readAllBytes(SharedFixtures.flickrImages().resolve("2943023421_e297f05e11.jpg"));
        for (int length : new int[] { jpeg.length / 2, jpeg.length - 2, 200, 4 }) {
            byte[] truncated = Arrays.copyOf(jpeg, length);
            ImageDecodeException e = expectThrows(ImageDecodeException.class, () -> ImageDecoder.decode(truncated, MAX_PIXELS));
            assertTrue(length + ": " + e.getMessage(), e.getMessage().startsWith("corrupt or truncated JPEG: "));
        }
    }

    public void testRefusesTruncatedPng() throws IOException {
        BufferedImage image = new BufferedImage(64, 64, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 64; y++) {
            for (int x = 0; x < 64; x++) {
                image.setRGB(x, y, x * 0x040000 + y * 0x0400 + (x ^ y));
            }
        }
        byte[] png = encode(image, "png");
        byte[] truncated = Arrays.copyOf(png, png.length / 2);
        ImageDecodeException e = expectThrows(ImageDecodeException.class, () -> ImageDecoder.decode(truncated, MAX_PIXELS));
        assertTrue(e.getMessage(), e.getMessage().startsWith("corrupt or truncated PNG: "));
    }

    public void testGifGivesTheFirstFrame() throws IOException {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("gif").next();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ImageOutputStream out = ImageIO.createImageOutputStream(bytes)) {
            writer.setOutput(out);
            writer.prepareWriteSequence(null);
            for (int rgb : new int[] { 0xFF0000, 0x0000FF }) {
                BufferedImage frame = new BufferedImage(8, 6, BufferedImage.TYPE_BYTE_INDEXED);
                for (int y = 0; y < 6; y++) {
                    for (int x = 0; x < 8; x++) {
                        frame.setRGB(x, y, rgb);
                    }
                }
                IIOMetadata metadata = writer.getDefaultImageMetadata(ImageTypeSpecifier.createFromRenderedImage(frame), null);
                writer.writeToSequence(new IIOImage(frame, null, metadata), null);
            }
            writer.endWriteSequence();
        } finally {
            writer.dispose();
        }
        BufferedImage decoded = ImageDecoder.decode(bytes.toByteArray(), MAX_PIXELS);
        assertEquals(8, decoded.getWidth());
        assertEquals(6, decoded.getHeight());
        assertRgb(decoded, 3, 3, 0xFF0000);
    }

    public void testBmp() throws IOException {
        BufferedImage image = new BufferedImage(5, 3, BufferedImage.TYPE_INT_RGB);
        image.setRGB(0, 0, 0x123456);
        image.setRGB(4, 2, 0xABCDEF);
        BufferedImage decoded = ImageDecoder.decode(encode(image, "bmp"), MAX_PIXELS);
        assertEquals(5, decoded.getWidth());
        assertRgb(decoded, 0, 0, 0x123456);
        assertRgb(decoded, 4, 2, 0xABCDEF);
        assertRgb(decoded, 2, 1, 0x000000);
    }

    /** Grey levels are taken as they are, like PIL; Java 2D's getRGB would brighten them as if they were linear light. */
    public void testGrayscaleKeepsItsLevels() throws IOException {
        BufferedImage gray = new BufferedImage(4, 4, BufferedImage.TYPE_BYTE_GRAY);
        gray.getRaster().setSample(1, 2, 0, 100);
        gray.getRaster().setSample(3, 3, 0, 200);
        BufferedImage fromPng = ImageDecoder.decode(encode(gray, "png"), MAX_PIXELS);
        assertRgb(fromPng, 1, 2, 0x646464);
        assertRgb(fromPng, 3, 3, 0xC8C8C8);
        assertRgb(fromPng, 0, 0, 0x000000);

        BufferedImage flat = new BufferedImage(16, 16, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < 16; y++) {
            for (int x = 0; x < 16; x++) {
                flat.getRaster().setSample(x, y, 0, 100);
            }
        }
        BufferedImage fromJpeg = ImageDecoder.decode(encode(flat, "jpeg"), MAX_PIXELS);
        assertRgb(fromJpeg, 7, 7, 0x646464);
    }

    /** 16-bit samples keep their high byte, as PIL does for 16-bit RGB. */
    public void testSixteenBitPng() throws IOException {
        BufferedImage gray16 = new BufferedImage(3, 2, BufferedImage.TYPE_USHORT_GRAY);
        gray16.getRaster().setSample(0, 0, 0, 0x1234);
        gray16.getRaster().setSample(2, 1, 0, 0xFFFF);
        BufferedImage decodedGray = ImageDecoder.decode(encode(gray16, "png"), MAX_PIXELS);
        assertRgb(decodedGray, 0, 0, 0x121212);
        assertRgb(decodedGray, 2, 1, 0xFFFFFF);

        ComponentColorModel rgb16Model = new ComponentColorModel(
            ColorSpace.getInstance(ColorSpace.CS_sRGB),
            false,
            false,
            Transparency.OPAQUE,
            DataBuffer.TYPE_USHORT
        );
        WritableRaster raster = rgb16Model.createCompatibleWritableRaster(2, 2);
        raster.setPixel(1, 0, new int[] { 0xAB00, 0x12FF, 0xFFFF });
        BufferedImage rgb16 = new BufferedImage(rgb16Model, raster, false, null);
        BufferedImage decodedRgb = ImageDecoder.decode(encode(rgb16, "png"), MAX_PIXELS);
        assertRgb(decodedRgb, 1, 0, 0xAB12FF);
        assertRgb(decodedRgb, 0, 0, 0x000000);
    }

    public void testPaletteIsExpandedAndTransparentEntriesBecomeWhite() throws IOException {
        byte[] r = { (byte) 0xFF, 0x00, 0x10, 0x00 };
        byte[] g = { 0x00, (byte) 0x80, 0x20, 0x00 };
        byte[] b = { 0x00, 0x00, 0x30, 0x00 };
        IndexColorModel palette = new IndexColorModel(2, 4, r, g, b, 3);
        BufferedImage image = new BufferedImage(4, 1, BufferedImage.TYPE_BYTE_BINARY, palette);
        for (int x = 0; x < 4; x++) {
            image.getRaster().setSample(x, 0, 0, x);
        }
        BufferedImage decoded = ImageDecoder.decode(encode(image, "png"), MAX_PIXELS);
        assertRgb(decoded, 0, 0, 0xFF0000);
        assertRgb(decoded, 1, 0, 0x008000);
        assertRgb(decoded, 2, 0, 0x102030);
        assertRgb(decoded, 3, 0, 0xFFFFFF);
    }

    public void testAlphaIsCompositedOnWhite() throws IOException {
        BufferedImage image = new BufferedImage(3, 1, BufferedImage.TYPE_INT_ARGB);
        image.setRGB(0, 0, 0x00123456);
        image.setRGB(1, 0, 0xFF123456);
        image.setRGB(2, 0, 0x80000000);
        BufferedImage decoded = ImageDecoder.decode(encode(image, "png"), MAX_PIXELS);
        assertRgb(decoded, 0, 0, 0xFFFFFF);
        assertRgb(decoded, 1, 0, 0x123456);
        assertRgb(decoded, 2, 0, 0x7F7F7F);
    }

    /** Values from Pillow: Image.alpha_composite(white, (c, c, c, a)).convert("RGB"). */
    public void testAlphaRoundsLikePil() {
        int[] alphas = { 1, 64, 128, 200, 254 };
        int[][] expected = {
            { 0, 254, 191, 127, 55, 1 },
            { 100, 254, 216, 177, 133, 101 },
            { 200, 255, 241, 227, 212, 200 },
            { 255, 255, 255, 255, 255, 255 } };
        for (int[] row : expected) {
            int c = row[0];
            for (int i = 0; i < alphas.length; i++) {
                int out = ImageDecoder.onWhite(c, c, c, alphas[i]);
                assertEquals("c=" + c + " a=" + alphas[i], row[i + 1] * 0x010101, out);
            }
        }
    }

    /** A lossless WebP written by Pillow: 3x2 RGBA with one transparent and one half-transparent pixel. */
    public void testWebp() {
        byte[] webp = Base64.getDecoder()
            .decode(
                "UklGRkoAAABXRUJQVlA4TD0AAAAvAkAAEC9AkG2zOQzs/jLXIJO2ad/61zNrI5O2aT30nn+XI5ikqctjly/gP+IBWa0tQSBAGSse2Cai/zFeAA=="
            );
        BufferedImage decoded = ImageDecoder.decode(webp, MAX_PIXELS);
        int[] expected = { 0xFF0000, 0x00FF00, 0x0000FF, 0x0A141E, 0xFFFFFF, 0x7F7F7F };
        for (int i = 0; i < expected.length; i++) {
            assertRgb(decoded, i % 3, i / 3, expected[i]);
        }
    }

    /**
     * A 32x16 image with red, green / blue, white quadrants, tagged with each EXIF orientation; the expected upright
     * quadrants (top-left, top-right, bottom-left, bottom-right) are what Pillow's ImageOps.exif_transpose gives.
     */
    public void testExifOrientationIsApplied() throws IOException {
        BufferedImage image = new BufferedImage(32, 16, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 16; y++) {
            for (int x = 0; x < 32; x++) {
                image.setRGB(x, y, x < 16 ? (y < 8 ? 0xFF0000 : 0x0000FF) : (y < 8 ? 0x00FF00 : 0xFFFFFF));
            }
        }
        byte[] jpeg = encode(image, "jpeg");
        String[] expected = { "RGBW", "GRWB", "WBGR", "BWRG", "RBGW", "BRWG", "WGBR", "GWRB" };
        for (int orientation = 1; orientation <= 8; orientation++) {
            for (ByteOrder order : new ByteOrder[] { ByteOrder.BIG_ENDIAN, ByteOrder.LITTLE_ENDIAN }) {
                BufferedImage upright = ImageDecoder.decode(withExif(jpeg, tiffWithOrientation(order, orientation)), MAX_PIXELS);
                String label = "orientation " + orientation + " " + order;
                assertEquals(label, orientation >= 5 ? 16 : 32, upright.getWidth());
                assertEquals(label, expected[orientation - 1], quadrants(upright));
            }
        }
    }

    /** The model card's preprocessing fixtures: CMYK and progressive JPEG, EXIF, alpha, palette, grey and 16-bit PNG. */
    @SuppressWarnings("unchecked")
    public void testGoldenFixturesDecodeToTheirReferenceSizes() throws IOException {
        java.nio.file.Path dir = SharedFixtures.miniClip().resolve("golden_preprocess");
        java.util.Map<String, Object> golden = org.opensearch.cliphybrid.model.ModelFolder.readJson(dir.resolve("golden_preprocess.json"));
        java.util.List<java.util.Map<String, Object>> images = (java.util.List<java.util.Map<String, Object>>) golden.get("images");
        assertTrue(images.size() >= 8);
        for (java.util.Map<String, Object> image : images) {
            String file = (String) image.get("file");
            java.util.List<Number> size = (java.util.List<Number>) image.get("decoded_size_wh");
            BufferedImage decoded = ImageDecoder.decode(Files.readAllBytes(dir.resolve(file)), MAX_PIXELS);
            assertEquals(file, BufferedImage.TYPE_INT_RGB, decoded.getType());
            assertEquals(file, size.get(0).intValue(), decoded.getWidth());
            assertEquals(file, size.get(1).intValue(), decoded.getHeight());
        }
    }

    public void testMalformedExifIsIgnored() throws IOException {
        BufferedImage image = new BufferedImage(32, 16, BufferedImage.TYPE_INT_RGB);
        byte[] jpeg = encode(image, "jpeg");
        byte[] badOrder = "XX\0*\0\0\0\u0008".getBytes(StandardCharsets.ISO_8859_1);
        byte[] ifdOutOfRange = tiffWithOrientation(ByteOrder.BIG_ENDIAN, 6);
        ifdOutOfRange[7] = 100;
        byte[] orientationTooLarge = tiffWithOrientation(ByteOrder.LITTLE_ENDIAN, 9);
        for (byte[] tiff : new byte[][] { badOrder, ifdOutOfRange, orientationTooLarge, new byte[0] }) {
            BufferedImage decoded = ImageDecoder.decode(withExif(jpeg, tiff), MAX_PIXELS);
            assertEquals(32, decoded.getWidth());
            assertEquals(16, decoded.getHeight());
        }
    }

    /** The figure the reserve callback sees follows the reader's own image type: 1 byte a pixel for grey, 8 for 16-bit RGBA. */
    public void testDeclaredBytesFollowTheReadersImageType() throws IOException {
        BufferedImage gray = new BufferedImage(100, 50, BufferedImage.TYPE_BYTE_GRAY);
        assertEquals((1 + 4) * 5000L, declaredBytes(encode(gray, "png")));
        BufferedImage rgb = new BufferedImage(100, 50, BufferedImage.TYPE_INT_RGB);
        assertEquals((3 + 4) * 5000L, declaredBytes(encode(rgb, "png")));
        ComponentColorModel rgba16Model = new ComponentColorModel(
            ColorSpace.getInstance(ColorSpace.CS_sRGB),
            true,
            false,
            Transparency.TRANSLUCENT,
            DataBuffer.TYPE_USHORT
        );
        BufferedImage rgba16 = new BufferedImage(rgba16Model, rgba16Model.createCompatibleWritableRaster(100, 50), false, null);
        long sixteenBit = declaredBytes(encode(rgba16, "png"));
        assertEquals((8 + 4) * 5000L, sixteenBit);
        assertTrue(sixteenBit > declaredBytes(encode(gray, "png")));
        // 2 bits a pixel, packed: one byte holds a row of 4
        IndexColorModel palette = new IndexColorModel(2, 4, new byte[4], new byte[4], new byte[4]);
        assertEquals(1 + 4 * 4L, declaredBytes(encode(new BufferedImage(4, 1, BufferedImage.TYPE_BYTE_BINARY, palette), "png")));
        // lossless WebP: 4 bytes a pixel of RGBA, the output, and a byte for its transform images
        byte[] webp = Base64.getDecoder()
            .decode(
                "UklGRkoAAABXRUJQVlA4TD0AAAAvAkAAEC9AkG2zOQzs/jLXIJO2ad/61zNrI5O2aT30nn+XI5ikqctjly/gP+IBWa0tQSBAGSse2Cai/zFeAA=="
            );
        assertEquals((4 + 4 + 1) * 6L, declaredBytes(webp));
    }

    /** A progressive JPEG keeps every DCT coefficient until its last scan: 2 bytes per sample of every component. */
    public void testDeclaredBytesOfAProgressiveJpegCountItsCoefficients() throws IOException {
        BufferedImage image = new BufferedImage(64, 64, BufferedImage.TYPE_INT_RGB);
        byte[] baseline = encode(image, "jpeg");
        assertEquals((3 + 4) * 4096L, declaredBytes(baseline));
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ImageOutputStream out = ImageIO.createImageOutputStream(bytes)) {
            writer.setOutput(out);
            javax.imageio.ImageWriteParam param = writer.getDefaultWriteParam();
            param.setProgressiveMode(javax.imageio.ImageWriteParam.MODE_DEFAULT);
            writer.write(null, new IIOImage(image, null, null), param);
        } finally {
            writer.dispose();
        }
        // 4:2:0: per 16x16 MCU, 4 luma blocks and one of each chroma, 64 coefficients of 2 bytes each; 4x4 MCUs
        long coefficients = 16L * (4 + 1 + 1) * 64 * 2;
        assertEquals((3 + 4) * 4096L + coefficients, declaredBytes(bytes.toByteArray()));
    }

    /** The callback runs before any pixel is decoded: a reservation refused there wins over what the pixels would do. */
    public void testDeclaredSizeIsAskedBeforeThePixelsAreDecoded() throws IOException {
        byte[] png = encode(new BufferedImage(64, 64, BufferedImage.TYPE_INT_RGB), "png");
        byte[] truncated = Arrays.copyOf(png, png.length - 20);
        int[] seen = new int[2];
        OpenSearchRejectedExecutionException e = expectThrows(
            OpenSearchRejectedExecutionException.class,
            () -> ImageDecoder.decode(truncated, MAX_PIXELS, (width, height, bytesHeld) -> {
                seen[0] = width;
                seen[1] = height;
                throw new OpenSearchRejectedExecutionException("budget spent: " + bytesHeld);
            })
        );
        assertEquals("budget spent: " + (3 + 4) * 4096, e.getMessage());
        assertArrayEquals(new int[] { 64, 64 }, seen);
    }

    /** Metadata is not read: a zTXt chunk is not even inflated, so one that is no zlib stream does not matter. */
    public void testPngTextChunksAreNotInflated() {
        BufferedImage decoded = ImageDecoder.decode(HostileImages.pngWithUndecodableZtxt(), MAX_PIXELS);
        assertEquals(1, decoded.getWidth());
        long start = System.nanoTime();
        ImageDecoder.decode(HostileImages.named("png-ztxt-bomb").bytes(), MAX_PIXELS);
        ImageDecoder.decode(HostileImages.named("png-itxt-bomb").bytes(), MAX_PIXELS);
        long allocatedBefore = allocated();
        ImageDecoder.decode(HostileImages.named("png-ztxt-bomb").bytes(), MAX_PIXELS);
        long allocated = allocated() - allocatedBefore;
        assertTrue("decoding the zTXt bomb allocated " + allocated + " bytes", allocated < 16 * 1024 * 1024);
        assertTrue((System.nanoTime() - start) / 1_000_000 + " ms", System.nanoTime() - start < 5_000_000_000L);
    }

    /**
     * The upright image is written straight into the output's buffer, orientation applied on the way: a 1000x1000 grey
     * JPEG turned by EXIF holds its 1 MB raster and the 4 MB output, no 4 MB intermediate and no 4 MB rotated copy.
     */
    public void testOrientationIsAppliedWithoutIntermediateCopies() throws IOException {
        BufferedImage gray = new BufferedImage(1000, 1000, BufferedImage.TYPE_BYTE_GRAY);
        byte[] jpeg = withExif(encode(gray, "jpeg"), tiffWithOrientation(ByteOrder.BIG_ENDIAN, 6));
        ImageDecoder.decode(jpeg, MAX_PIXELS); // warm up: class loading and the readers' tables
        long before = allocated();
        BufferedImage upright = ImageDecoder.decode(jpeg, MAX_PIXELS);
        long allocated = allocated() - before;
        assertEquals(1000, upright.getWidth());
        assertTrue("decoding allocated " + allocated + " bytes", allocated < 7_000_000);
    }

    private static long declaredBytes(byte[] image) {
        long[] declared = { -1 };
        ImageDecoder.decode(image, MAX_PIXELS, (width, height, bytesHeld) -> declared[0] = bytesHeld);
        return declared[0];
    }

    private static long allocated() {
        return ((com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
    }

    private static String quadrants(BufferedImage image) {
        int w = image.getWidth();
        int h = image.getHeight();
        StringBuilder names = new StringBuilder();
        for (int[] at : new int[][] { { w / 4, h / 4 }, { 3 * w / 4, h / 4 }, { w / 4, 3 * h / 4 }, { 3 * w / 4, 3 * h / 4 } }) {
            int rgb = image.getRGB(at[0], at[1]);
            boolean red = ((rgb >> 16) & 0xFF) > 128;
            boolean green = ((rgb >> 8) & 0xFF) > 128;
            boolean blue = (rgb & 0xFF) > 128;
            names.append(red && green && blue ? 'W' : red ? 'R' : green ? 'G' : blue ? 'B' : '?');
        }
        return names.toString();
    }

    /** A TIFF header and one IFD holding only the orientation tag (SHORT). */
    private static byte[] tiffWithOrientation(ByteOrder order, int orientation) {
        ByteBuffer tiff = ByteBuffer.allocate(8 + 2 + 12 + 4).order(order);
        tiff.put(order == ByteOrder.BIG_ENDIAN ? (byte) 'M' : (byte) 'I').put(order == ByteOrder.BIG_ENDIAN ? (byte) 'M' : (byte) 'I');
        tiff.putShort((short) 42).putInt(8);
        tiff.putShort((short) 1);
        tiff.putShort((short) 0x0112).putShort((short) 3).putInt(1).putShort((short) orientation).putShort((short) 0);
        tiff.putInt(0);
        return tiff.array();
    }

    /** Inserts an APP1 Exif segment right after the SOI marker. */
    private static byte[] withExif(byte[] jpeg, byte[] tiff) {
        byte[] header = "Exif\0\0".getBytes(StandardCharsets.ISO_8859_1);
        int length = 2 + header.length + tiff.length;
        ByteBuffer out = ByteBuffer.allocate(jpeg.length + 2 + length);
        out.put(jpeg, 0, 2);
        out.put((byte) 0xFF).put((byte) 0xE1).putShort((short) length).put(header).put(tiff);
        out.put(jpeg, 2, jpeg.length - 2);
        return out.array();
    }
}
