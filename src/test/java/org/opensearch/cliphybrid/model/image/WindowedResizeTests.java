package org.opensearch.cliphybrid.model.image;

import org.opensearch.cliphybrid.testing.PixelValues;
import org.opensearch.test.OpenSearchTestCase;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Resizing only the pixels a centre crop keeps must give exactly the pixels of the whole resize followed by the crop
 * ({@link PilResizeTests#resize}, pinned to Pillow there), and must stay small and fast for images so long and thin
 * that the whole resize would not fit in memory.
 */
public class WindowedResizeTests extends OpenSearchTestCase {

    private static int[] randomPixels(int n) {
        int[] pixels = new int[n];
        for (int i = 0; i < n; i++) {
            // sharp edges and flat runs both: clipping and negative lobes only show on the former
            pixels[i] = randomBoolean() ? randomInt() & 0xFFFFFF : (i > 0 ? pixels[i - 1] : 0);
        }
        return pixels;
    }

    /** The old way: the whole resized image, then transformers' crop with zero padding. */
    private static int[] resizeThenCrop(
        int[] source,
        int width,
        int height,
        int outWidth,
        int outHeight,
        int left,
        int top,
        int cropWidth,
        int cropHeight,
        PilResize.Filter filter
    ) {
        int[] resized = ReferencePilResize.resize(source, width, height, outWidth, outHeight, filter);
        int[] out = new int[cropWidth * cropHeight];
        for (int y = 0; y < cropHeight; y++) {
            for (int x = 0; x < cropWidth; x++) {
                int sy = y + top;
                int sx = x + left;
                out[y * cropWidth + x] = sy >= 0 && sy < outHeight && sx >= 0 && sx < outWidth ? resized[sy * outWidth + sx] : 0;
            }
        }
        return out;
    }

    public void testWindowEqualsWholeResizeThenCrop() {
        for (int iteration = 0; iteration < 300; iteration++) {
            int width = randomIntBetween(1, 300);
            int height = randomIntBetween(1, 300);
            int outWidth = randomBoolean() ? randomIntBetween(1, width) : randomIntBetween(width, 300);
            int outHeight = randomBoolean() ? randomIntBetween(1, height) : randomIntBetween(height, 300);
            int cropWidth = randomIntBetween(1, 300);
            int cropHeight = randomIntBetween(1, 300);
            // centred like transformers, or anywhere that still overlaps or just misses the resized image
            int left = randomBoolean() ? Math.floorDiv(outWidth - cropWidth, 2) : randomIntBetween(-cropWidth, outWidth);
            int top = randomBoolean() ? Math.floorDiv(outHeight - cropHeight, 2) : randomIntBetween(-cropHeight, outHeight);
            PilResize.Filter filter = randomFrom(PilResize.Filter.values());
            int[] source = randomPixels(width * height);

            int[] expected = resizeThenCrop(source, width, height, outWidth, outHeight, left, top, cropWidth, cropHeight, filter);
            PilResize.Window window = PilResize.window(width, height, outWidth, outHeight, left, top, cropWidth, cropHeight, filter);
            String what = width + "x" + height + " -> " + outWidth + "x" + outHeight + " crop " + cropWidth + "x" + cropHeight + " at "
                + left + "," + top + " " + filter;
            assertArrayEquals(what, expected, window.apply(new PilResize.Source(source, 0, width)));
            // the same from a copy of only the rectangle the window reads
            int x0 = window.inputX(), y0 = window.inputY(), w = window.inputWidth(), h = window.inputHeight();
            int[] rectangle = new int[w * h];
            for (int y = 0; y < h; y++) {
                System.arraycopy(source, (y0 + y) * width + x0, rectangle, y * w, w);
            }
            assertArrayEquals(what + " (rectangle)", expected, window.apply(new PilResize.Source(rectangle, -(y0 * w + x0), w)));
        }
    }

    /** The preprocessor end to end, both size modes, on both the in-place and the copying pixel reads. */
    public void testPreprocessorEqualsWholeResizeThenCrop() {
        for (int iteration = 0; iteration < 150; iteration++) {
            int width = randomIntBetween(1, 300);
            int height = randomIntBetween(1, 300);
            int cropWidth = randomIntBetween(1, 300);
            int cropHeight = randomIntBetween(1, 300);
            PilResize.Filter filter = randomFrom(PilResize.Filter.values());
            Map<String, Object> config = new HashMap<>();
            int outWidth;
            int outHeight;
            if (randomBoolean()) {
                int shortestEdge = randomIntBetween(1, 300);
                config.put("size", Map.of("shortest_edge", shortestEdge));
                int longSide = (int) ((double) shortestEdge * Math.max(width, height) / Math.min(width, height));
                outWidth = width <= height ? shortestEdge : longSide;
                outHeight = width <= height ? longSide : shortestEdge;
            } else {
                outWidth = randomIntBetween(1, 300);
                outHeight = randomIntBetween(1, 300);
                config.put("size", Map.of("height", outHeight, "width", outWidth));
            }
            config.put("crop_size", Map.of("height", cropHeight, "width", cropWidth));
            config.put("resample", filter == PilResize.Filter.BICUBIC ? 3 : 2);
            // pixel levels come out unchanged, so floats compare with the 8-bit reference exactly
            config.put("do_rescale", false);
            config.put("do_normalize", false);
            ClipImagePreprocessor preprocessor = ClipImagePreprocessor.fromConfig(config);

            int[] source = randomPixels(width * height);
            int[] expected = resizeThenCrop(
                source,
                width,
                height,
                outWidth,
                outHeight,
                Math.floorDiv(outWidth - cropWidth, 2),
                Math.floorDiv(outHeight - cropHeight, 2),
                cropWidth,
                cropHeight,
                filter
            );
            String what = width + "x" + height + " " + config;
            assertPixels(what + " INT_RGB", expected, PixelValues.onHeap(preprocessor, intRgb(source, width, height)));
            assertPixels(what + " 3BYTE_BGR", expected, PixelValues.onHeap(preprocessor, copy(source, width, height, BufferedImage.TYPE_3BYTE_BGR)));
            // a sub-image shares its parent's array at an offset and with the parent's stride
            BufferedImage parent = new BufferedImage(width + 3, height + 2, BufferedImage.TYPE_INT_RGB);
            parent.setRGB(2, 1, width, height, source, 0, width);
            BufferedImage sub = parent.getSubimage(2, 1, width, height);
            assertEquals(BufferedImage.TYPE_INT_RGB, sub.getType());
            assertPixels(what + " sub-image", expected, PixelValues.onHeap(preprocessor, sub));
        }
    }

    private static void assertPixels(String what, int[] expected, float[] pixelValues) {
        int plane = expected.length;
        assertEquals(what, 3 * plane, pixelValues.length);
        for (int i = 0; i < plane; i++) {
            int p = expected[i];
            if (pixelValues[i] != ((p >> 16) & 0xFF) || pixelValues[plane + i] != ((p >> 8) & 0xFF) || pixelValues[2 * plane + i] != (p & 0xFF)) {
                fail(what + ": pixel " + i + " expected " + Integer.toHexString(p));
            }
        }
    }

    private static BufferedImage intRgb(int[] pixels, int width, int height) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        System.arraycopy(pixels, 0, ((DataBufferInt) image.getRaster().getDataBuffer()).getData(), 0, pixels.length);
        return image;
    }

    private static BufferedImage copy(int[] pixels, int width, int height, int type) {
        BufferedImage image = new BufferedImage(width, height, type);
        image.setRGB(0, 0, width, height, pixels, 0, width);
        return image;
    }

    private static ClipImagePreprocessor levelsOnly() {
        // the mini-clip and ViT-B/32 geometry: shortest edge 224, bicubic, centre crop 224x224
        return ClipImagePreprocessor.fromConfig(Map.of("do_rescale", false, "do_normalize", false));
    }

    private static long allocatedBytes() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
    }

    /**
     * A 10000x1 PNG is about 100 bytes as a data URI; resized whole to a shortest edge of 224 it was 2,240,000x224 pixels
     * (2 GB of ints and the node's OutOfMemoryError). Only the crop is computed now: a few MB, in well under a second.
     */
    public void testLongThinImagesStaySmall() {
        ClipImagePreprocessor preprocessor = levelsOnly();
        for (int[] size : new int[][] { { 10_000, 1 }, { 1, 10_000 }, { 40_000_000, 1 }, { 1, 40_000_000 }, { 6_000, 1_000 } }) {
            int width = size[0];
            int height = size[1];
            BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
            int[] data = ((DataBufferInt) image.getRaster().getDataBuffer()).getData();
            Arrays.fill(data, 0x336699);
            long allocated = allocatedBytes();
            long start = System.nanoTime();
            float[] pixelValues = PixelValues.onHeap(preprocessor, image);
            long millis = (System.nanoTime() - start) / 1_000_000;
            allocated = allocatedBytes() - allocated;
            String what = width + "x" + height;
            // a flat colour stays that colour through any resize; the crop is filled, the image being longer than it
            int plane = 224 * 224;
            for (int i = 0; i < plane; i++) {
                if (pixelValues[i] != 0x33 || pixelValues[plane + i] != 0x66 || pixelValues[2 * plane + i] != 0x99) {
                    fail(what + ": pixel " + i + " is " + pixelValues[i] + "," + pixelValues[plane + i] + "," + pixelValues[2 * plane + i]);
                }
            }
            logger.info("{}: {} ms, {} KB allocated", what, millis, allocated / 1024);
            // the float output (600 KB), the crop's ints (200 KB) and the horizontal pass over the rows the crop reads
            assertTrue(what + ": allocated " + allocated + " bytes", allocated < 8L << 20);
            assertTrue(what + ": took " + millis + " ms", millis < 5_000);
        }
    }

    /** Across a long image, the kept middle is the middle of the picture: a left-to-right ramp stays ordered in the crop. */
    public void testLongImageKeepsItsMiddle() {
        int width = 40_000_000;
        BufferedImage image = new BufferedImage(width, 1, BufferedImage.TYPE_INT_RGB);
        int[] data = ((DataBufferInt) image.getRaster().getDataBuffer()).getData();
        for (int x = 0; x < width; x++) {
            // red is 0 left of the middle and 255 right of it
            data[x] = x < width / 2 ? 0 : 0xFF0000;
        }
        float[] pixelValues = PixelValues.onHeap(levelsOnly(), image);
        // 224 output columns span one input pixel around the middle: dark on the left edge, bright on the right
        assertEquals(0f, pixelValues[0], 0f);
        assertEquals(255f, pixelValues[223], 0f);
        for (int x = 1; x < 224; x++) {
            assertTrue("column " + x, pixelValues[x] >= pixelValues[x - 1]);
        }
    }

    public void testRefusesAResizeTooLargeToComputeExactly() {
        // (2^31 - 1) * (2^22 + 1) is past 2^53, where a double stops holding every output index
        ClipImagePreprocessor preprocessor = ClipImagePreprocessor.fromConfig(Map.of("size", Map.of("shortest_edge", Integer.MAX_VALUE)));
        BufferedImage image = new BufferedImage(1, (1 << 22) + 1, BufferedImage.TYPE_INT_RGB);
        IllegalArgumentException e = expectThrows(IllegalArgumentException.class, () -> PixelValues.onHeap(preprocessor, image));
        assertTrue(e.getMessage(), e.getMessage().contains("aspect ratio 1x4194305 too extreme"));
    }
}
