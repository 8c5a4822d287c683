package org.opensearch.cliphybrid.net;

/**
 * The limits of one fetch, taken anew for each so that dynamic settings apply at once. {@code fetchTimeoutMillis} bounds the
 * whole fetch (every redirect, TLS handshake and the body), where the read timeout bounds only the wait for one read; private
 * addresses are refused unless {@code allowPrivateAddresses}. The two setting names are those the errors name, so that a
 * model fetch, held to limits of its own, points at the setting to raise and not at the image one.
 */
public record FetchLimits(
    long maxBytes,
    int connectTimeoutMillis,
    int readTimeoutMillis,
    int fetchTimeoutMillis,
    boolean allowPrivateAddresses,
    String maxBytesSetting,
    String timeoutSetting
) {
    /** The default of plugins.clip.fetch.timeout. */
    public static final int DEFAULT_FETCH_TIMEOUT_MILLIS = 30_000;
    public static final String IMAGE_MAX_BYTES_SETTING = "plugins.clip.image.max_bytes";

    public FetchLimits {
        if (fetchTimeoutMillis <= 0) {
            throw new IllegalArgumentException(
                "fetch timeout must be positive, got " + fetchTimeoutMillis + "ms (" + timeoutSetting + ")"
            );
        }
    }

    /** The limits of an image fetch. */
    public FetchLimits(long maxBytes, int connectTimeoutMillis, int readTimeoutMillis, int fetchTimeoutMillis, boolean allowPrivateAddresses) {
        this(
            maxBytes,
            connectTimeoutMillis,
            readTimeoutMillis,
            fetchTimeoutMillis,
            allowPrivateAddresses,
            IMAGE_MAX_BYTES_SETTING,
            FetchDeadline.SETTING
        );
    }

    /** The same connection limits and address rule, with another byte limit and deadline, named by their own settings. */
    public FetchLimits with(long maxBytes, String maxBytesSetting, int fetchTimeoutMillis, String timeoutSetting) {
        return new FetchLimits(
            maxBytes,
            connectTimeoutMillis,
            readTimeoutMillis,
            fetchTimeoutMillis,
            allowPrivateAddresses,
            maxBytesSetting,
            timeoutSetting
        );
    }
}
