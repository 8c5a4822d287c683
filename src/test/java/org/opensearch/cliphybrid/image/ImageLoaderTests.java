package org.opensearch.cliphybrid.image;

import org.opensearch.cliphybrid.net.FetchLimits;
import org.opensearch.cliphybrid.net.GuardedHttpClient;
import org.opensearch.test.OpenSearchTestCase;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;

/** Every source within the limits: URLs through the guarded client, file paths confined to the images folder. */
public class ImageLoaderTests extends OpenSearchTestCase {
    private static InetAddress ip(String literal) throws UnknownHostException {
        return InetAddress.getByName(literal); // a literal is parsed, never looked up
    }

    private static FetchLimits fetch(long maxBytes) {
        return new FetchLimits(maxBytes, 100, 100, FetchLimits.DEFAULT_FETCH_TIMEOUT_MILLIS, false);
    }

    public void testLoaderRefusesAHostThatResolvesInside() {
        ImageLoader loader = new ImageLoader(new GuardedHttpClient(host -> new InetAddress[] { ip("8.8.8.8"), ip("169.254.169.254") }));
        ImageLoader.Limits limits = new ImageLoader.Limits(null, fetch(1000));
        IllegalArgumentException e = expectThrows(
            IllegalArgumentException.class,
            () -> loader.load(ImageSource.parse("http://images.example.com/cat.jpg", Long.MAX_VALUE), limits)
        );
        assertTrue(e.getMessage(), e.getMessage().contains("169.254.169.254"));
        assertTrue(e.getMessage(), e.getMessage().contains("plugins.clip.fetch.allow_private_addresses"));
    }

    public void testFilePathsNeedAConfiguredFolderAndStayInside() throws Exception {
        ImageLoader loader = new ImageLoader(new GuardedHttpClient());
        IllegalArgumentException none = expectThrows(
            IllegalArgumentException.class,
            () -> loader.load(ImageSource.parse("cat.jpg", Long.MAX_VALUE), new ImageLoader.Limits(null, fetch(1000)))
        );
        assertTrue(none.getMessage(), none.getMessage().contains("plugins.clip.images.path"));
        Path root = createTempDir();
        java.nio.file.Files.write(root.resolve("cat.jpg"), new byte[] { 1, 2, 3 });
        Path outside = createTempDir().resolve("secret");
        java.nio.file.Files.write(outside, new byte[] { 9 });
        java.nio.file.Files.createSymbolicLink(root.resolve("link"), outside);
        ImageLoader.Limits limits = new ImageLoader.Limits(root, fetch(1000));
        assertArrayEquals(new byte[] { 1, 2, 3 }, loader.load(ImageSource.parse("cat.jpg", Long.MAX_VALUE), limits));
        for (String escape : new String[] { "../secret", "link", "/etc/passwd" }) {
            IllegalArgumentException e = expectThrows(IllegalArgumentException.class, () -> loader.load(ImageSource.parse(escape, Long.MAX_VALUE), limits));
            assertTrue(e.getMessage(), e.getMessage().contains("leads outside plugins.clip.images.path"));
        }
        IllegalArgumentException big = expectThrows(
            IllegalArgumentException.class,
            () -> loader.load(ImageSource.parse("cat.jpg", Long.MAX_VALUE), new ImageLoader.Limits(root, fetch(2)))
        );
        assertTrue(big.getMessage(), big.getMessage().contains("plugins.clip.image.max_bytes"));
    }
}
