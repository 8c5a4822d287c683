package org.opensearch.cliphybrid.image;

import org.opensearch.test.OpenSearchTestCase;

import java.util.Base64;

public class ImageSourceTests extends OpenSearchTestCase {
    private static final byte[] BYTES = new byte[100];

    public void testHttpAndHttpsAreUrls() {
        assertTrue(ImageSource.parse("https://example.com/a.jpg") instanceof ImageSource.Url);
        assertTrue(ImageSource.parse(" HTTP://example.com/a.jpg ") instanceof ImageSource.Url);
    }

    public void testOtherSchemesAreRefused() {
        IllegalArgumentException e = expectThrows(IllegalArgumentException.class, () -> ImageSource.parse("file:///etc/passwd"));
        assertTrue(e.getMessage(), e.getMessage().contains("only http and https"));
    }

    public void testDataUriAndBareBase64AreInline() {
        String b64 = Base64.getEncoder().encodeToString(BYTES);
        ImageSource data = ImageSource.parse("data:image/png;base64," + b64);
        assertArrayEquals(BYTES, ((ImageSource.Inline) data).bytes());
        ImageSource bare = ImageSource.parse(b64);
        assertArrayEquals(BYTES, ((ImageSource.Inline) bare).bytes());
        ImageSource urlSafe = ImageSource.parse(Base64.getUrlEncoder().encodeToString(new byte[] { -1, -2, -3 }).repeat(30));
        assertTrue(urlSafe instanceof ImageSource.Inline);
    }

    public void testDataUriMustBeBase64() {
        expectThrows(IllegalArgumentException.class, () -> ImageSource.parse("data:text/plain,hello"));
        expectThrows(IllegalArgumentException.class, () -> ImageSource.parse("data:image/png;base64"));
    }

    public void testShortNamesArePaths() {
        assertEquals(new ImageSource.LocalFile("cat.jpg"), ImageSource.parse("cat.jpg"));
        assertEquals(new ImageSource.LocalFile("albums/2024/cat"), ImageSource.parse("albums/2024/cat"));
    }

    public void testEmptyIsRefused() {
        expectThrows(IllegalArgumentException.class, () -> ImageSource.parse("   "));
    }

    public void testDescribeNeverPrintsThePayload() {
        String b64 = Base64.getEncoder().encodeToString(BYTES);
        assertEquals("base64 (100 bytes)", ImageSource.parse(b64).describe());
    }
}
