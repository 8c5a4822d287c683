package org.opensearch.cliphybrid.image;

import org.opensearch.cliphybrid.testing.HostileImages;
import org.opensearch.test.OpenSearchTestCase;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Every hostile image gives its expected outcome, quickly, and none is decoded past what its limits allow. */
public class HostileImageDecodeTests extends OpenSearchTestCase {

    /** All cases are tried, and every one that goes wrong is named, so a failure shows the whole picture. */
    public void testEveryCaseGivesItsExpectedOutcome() {
        Set<String> names = new HashSet<>();
        List<String> wrong = new ArrayList<>();
        for (HostileImages.Case c : HostileImages.all()) {
            assertTrue("duplicate name " + c.name(), names.add(c.name()));
            assertTrue(c + " is no small file", c.bytes().length < 4_000_000);
            try {
                check(c);
            } catch (AssertionError | RuntimeException | OutOfMemoryError e) {
                wrong.add(c + ": " + e);
            }
        }
        assertTrue(String.join("\n", wrong), wrong.isEmpty());
    }

    private static void check(HostileImages.Case c) {
        long[] reserved = { -1 };
        long start = System.nanoTime();
        try {
            BufferedImage image = ImageDecoder.decode(c.bytes(), HostileImages.MAX_PIXELS, (w, h, bytes) -> reserved[0] = bytes);
            assertTrue("decoded, but must be refused as " + c.failure(), c.embeddable());
            assertTrue("reserved " + reserved[0], reserved[0] >= 4L * image.getWidth() * image.getHeight());
        } catch (ImageDecodeException e) {
            assertFalse("must decode, but: " + e.getMessage(), c.embeddable());
            assertEquals(e.getMessage(), c.failure(), ImageFailure.of(e));
            if (c.failure() == ImageFailure.TOO_LARGE) {
                assertTrue(e.getMessage(), e.getMessage().endsWith("over the limit of 40000000 (plugins.clip.image.max_pixels)"));
                assertEquals("refused only after reserving memory", -1, reserved[0]);
            }
        }
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertTrue("took " + millis + " ms", millis < 5_000);
    }

    public void testWideAndTallImagesDecode() {
        BufferedImage wide = ImageDecoder.decode(HostileImages.named("png-10000x1").bytes(), HostileImages.MAX_PIXELS);
        assertEquals(10000, wide.getWidth());
        assertEquals(1, wide.getHeight());
        BufferedImage tall = ImageDecoder.decode(HostileImages.named("png-1x10000").bytes(), HostileImages.MAX_PIXELS);
        assertEquals(1, tall.getWidth());
        assertEquals(10000, tall.getHeight());
        assertTrue(HostileImages.named("png-10000x1").bytes().length < 150);
    }

    /** The JDK reader would allocate biSizeImage (here near 2 GiB) in one array for the embedded image. */
    public void testBmpEmbeddingOtherFormatsIsRefusedFromItsHeader() {
        ImageDecodeException jpeg = expectThrows(
            ImageDecodeException.class,
            () -> ImageDecoder.decode(HostileImages.named("bmp-compression-4-huge-size").bytes(), HostileImages.MAX_PIXELS)
        );
        assertEquals("BMP compression 4 (JPEG inside BMP) is not supported", jpeg.getMessage());
        ImageDecodeException png = expectThrows(
            ImageDecodeException.class,
            () -> ImageDecoder.decode(HostileImages.named("bmp-compression-5-huge-size").bytes(), HostileImages.MAX_PIXELS)
        );
        assertEquals("BMP compression 5 (PNG inside BMP) is not supported", png.getMessage());
    }

    public void testMessagesNameTheSizeAndTheLimit() {
        assertEquals(
            "image declares 30000x30000 = 900000000 pixels, over the limit of 40000000 (plugins.clip.image.max_pixels)",
            refusal("png-30000x30000")
        );
        assertEquals(
            "GIF logical screen declares 65535x65535 = 4294836225 pixels, over the limit of 40000000 (plugins.clip.image.max_pixels)",
            refusal("gif-huge-logical-screen")
        );
        assertEquals(
            "JPEG's further frame header (SOF2) declares 65000x65000 = 4225000000 pixels, over the limit of 40000000 (plugins.clip.image.max_pixels)",
            refusal("jpeg-second-sof-huge")
        );
        assertEquals(
            "WebP VP8 frame declares 16383x16383 = 268402689 pixels, over the limit of 40000000 (plugins.clip.image.max_pixels)",
            refusal("webp-vp8x-small-canvas-huge-vp8")
        );
        assertEquals("corrupt WEBP: the VP8 frame is 1000x1000 but the canvas or frame is 16x16", refusal("webp-vp8x-canvas-vp8-mismatch"));
        assertEquals(
            "corrupt BMP: header declares 2147483632 bytes of RLE data, but the file holds 2 after the header",
            refusal("bmp-rle8-size-beyond-file")
        );
        assertEquals("JPEG has more than 10000 marker segments, which no real image has", refusal("jpeg-20000-empty-segments"));
        assertEquals(
            "corrupt JPEG: its ICC profile declares 2147483632 bytes, more than the whole file (1131 bytes)",
            refusal("jpeg-icc-declares-2gib")
        );
        assertEquals(
            "corrupt WEBP: its ICC profile declares 2147483632 bytes, more than the whole file (236 bytes)",
            refusal("webp-iccp-declares-2gib")
        );
    }

    private static String refusal(String name) {
        return expectThrows(ImageDecodeException.class, () -> ImageDecoder.decode(HostileImages.named(name).bytes(), HostileImages.MAX_PIXELS))
            .getMessage();
    }
}
