package org.opensearch.cliphybrid.ui;

import org.opensearch.test.OpenSearchTestCase;

import java.nio.charset.StandardCharsets;

public class UiAssetsTests extends OpenSearchTestCase {
    private final UiAssets assets = UiAssets.load();

    public void testThePageAndItsFilesAreServedWithTheirTypes() {
        UiAssets.Asset page = assets.get(null);
        assertEquals("text/html; charset=UTF-8", page.contentType());
        String html = new String(page.bytes(), StandardCharsets.UTF_8);
        assertTrue(html.contains("/_plugins/clip/ui/app.js"));
        assertTrue(html.contains("/_plugins/clip/ui/app.css"));
        assertSame(page, assets.get(""));
        assertEquals("text/javascript; charset=UTF-8", assets.get("app.js").contentType());
        assertEquals("text/css; charset=UTF-8", assets.get("app.css").contentType());
        assertEquals("image/svg+xml", assets.get("favicon.svg").contentType());
    }

    public void testOnlyListedNamesAreServed() {
        for (String name : new String[] { "../ClipHybridPlugin.class", "UiAssets.class", "index.htm", "app.js/", "%2e%2e", "/app.js" }) {
            assertNull(name, assets.get(name));
        }
    }

    public void testImageKindIsToldByTheBytes() {
        assertEquals("image/jpeg", ImageKind.of(new byte[] { (byte) 0xFF, (byte) 0xD8, (byte) 0xFF, 0 }));
        assertEquals("image/gif", ImageKind.of("GIF89a....".getBytes(StandardCharsets.US_ASCII)));
        assertEquals("image/webp", ImageKind.of("RIFF\0\0\0\0WEBPVP8 ".getBytes(StandardCharsets.US_ASCII)));
        assertNull(ImageKind.of("<html>".getBytes(StandardCharsets.US_ASCII)));
        assertNull(ImageKind.of(new byte[] { (byte) 0xFF, (byte) 0xD8 }));
        assertNull(ImageKind.of(new byte[0]));
    }

    /** The decoder's answer: a BMP is one whose DIB header size is a known one, not any file that starts with "BM". */
    public void testBmpIsToldByItsDibHeaderAsTheDecoderTellsIt() {
        byte[] bmp = new byte[54];
        bmp[0] = 'B';
        bmp[1] = 'M';
        bmp[14] = 40;
        assertEquals("image/bmp", ImageKind.of(bmp));
        assertNull(ImageKind.of("BMW is a car maker, not a bitmap".getBytes(StandardCharsets.US_ASCII)));
    }
}
