package org.opensearch.cliphybrid.image;

import org.opensearch.test.OpenSearchTestCase;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;

/** Checked on resolved addresses and a stub resolver only: no traffic goes to any of them. */
public class AddressGuardTests extends OpenSearchTestCase {
    private static InetAddress ip(String literal) throws UnknownHostException {
        return InetAddress.getByName(literal); // a literal is parsed, never looked up
    }

    public void testRefusesInternalAddresses() throws Exception {
        for (String internal : new String[] {
            "127.0.0.1",
            "127.8.9.10",
            "::1",
            "10.1.2.3",
            "172.16.0.1",
            "172.31.255.255",
            "192.168.1.1",
            "169.254.169.254",
            "fe80::1",
            "fd00:ec2::254",
            "100.64.0.1",
            "0.0.0.0",
            "::",
            "224.0.0.1",
            "::ffff:127.0.0.1" }) {
            assertNotNull(internal, AddressGuard.refusal(ip(internal)));
        }
        assertTrue(AddressGuard.refusal(ip("169.254.169.254")).contains("metadata"));
    }

    public void testAllowsPublicAddresses() throws Exception {
        for (String pub : new String[] { "8.8.8.8", "172.32.0.1", "100.128.0.1", "2001:4860:4860::8888" }) {
            assertNull(pub, AddressGuard.refusal(ip(pub)));
        }
    }

    public void testLoaderRefusesAHostThatResolvesInside() {
        ImageLoader loader = new ImageLoader(host -> new InetAddress[] { ip("8.8.8.8"), ip("169.254.169.254") });
        ImageLoader.Limits limits = new ImageLoader.Limits((Path) null, 1000, 100, 100, false);
        IllegalArgumentException e = expectThrows(
            IllegalArgumentException.class,
            () -> loader.load(ImageSource.parse("http://images.example.com/cat.jpg", Long.MAX_VALUE), limits)
        );
        assertTrue(e.getMessage(), e.getMessage().contains("169.254.169.254"));
        assertTrue(e.getMessage(), e.getMessage().contains("clip.fetch.allow_private_addresses"));
    }

    public void testFilePathsNeedAConfiguredFolderAndStayInside() throws Exception {
        ImageLoader loader = new ImageLoader();
        IllegalArgumentException none = expectThrows(
            IllegalArgumentException.class,
            () -> loader.load(ImageSource.parse("cat.jpg", Long.MAX_VALUE), new ImageLoader.Limits(null, 1000, 100, 100, false))
        );
        assertTrue(none.getMessage(), none.getMessage().contains("clip.images.path"));
        Path root = createTempDir();
        java.nio.file.Files.write(root.resolve("cat.jpg"), new byte[] { 1, 2, 3 });
        Path outside = createTempDir().resolve("secret");
        java.nio.file.Files.write(outside, new byte[] { 9 });
        java.nio.file.Files.createSymbolicLink(root.resolve("link"), outside);
        ImageLoader.Limits limits = new ImageLoader.Limits(root, 1000, 100, 100, false);
        assertArrayEquals(new byte[] { 1, 2, 3 }, loader.load(ImageSource.parse("cat.jpg", Long.MAX_VALUE), limits));
        for (String escape : new String[] { "../secret", "link", "/etc/passwd" }) {
            IllegalArgumentException e = expectThrows(IllegalArgumentException.class, () -> loader.load(ImageSource.parse(escape, Long.MAX_VALUE), limits));
            assertTrue(e.getMessage(), e.getMessage().contains("leads outside clip.images.path"));
        }
        IllegalArgumentException big = expectThrows(
            IllegalArgumentException.class,
            () -> loader.load(ImageSource.parse("cat.jpg", Long.MAX_VALUE), new ImageLoader.Limits(root, 2, 100, 100, false))
        );
        assertTrue(big.getMessage(), big.getMessage().contains("clip.image.max_bytes"));
    }
}
