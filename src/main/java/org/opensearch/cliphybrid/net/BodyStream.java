package org.opensearch.cliphybrid.net;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;

/**
 * The body of a 200 answer as it arrives, framed by its Content-Length, by chunked transfer coding or by the end of the
 * connection, and held to the fetch's byte limit while it is read: a model zip streams through it into the cluster without
 * ever being whole in memory, where an image is read into one array. Reads go through the socket, so they keep to the
 * fetch's deadline too.
 */
final class BodyStream extends InputStream {
    private enum Framing {
        LENGTH,
        CHUNKED,
        UNTIL_CLOSE
    }

    private final InputStream in;
    private final URI uri;
    private final FetchLimits limits;
    private final Framing framing;
    /** For LENGTH, what the header declared; -1 otherwise. */
    private final long declared;
    private long read;
    /** Bytes left in the current chunk (CHUNKED) or in the body (LENGTH). */
    private long left;
    /** Size of the current chunk (CHUNKED), for the error when its CRLF is missing. */
    private long chunk;
    private boolean done;

    private BodyStream(InputStream in, URI uri, FetchLimits limits, Framing framing, long declared) {
        this.in = in;
        this.uri = uri;
        this.limits = limits;
        this.framing = framing;
        this.declared = declared;
        this.left = framing == Framing.LENGTH ? declared : 0;
        this.done = framing == Framing.LENGTH && declared == 0;
    }

    static BodyStream chunked(InputStream in, URI uri, FetchLimits limits) {
        return new BodyStream(in, uri, limits, Framing.CHUNKED, -1);
    }

    /** Refuses a declared length over the limit before a byte of the body is read. */
    static BodyStream ofLength(InputStream in, URI uri, FetchLimits limits, long length) {
        GuardedHttpClient.tooLarge(length, limits);
        return new BodyStream(in, uri, limits, Framing.LENGTH, length);
    }

    static BodyStream untilClose(InputStream in, URI uri, FetchLimits limits) {
        return new BodyStream(in, uri, limits, Framing.UNTIL_CLOSE, -1);
    }

    URI uri() {
        return uri;
    }

    /** The Content-Length, or -1 when the body is chunked or ends with the connection. */
    long declaredLength() {
        return declared;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n <= 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        if (done) {
            return -1;
        }
        return switch (framing) {
            case LENGTH -> readLength(b, off, len);
            case CHUNKED -> readChunked(b, off, len);
            case UNTIL_CLOSE -> readUntilClose(b, off, len);
        };
    }

    private int readLength(byte[] b, int off, int len) throws IOException {
        int n = in.read(b, off, (int) Math.min(len, left));
        if (n < 0) {
            throw new IOException("connection closed after " + read + " of " + declared + " bytes from [" + uri + "]");
        }
        read += n;
        left -= n;
        done = left == 0;
        return n;
    }

    private int readChunked(byte[] b, int off, int len) throws IOException {
        if (left == 0) {
            long size = GuardedHttpClient.chunkSize(in, uri);
            if (size == 0) {
                // trailers, if any, are left unread: the connection closes after this answer
                done = true;
                return -1;
            }
            // both terms are far from overflowing: the size has at most 15 hex digits
            GuardedHttpClient.tooLarge(read + size, limits);
            left = size;
            chunk = size;
        }
        int n = in.read(b, off, (int) Math.min(len, left));
        if (n < 0) {
            throw new IOException("connection closed inside a chunk from [" + uri + "]");
        }
        read += n;
        left -= n;
        if (left == 0) {
            GuardedHttpClient.chunkEnd(in, uri, chunk);
        }
        return n;
    }

    private int readUntilClose(byte[] b, int off, int len) throws IOException {
        // one byte past the limit is enough to know the body is over it
        int n = in.read(b, off, (int) Math.min(len, limits.maxBytes() - read + 1));
        if (n < 0) {
            done = true;
            return -1;
        }
        read += n;
        GuardedHttpClient.tooLarge(read, limits);
        return n;
    }
}
