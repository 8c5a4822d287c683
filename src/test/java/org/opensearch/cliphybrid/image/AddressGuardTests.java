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

    private static InetAddress v6(int... words) throws UnknownHostException {
        byte[] b = new byte[16];
        for (int i = 0; i < 8; i++) {
            b[2 * i] = (byte) (words[i] >> 8);
            b[2 * i + 1] = (byte) words[i];
        }
        return InetAddress.getByAddress(b);
    }

    private static InetAddress v4(int a, int b, int c, int d) throws UnknownHostException {
        return InetAddress.getByAddress(new byte[] { (byte) a, (byte) b, (byte) c, (byte) d });
    }

    private static void assertRefused(InetAddress address, String fragment) {
        String refusal = AddressGuard.refusal(address);
        assertNotNull(address.getHostAddress(), refusal);
        assertTrue(address.getHostAddress() + ": " + refusal, refusal.contains(fragment));
    }

    public void testRefusesReservedIpv4Ranges() throws Exception {
        assertRefused(v4(192, 0, 0, 1), "192.0.0.0/24");
        assertRefused(v4(192, 0, 0, 170), "192.0.0.0/24");
        assertRefused(v4(198, 18, 0, 1), "198.18.0.0/15");
        assertRefused(v4(198, 19, 255, 254), "198.18.0.0/15");
        assertRefused(v4(240, 0, 0, 1), "240.0.0.0/4");
        assertRefused(v4(255, 255, 255, 255), "broadcast");
        for (InetAddress neighbour : new InetAddress[] { v4(192, 0, 1, 1), v4(198, 17, 255, 255), v4(198, 20, 0, 1), v4(223, 255, 255, 254) }) {
            assertNull(neighbour.getHostAddress(), AddressGuard.refusal(neighbour));
        }
    }

    /** IPv6 forms that a translator or tunnel delivers to the IPv4 address inside them are judged by that address. */
    public void testRefusesIpv6FormsThatEmbedAnInternalIpv4() throws Exception {
        // ::ffff:10.0.0.1 kept as an Inet6Address (InetAddress.getByAddress would turn it into an Inet4Address)
        byte[] mapped = new byte[16];
        mapped[10] = (byte) 0xff;
        mapped[11] = (byte) 0xff;
        mapped[12] = 10;
        mapped[15] = 1;
        assertRefused(java.net.Inet6Address.getByAddress(null, mapped, -1), "IPv4-mapped address embedding 10.0.0.1, a private address");
        assertRefused(v6(0, 0, 0, 0, 0, 0xffff, 0xa9fe, 0xa9fe), "link-local");
        assertRefused(v6(0, 0, 0, 0, 0xffff, 0, 0x0a00, 0x0001), "IPv4-translated address embedding 10.0.0.1");
        assertRefused(v6(0, 0, 0, 0, 0, 0, 0x7f00, 0x0001), "IPv4-compatible address embedding 127.0.0.1, a loopback address");
        assertRefused(v6(0x64, 0xff9b, 0, 0, 0, 0, 0xa9fe, 0xa9fe), "NAT64 address embedding 169.254.169.254, a link-local");
        assertRefused(v6(0x64, 0xff9b, 0, 0, 0, 0, 0xc0a8, 0x0101), "NAT64 address embedding 192.168.1.1");
        assertRefused(v6(0x64, 0xff9b, 1, 0x0808, 0x0808, 0, 0, 0), "local-use NAT64");
        assertRefused(v6(0x2002, 0x0a00, 0x0001, 0, 0, 0, 0, 1), "6to4 address embedding 10.0.0.1");
        assertRefused(v6(0x2002, 0xac10, 0x0001, 0x1234, 0, 0, 0, 1), "6to4 address embedding 172.16.0.1");
        // Teredo: server 65.54.227.120, client 10.0.0.1 stored with every bit flipped
        assertRefused(v6(0x2001, 0, 0x4136, 0xe378, 0x8000, 0x63bf, 0xf5ff, 0xfffe), "Teredo address embedding 10.0.0.1");
        assertRefused(v6(0x2001, 0, 0x4136, 0xe378, 0x8000, 0x63bf, 0x80ff, 0xfffe), "Teredo address embedding 127.0.0.1");
        assertRefused(v6(0xfec0, 0, 0, 0, 0, 0, 0, 1), "site-local");
        assertRefused(v6(0xff02, 0, 0, 0, 0, 0, 0, 1), "multicast");
    }

    public void testAllowsIpv6FormsThatEmbedAPublicIpv4() throws Exception {
        byte[] mapped = new byte[16];
        mapped[10] = (byte) 0xff;
        mapped[11] = (byte) 0xff;
        mapped[12] = 8;
        mapped[13] = 8;
        mapped[14] = 8;
        mapped[15] = 8;
        for (InetAddress pub : new InetAddress[] {
            java.net.Inet6Address.getByAddress(null, mapped, -1),
            v6(0x64, 0xff9b, 0, 0, 0, 0, 0x0808, 0x0808),
            v6(0x2002, 0x0808, 0x0808, 0, 0, 0, 0, 1),
            v6(0x2001, 0, 0x4136, 0xe378, 0x8000, 0x63bf, 0xf7f7, 0xf7f7),
            v6(0x2001, 0x4860, 0x4860, 0, 0, 0, 0, 0x8888) }) {
            assertNull(pub.getHostAddress(), AddressGuard.refusal(pub));
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
        assertTrue(e.getMessage(), e.getMessage().contains("plugins.clip.fetch.allow_private_addresses"));
    }

    public void testFilePathsNeedAConfiguredFolderAndStayInside() throws Exception {
        ImageLoader loader = new ImageLoader();
        IllegalArgumentException none = expectThrows(
            IllegalArgumentException.class,
            () -> loader.load(ImageSource.parse("cat.jpg", Long.MAX_VALUE), new ImageLoader.Limits(null, 1000, 100, 100, false))
        );
        assertTrue(none.getMessage(), none.getMessage().contains("plugins.clip.images.path"));
        Path root = createTempDir();
        java.nio.file.Files.write(root.resolve("cat.jpg"), new byte[] { 1, 2, 3 });
        Path outside = createTempDir().resolve("secret");
        java.nio.file.Files.write(outside, new byte[] { 9 });
        java.nio.file.Files.createSymbolicLink(root.resolve("link"), outside);
        ImageLoader.Limits limits = new ImageLoader.Limits(root, 1000, 100, 100, false);
        assertArrayEquals(new byte[] { 1, 2, 3 }, loader.load(ImageSource.parse("cat.jpg", Long.MAX_VALUE), limits));
        for (String escape : new String[] { "../secret", "link", "/etc/passwd" }) {
            IllegalArgumentException e = expectThrows(IllegalArgumentException.class, () -> loader.load(ImageSource.parse(escape, Long.MAX_VALUE), limits));
            assertTrue(e.getMessage(), e.getMessage().contains("leads outside plugins.clip.images.path"));
        }
        IllegalArgumentException big = expectThrows(
            IllegalArgumentException.class,
            () -> loader.load(ImageSource.parse("cat.jpg", Long.MAX_VALUE), new ImageLoader.Limits(root, 2, 100, 100, false))
        );
        assertTrue(big.getMessage(), big.getMessage().contains("plugins.clip.image.max_bytes"));
    }
}
