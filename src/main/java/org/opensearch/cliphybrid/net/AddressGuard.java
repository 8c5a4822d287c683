package org.opensearch.cliphybrid.net;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;

/**
 * Refuses addresses an image URL must not reach from inside the cluster: loopback, private ranges, link-local (which holds the
 * cloud metadata service at 169.254.169.254), carrier-grade NAT, reserved and benchmarking ranges, unique-local IPv6, multicast
 * and the unspecified address. IPv6 forms that carry an IPv4 address (mapped, translated, compatible, NAT64, 6to4, Teredo) are
 * judged by the IPv4 address inside, since a translator or tunnel on the path delivers the request there.
 */
public final class AddressGuard {
    private AddressGuard() {}

    /** Returns why {@code address} is refused, or null when it is a public address. */
    public static String refusal(InetAddress address) {
        byte[] b = address.getAddress();
        if (address instanceof Inet4Address) {
            return ipv4Refusal(b, 0);
        }
        if (address instanceof Inet6Address) {
            return ipv6Refusal(b);
        }
        return "address of unknown kind";
    }

    private static String ipv4Refusal(byte[] b, int at) {
        int first = b[at] & 0xff, second = b[at + 1] & 0xff, third = b[at + 2] & 0xff;
        if (first == 0) {
            return "'this network' address";
        }
        if (first == 127) {
            return "loopback address";
        }
        if (first == 169 && second == 254) {
            return "link-local address (cloud metadata lives here)";
        }
        if (first == 10 || (first == 172 && second >= 16 && second <= 31) || (first == 192 && second == 168)) {
            return "private address";
        }
        if (first == 100 && second >= 64 && second <= 127) {
            return "carrier-grade NAT address";
        }
        if (first == 192 && second == 0 && third == 0) {
            return "IETF protocol assignment address (192.0.0.0/24)";
        }
        if (first == 198 && (second == 18 || second == 19)) {
            return "benchmarking address (198.18.0.0/15)";
        }
        if (first >= 224 && first <= 239) {
            return "multicast address";
        }
        if (first >= 240) {
            // 240.0.0.0/4 is reserved; 255.255.255.255, the limited broadcast address, lies in it
            return "reserved or broadcast address (240.0.0.0/4)";
        }
        return null;
    }

    private static String ipv6Refusal(byte[] b) {
        if (allZero(b, 0, 16)) {
            return "unspecified address";
        }
        if (allZero(b, 0, 15) && b[15] == 1) {
            return "loopback address";
        }
        int first = b[0] & 0xff, second = b[1] & 0xff;
        if (first == 0xfe && (second & 0xc0) == 0x80) {
            return "link-local address";
        }
        if (first == 0xfe && (second & 0xc0) == 0xc0) {
            return "site-local address";
        }
        if ((first & 0xfe) == 0xfc) {
            return "unique-local IPv6 address";
        }
        if (first == 0xff) {
            return "multicast address";
        }
        if (allZero(b, 0, 10) && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff) {
            return embedded("IPv4-mapped", b, 12);
        }
        if (allZero(b, 0, 8) && (b[8] & 0xff) == 0xff && (b[9] & 0xff) == 0xff && b[10] == 0 && b[11] == 0) {
            return embedded("IPv4-translated", b, 12);
        }
        if (allZero(b, 0, 12)) {
            return embedded("IPv4-compatible", b, 12);
        }
        if (first == 0x00 && second == 0x64 && (b[2] & 0xff) == 0xff && (b[3] & 0xff) == 0x9b) {
            if (allZero(b, 4, 12)) {
                return embedded("NAT64", b, 12);
            }
            if (b[4] == 0 && b[5] == 1) {
                // RFC 8215 reserves 64:ff9b:1::/48 for a site's own translators, which reach its internal networks; where the
                // IPv4 address sits in it depends on the prefix length the site chose, so the whole range is refused
                return "local-use NAT64 address (64:ff9b:1::/48)";
            }
        }
        if (first == 0x20 && second == 0x02) {
            return embedded("6to4", b, 2);
        }
        if (first == 0x20 && second == 0x01 && b[2] == 0 && b[3] == 0) {
            byte[] client = new byte[4];
            for (int i = 0; i < 4; i++) {
                client[i] = (byte) ~b[12 + i]; // Teredo stores the client's IPv4 address with every bit flipped
            }
            return embedded("Teredo", client, 0);
        }
        return null;
    }

    private static String embedded(String form, byte[] b, int at) {
        String refusal = ipv4Refusal(b, at);
        if (refusal == null) {
            return null;
        }
        String ipv4 = (b[at] & 0xff) + "." + (b[at + 1] & 0xff) + "." + (b[at + 2] & 0xff) + "." + (b[at + 3] & 0xff);
        return form + " address embedding " + ipv4 + ", a " + refusal;
    }

    private static boolean allZero(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return true;
    }
}
