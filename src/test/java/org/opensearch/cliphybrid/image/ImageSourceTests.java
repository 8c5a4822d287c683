package org.opensearch.cliphybrid.image;

import org.opensearch.test.OpenSearchTestCase;

import java.util.Base64;

public class ImageSourceTests extends OpenSearchTestCase {
    private static final byte[] BYTES = new byte[100];
    private static final long CAP = 20L * 1024 * 1024;

    public void testHttpAndHttpsAreUrls() {
        assertTrue(ImageSource.parse("https://example.com/a.jpg", CAP) instanceof ImageSource.Url);
        assertTrue(ImageSource.parse(" HTTP://example.com/a.jpg ", CAP) instanceof ImageSource.Url);
    }

    public void testOtherSchemesAreRefused() {
        IllegalArgumentException e = expectThrows(IllegalArgumentException.class, () -> ImageSource.parse("file:///etc/passwd", CAP));
        assertTrue(e.getMessage(), e.getMessage().contains("only http and https"));
    }

    public void testDataUriAndBareBase64AreInline() {
        String b64 = Base64.getEncoder().encodeToString(BYTES);
        ImageSource data = ImageSource.parse("data:image/png;base64," + b64, CAP);
        assertArrayEquals(BYTES, ((ImageSource.Inline) data).bytes());
        ImageSource bare = ImageSource.parse(b64, CAP);
        assertArrayEquals(BYTES, ((ImageSource.Inline) bare).bytes());
        ImageSource urlSafe = ImageSource.parse(Base64.getUrlEncoder().encodeToString(new byte[] { -1, -2, -3 }).repeat(30), CAP);
        assertTrue(urlSafe instanceof ImageSource.Inline);
    }

    public void testDataUriMustBeBase64() {
        expectThrows(IllegalArgumentException.class, () -> ImageSource.parse("data:text/plain,hello", CAP));
        expectThrows(IllegalArgumentException.class, () -> ImageSource.parse("data:image/png;base64", CAP));
    }

    public void testShortNamesArePaths() {
        assertEquals(new ImageSource.LocalFile("cat.jpg"), ImageSource.parse("cat.jpg", CAP));
        assertEquals(new ImageSource.LocalFile("albums/2024/cat"), ImageSource.parse("albums/2024/cat", CAP));
    }

    public void testEmptyIsRefused() {
        expectThrows(IllegalArgumentException.class, () -> ImageSource.parse("   ", CAP));
    }

    public void testDescribeNeverPrintsThePayload() {
        String b64 = Base64.getEncoder().encodeToString(BYTES);
        assertEquals("base64 (100 bytes)", ImageSource.parse(b64, CAP).describe());
    }

    public void testBase64OverTheByteCapIsRefusedBeforeDecoding() {
        String b64 = Base64.getEncoder().encodeToString(new byte[1000]); // 1000 bytes: 1336 characters with 2 of padding
        assertEquals(1000, ((ImageSource.Inline) ImageSource.parse(b64, 1000)).bytes().length);
        ImageLoadException e = expectThrows(ImageLoadException.class, () -> ImageSource.parse(b64, 999));
        assertEquals(ImageFailure.TOO_LARGE, e.failure());
        assertEquals("base64 image is 1000 bytes once decoded, over the limit of 999 (plugins.clip.image.max_bytes)", e.getMessage());
        e = expectThrows(ImageLoadException.class, () -> ImageSource.parse("data:image/png;base64," + b64, 999));
        assertEquals("data: URI image is 1000 bytes once decoded, over the limit of 999 (plugins.clip.image.max_bytes)", e.getMessage());
    }

    /** Whitespace (MIME line breaks) is not counted; padding is not counted; unpadded URL-safe base64 counts right too. */
    public void testDecodedSizeIsExactWhateverTheLayout() {
        for (int size : new int[] { 64, 65, 66, 67, 1000 }) {
            byte[] bytes = new byte[size];
            random().nextBytes(bytes);
            String mime = Base64.getMimeEncoder().encodeToString(bytes);
            String urlSafe = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
            for (String text : new String[] { mime, "  \n" + mime + "\n ", urlSafe }) {
                assertArrayEquals(bytes, ((ImageSource.Inline) ImageSource.parse(text, size)).bytes());
                expectThrows(ImageLoadException.class, () -> ImageSource.parse(text, size - 1));
            }
        }
    }

    /**
     * The cap is checked on the text alone: a value that would decode to 48 MiB is refused at once, with no copy made
     * (the old code made a stripped copy of the text, then decoded it).
     */
    public void testHugeBase64IsRefusedWithoutDecoding() {
        String huge = "QUJD".repeat(16 * 1024 * 1024); // 64 Mi characters: 48 MiB once decoded
        long before = allocated();
        ImageLoadException e = expectThrows(ImageLoadException.class, () -> ImageSource.parse(huge, CAP));
        assertEquals(
            "base64 image is 50331648 bytes once decoded, over the limit of 20971520 (plugins.clip.image.max_bytes)",
            e.getMessage()
        );
        long copied = allocated() - before;
        assertTrue("parsing allocated " + copied + " bytes", copied < 1024 * 1024);
    }

    public void testInvalidCharactersInADataUriAreNamed() {
        IllegalArgumentException e = expectThrows(IllegalArgumentException.class, () -> ImageSource.parse("data:image/png;base64,QUJD*QUJD", CAP));
        assertEquals("invalid data: URI: illegal base64 character [*] at 4", e.getMessage());
    }

    private static long allocated() {
        return ((com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
    }
}
