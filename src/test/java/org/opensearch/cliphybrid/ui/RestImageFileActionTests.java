package org.opensearch.cliphybrid.ui;

import org.opensearch.cliphybrid.image.ImageLoader;
import org.opensearch.cliphybrid.net.FetchLimits;
import org.opensearch.cliphybrid.net.GuardedHttpClient;
import org.opensearch.common.io.stream.BytesStreamOutput;
import org.opensearch.core.common.bytes.BytesReference;
import org.opensearch.core.rest.RestStatus;
import org.opensearch.rest.BytesRestResponse;
import org.opensearch.test.OpenSearchTestCase;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

public class RestImageFileActionTests extends OpenSearchTestCase {
    private static final byte[] PNG = { (byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13 };
    private static final byte[] JPEG = { (byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xE0, 0, 16 };

    private Path root;
    private Path outside;

    @Override
    public void setUp() throws Exception {
        super.setUp();
        Path base = createTempDir();
        root = Files.createDirectories(base.resolve("images"));
        outside = Files.createDirectories(base.resolve("private"));
        Files.write(root.resolve("a.png"), PNG);
        Files.createDirectories(root.resolve("album"));
        Files.write(root.resolve("album/b.jpg"), JPEG);
        Files.writeString(root.resolve("page.html"), "<script>alert(1)</script>", StandardCharsets.UTF_8);
        Files.write(outside.resolve("secret.png"), PNG);
    }

    private ImageFiles files(Path imagesRoot, long maxBytes) {
        return new ImageFiles(
            new ImageLoader(new GuardedHttpClient()),
            () -> new ImageLoader.Limits(imagesRoot, new FetchLimits(maxBytes, 1000, 1000, FetchLimits.DEFAULT_FETCH_TIMEOUT_MILLIS, false))
        );
    }

    private ImageFileResponse read(String path) {
        return TransportImageFileAction.read(files(root, 1 << 20), path);
    }

    public void testServesImagesUnderTheFolderWithTheTypeTheirBytesTell() {
        ImageFileResponse png = read("a.png");
        assertEquals(RestStatus.OK, png.status());
        assertEquals("image/png", png.contentType());
        assertArrayEquals(PNG, png.body());
        ImageFileResponse jpeg = read("album/b.jpg");
        assertEquals(RestStatus.OK, jpeg.status());
        assertEquals("image/jpeg", jpeg.contentType());
    }

    public void testDotDotAndAbsolutePathsAreNotFound() {
        assertNotFound(read("../private/secret.png"), "leads outside plugins.clip.images.path");
        assertNotFound(read("album/../../private/secret.png"), "leads outside plugins.clip.images.path");
        assertNotFound(read(outside.resolve("secret.png").toString()), "leads outside plugins.clip.images.path");
    }

    public void testASymbolicLinkOutOfTheFolderIsNotFollowed() throws Exception {
        Files.createSymbolicLink(root.resolve("link.png"), outside.resolve("secret.png"));
        Files.createSymbolicLink(root.resolve("linkdir"), outside);
        assertNotFound(read("link.png"), "leads outside plugins.clip.images.path");
        assertNotFound(read("linkdir/secret.png"), "leads outside plugins.clip.images.path");
    }

    public void testMissingFilesFoldersAndNonImagesAreNotFound() {
        assertNotFound(read("nope.png"), "no such image file");
        assertNotFound(read("album"), "not a regular file");
        assertNotFound(read("page.html"), "is not a JPEG, PNG, GIF, WebP or BMP image");
        assertNotFound(read(""), "no image path");
    }

    public void testNoImagesFolderOrTooLargeIsNotFound() {
        assertNotFound(TransportImageFileAction.read(files(null, 1 << 20), "a.png"), "set plugins.clip.images.path");
        assertNotFound(TransportImageFileAction.read(files(root, 4), "a.png"), "over the limit");
    }

    public void testRequestAndRepliesSurviveTheWire() throws Exception {
        for (String path : new String[] { "album/b.jpg", null }) {
            BytesStreamOutput out = new BytesStreamOutput();
            new ImageFileRequest(path).writeTo(out);
            assertEquals(path, new ImageFileRequest(out.bytes().streamInput()).path());
        }
        for (ImageFileResponse reply : new ImageFileResponse[] { read("a.png"), read("nope.png") }) {
            BytesStreamOutput out = new BytesStreamOutput();
            reply.writeTo(out);
            ImageFileResponse copy = new ImageFileResponse(out.bytes().streamInput());
            assertEquals(reply.status(), copy.status());
            assertEquals(reply.contentType(), copy.contentType());
            assertArrayEquals(reply.body(), copy.body());
            assertEquals(reply.error(), copy.error());
        }
    }

    public void testAnImageIsSentWithItsTypeAndARefusalAsAPlainTextNotFound() {
        BytesRestResponse image = RestImageFileAction.toRest(read("album/b.jpg"));
        assertEquals(RestStatus.OK, image.status());
        assertEquals("image/jpeg", image.contentType());
        assertArrayEquals(JPEG, BytesReference.toBytes(image.content()));
        assertEquals(List.of("nosniff"), image.getHeaders().get("X-Content-Type-Options"));
        assertEquals(List.of("default-src 'none'"), image.getHeaders().get("Content-Security-Policy"));
        BytesRestResponse missing = RestImageFileAction.toRest(read("../private/secret.png"));
        assertEquals(RestStatus.NOT_FOUND, missing.status());
        assertEquals("text/plain; charset=UTF-8", missing.contentType());
        assertEquals("image path [../private/secret.png] leads outside plugins.clip.images.path", missing.content().utf8ToString());
    }

    private static void assertNotFound(ImageFileResponse reply, String reason) {
        assertEquals(RestStatus.NOT_FOUND, reply.status());
        assertNull(reply.body());
        assertTrue(reply.error(), reply.error().contains(reason));
    }
}
