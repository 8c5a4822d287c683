package org.opensearch.cliphybrid.net;

/**
 * The limits of one fetch, taken anew for each so that dynamic settings apply at once. {@code fetchTimeoutMillis} bounds the
 * whole fetch (every redirect, TLS handshake and the body), where the read timeout bounds only the wait for one read; private
 * addresses are refused unless {@code allowPrivateAddresses}.
 */
public record FetchLimits(
    long maxBytes,
    int connectTimeoutMillis,
    int readTimeoutMillis,
    int fetchTimeoutMillis,
    boolean allowPrivateAddresses
) {
    /** The default of plugins.clip.fetch.timeout. */
    public static final int DEFAULT_FETCH_TIMEOUT_MILLIS = 30_000;

    public FetchLimits {
        if (fetchTimeoutMillis <= 0) {
            throw new IllegalArgumentException("fetch timeout must be positive, got " + fetchTimeoutMillis + "ms (plugins.clip.fetch.timeout)");
        }
    }
}
