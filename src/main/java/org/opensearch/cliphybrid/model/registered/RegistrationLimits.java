package org.opensearch.cliphybrid.model.registered;

/**
 * The bounds of one registration, read from the {@code plugins.clip.model.registered.*} settings when it starts, so that a
 * changed setting holds from the next registration on. Each error names the setting that bounds it.
 *
 * @param maxZipBytes  most bytes of a model's zip, however it arrives
 * @param maxChunkBytes most bytes of one chunk in the system index (an uploaded one, or one piece of a fetched zip)
 * @param maxChunks    most chunks of one model
 * @param urlMaxBytes  most bytes a URL registration fetches
 * @param urlTimeoutMillis how long a URL registration's fetch may take, storing the chunks included
 */
public record RegistrationLimits(long maxZipBytes, int maxChunkBytes, int maxChunks, long urlMaxBytes, long urlTimeoutMillis) {
    public static final String PREFIX = "plugins.clip.model.registered.";
    public static final String MAX_ZIP_BYTES = PREFIX + "max_zip_bytes";
    public static final String MAX_CHUNK_BYTES = PREFIX + "max_chunk_bytes";
    public static final String MAX_CHUNKS = PREFIX + "max_chunks";
    public static final String URL_MAX_BYTES = PREFIX + "url.max_bytes";
    public static final String URL_TIMEOUT = PREFIX + "url.timeout";

    public static final long DEFAULT_MAX_ZIP_BYTES = ModelZip.DEFAULT_MAX_COMPRESSED_BYTES;
    public static final int DEFAULT_MAX_CHUNK_BYTES = 8 * 1024 * 1024;
    /**
     * 64 MB: a chunk travels base64 in one JSON request, a third bigger, and OpenSearch refuses requests over
     * {@code http.max_content_length} (100mb by default).
     */
    public static final int MAX_MAX_CHUNK_BYTES = 64 * 1024 * 1024;
    public static final int DEFAULT_MAX_CHUNKS = 1000;
    /** The hard bound of max_chunks: deleting a model looks its chunks up in one search page. */
    public static final int MAX_MAX_CHUNKS = 10_000;
    public static final long DEFAULT_URL_TIMEOUT_MILLIS = 10 * 60 * 1000L;

    public static final RegistrationLimits DEFAULT = new RegistrationLimits(
        DEFAULT_MAX_ZIP_BYTES,
        DEFAULT_MAX_CHUNK_BYTES,
        DEFAULT_MAX_CHUNKS,
        DEFAULT_MAX_ZIP_BYTES,
        DEFAULT_URL_TIMEOUT_MILLIS
    );

    /** The zip limits of {@link ModelZip}, with this registration's zip size bound. */
    ModelZip.Limits zip() {
        return new ModelZip.Limits(maxZipBytes, ModelZip.DEFAULT_MAX_INFLATED_BYTES, ModelZip.DEFAULT_MAX_ENTRIES);
    }

    /** What a URL may send: the smaller of the two byte limits, and the setting that sets it, for the error. */
    long fetchBytes() {
        return Math.min(urlMaxBytes, maxZipBytes);
    }

    String fetchBytesSetting() {
        return urlMaxBytes <= maxZipBytes ? URL_MAX_BYTES : MAX_ZIP_BYTES;
    }

    /** Refuses a chunk number past the limit, naming it. */
    void checkChunkNumber(int n) {
        if (n < 0 || n >= maxChunks) {
            throw new IllegalArgumentException("chunk number must be 0 to " + (maxChunks - 1) + " (" + MAX_CHUNKS + "), got [" + n + "]");
        }
    }
}
