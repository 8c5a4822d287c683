package org.opensearch.cliphybrid.image;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;

/**
 * Refuses addresses an image URL must not reach from inside the cluster: loopback, private ranges, link-local (which holds the
 * cloud metadata service at 169.254.169.254), carrier-grade NAT, unique-local IPv6, multicast and the unspecified address.
 */
public final class AddressGuard {
    private AddressGuard() {}

    /** Returns why {@code address} is refused, or null when it is a public address. */
    public static String refusal(InetAddress address) {
        if (address.isAnyLocalAddress()) {
            return "unspecified address";
        }
        if (address.isLoopbackAddress()) {
            return "loopback address";
        }
        if (address.isLinkLocalAddress()) {
            return "link-local address (cloud metadata lives here)";
        }
        if (address.isSiteLocalAddress()) {
            return "private address";
        }
        if (address.isMulticastAddress()) {
            return "multicast address";
        }
        byte[] b = address.getAddress();
        if (address instanceof Inet4Address) {
            int first = b[0] & 0xff, second = b[1] & 0xff;
            if (first == 100 && second >= 64 && second <= 127) {
                return "carrier-grade NAT address";
            }
            if (first == 0) {
                return "'this network' address";
            }
        } else if (address instanceof Inet6Address) {
            if ((b[0] & 0xfe) == 0xfc) {
                return "unique-local IPv6 address";
            }
        }
        return null;
    }
}
