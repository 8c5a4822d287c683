package org.opensearch.cliphybrid.model.registered;

import org.opensearch.cliphybrid.net.FetchException;
import org.opensearch.cliphybrid.net.FetchLimits;
import org.opensearch.cliphybrid.net.GuardedHttpClient;
import org.opensearch.core.common.bytes.BytesArray;
import org.opensearch.core.common.bytes.BytesReference;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * Streams a model zip from a URL into numbered chunks as it arrives, through the guarded HTTP client (the address guard, a
 * byte limit and a deadline of their own): one chunk is in memory at a time, never the whole zip. Every failure is an
 * {@link IllegalArgumentException} naming the {@code url} field and the reason, since the fault lies with the URL or what it
 * serves.
 */
public final class ModelUrlFetch {
    /** Where the chunks go: the system index, or a list in tests. */
    public interface ChunkSink {
        void put(int n, BytesReference bytes) throws IOException;
    }

    /** What was stored: how many chunks, how many bytes, and the zip's SHA-256. */
    public record Stored(int chunks, long bytes, String sha256) {}

    /** Every zip starts with a local file header; anything else (an HTML error page, say) is refused at its first bytes. */
    private static final byte[] LOCAL_HEADER = { 'P', 'K', 3, 4 };

    private final GuardedHttpClient http;

    public ModelUrlFetch(GuardedHttpClient http) {
        this.http = http;
    }

    /**
     * Fetches {@code url} and stores it in chunks of at most {@link RegistrationLimits#maxChunkBytes}, at most
     * {@link RegistrationLimits#maxChunks} of them, within {@code base}'s connection limits and address rule but the URL
     * registration's own byte limit and deadline.
     */
    public Stored fetch(String name, URI url, FetchLimits base, RegistrationLimits limits, ChunkSink sink) {
        FetchLimits fetch = base.with(
            limits.fetchBytes(),
            limits.fetchBytesSetting(),
            (int) Math.min(Integer.MAX_VALUE, limits.urlTimeoutMillis()),
            RegistrationLimits.URL_TIMEOUT
        );
        try {
            return http.get(url, fetch, (body, length, from, type) -> store(name, url, body, length, type, limits, sink));
        } catch (FetchException e) {
            // the client's own messages mostly name the URL already (a redirect's target too)
            String reason = e.getMessage().contains(url.toString()) ? e.getMessage() : "[" + url + "]: " + e.getMessage();
            throw new IllegalArgumentException("[url] of CLIP model [" + name + "]: " + reason, e);
        } catch (IOException e) {
            throw refused(name, url, "could not be fetched: " + e, e);
        }
    }

    private static Stored store(String name, URI url, InputStream body, long length, String type, RegistrationLimits limits, ChunkSink sink)
        throws IOException {
        int chunkBytes = limits.maxChunkBytes();
        if (length >= 0 && (length + chunkBytes - 1) / chunkBytes > limits.maxChunks()) {
            throw tooManyChunks(name, url, limits);
        }
        MessageDigest sha = ModelZip.sha256();
        byte[] chunk = new byte[length >= 0 ? (int) Math.max(1, Math.min(chunkBytes, length)) : chunkBytes];
        long total = 0;
        int n = 0;
        while (true) {
            int filled = body.readNBytes(chunk, 0, chunk.length);
            if (filled == 0) {
                break;
            }
            if (n == 0 && startsLikeAZip(chunk, filled) == false) {
                throw refused(name, url, "did not answer with a zip" + (type == null ? "" : " (Content-Type [" + type + "])")
                    + ": a zip starts with PK\\3\\4", null);
            }
            if (n == limits.maxChunks()) {
                throw tooManyChunks(name, url, limits);
            }
            sha.update(chunk, 0, filled);
            // a copy: the sink may keep the bytes while the next chunk is read into the buffer
            sink.put(n, new BytesArray(Arrays.copyOf(chunk, filled)));
            total += filled;
            n++;
            if (filled < chunk.length) {
                break;
            }
        }
        if (n == 0) {
            throw refused(name, url, "answered with an empty body, not a zip", null);
        }
        return new Stored(n, total, HexFormat.of().formatHex(sha.digest()));
    }

    private static boolean startsLikeAZip(byte[] bytes, int length) {
        return length >= LOCAL_HEADER.length && Arrays.equals(bytes, 0, LOCAL_HEADER.length, LOCAL_HEADER, 0, LOCAL_HEADER.length);
    }

    private static IllegalArgumentException tooManyChunks(String name, URI url, RegistrationLimits limits) {
        return refused(name, url, "is more than " + limits.maxChunks() + " chunks of " + limits.maxChunkBytes() + " bytes ("
            + RegistrationLimits.MAX_CHUNKS + ", " + RegistrationLimits.MAX_CHUNK_BYTES + ")", null);
    }

    static IllegalArgumentException refused(String name, URI url, String reason, Exception cause) {
        return new IllegalArgumentException("[url] of CLIP model [" + name + "]: [" + url + "] " + reason, cause);
    }
}
