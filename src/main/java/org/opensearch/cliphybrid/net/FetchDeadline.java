package org.opensearch.cliphybrid.net;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Proxy;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;

/**
 * The time one fetch may take, redirects, TLS handshakes and body included. A read timeout alone lets a server that sends a
 * byte just before each timeout hold the thread for as long as it likes; so before every read the socket's timeout shrinks to
 * what is left of the whole fetch, and once nothing is left the fetch fails.
 */
final class FetchDeadline {
    static final String SETTING = "plugins.clip.fetch.timeout";

    private final URI uri;
    private final long timeoutMillis;
    private final String setting;
    private final long endNanos;

    FetchDeadline(URI uri, long timeoutMillis) {
        this(uri, timeoutMillis, SETTING);
    }

    /** {@code setting}: the one the error names, the setting that sets this deadline. */
    FetchDeadline(URI uri, long timeoutMillis, String setting) {
        this.uri = uri;
        this.timeoutMillis = timeoutMillis;
        this.setting = setting;
        this.endNanos = System.nanoTime() + timeoutMillis * 1_000_000L;
    }

    boolean passed() {
        return endNanos - System.nanoTime() <= 0;
    }

    /** {@code limitMillis} or what is left of the fetch if that is less; fails when nothing is left. */
    int within(int limitMillis, URI at) {
        int left = left(limitMillis);
        if (left == 0) {
            throw exceeded(at, null);
        }
        return left;
    }

    /** Like {@link #within} but 0 when nothing is left. */
    private int left(int limitMillis) {
        long leftNanos = endNanos - System.nanoTime();
        if (leftNanos <= 0) {
            return 0;
        }
        // rounded up: a socket timeout of 0 would mean no timeout at all
        long leftMillis = Math.max(1, (leftNanos + 999_999) / 1_000_000);
        return limitMillis <= 0 ? (int) Math.min(Integer.MAX_VALUE, leftMillis) : (int) Math.min(limitMillis, leftMillis);
    }

    FetchException exceeded(URI at, Throwable cause) {
        String where = at == null || at.equals(uri) ? "" : " (at [" + at + "])";
        FetchException e = new FetchException(
            FetchException.Kind.TIMEOUT,
            "fetch of [" + uri + "]" + where + " took longer than its deadline of " + timeoutMillis + "ms, redirects and body included ("
                + setting + ")"
        );
        if (cause != null) {
            e.initCause(cause);
        }
        return e;
    }

    /** A direct socket (never through a system proxy) whose reads, the TLS handshake's too, keep to the deadline. */
    Socket socket(URI at, int readTimeoutMillis) {
        return new DeadlineSocket(this, at, readTimeoutMillis);
    }

    private static final class DeadlineSocket extends Socket {
        private final FetchDeadline deadline;
        private final URI at;
        private final int readTimeoutMillis;
        private InputStream in;

        DeadlineSocket(FetchDeadline deadline, URI at, int readTimeoutMillis) {
            // NO_PROXY: a socksProxyHost or ProxySelector of the JVM would otherwise route the connection past the address
            // this client checked, to wherever the proxy sends it
            super(Proxy.NO_PROXY);
            this.deadline = deadline;
            this.at = at;
            this.readTimeoutMillis = readTimeoutMillis;
        }

        @Override
        public synchronized InputStream getInputStream() throws IOException {
            if (in == null) {
                in = new FilterInputStream(super.getInputStream()) {
                    @Override
                    public int read() throws IOException {
                        beforeRead();
                        try {
                            return super.read();
                        } catch (SocketTimeoutException e) {
                            throw afterTimeout(e);
                        }
                    }

                    @Override
                    public int read(byte[] b, int off, int len) throws IOException {
                        beforeRead();
                        try {
                            return super.read(b, off, len);
                        } catch (SocketTimeoutException e) {
                            throw afterTimeout(e);
                        }
                    }
                };
            }
            return in;
        }

        private void beforeRead() throws IOException {
            int left = deadline.left(readTimeoutMillis);
            if (left == 0) {
                // an IOException, not the FetchException itself, so that a TLS layer above passes it on unchanged in kind;
                // GuardedHttpClient turns any failure after the deadline into the deadline error
                throw new SocketTimeoutException(deadline.exceeded(at, null).getMessage());
            }
            setSoTimeout(left);
        }

        private IOException afterTimeout(SocketTimeoutException e) {
            if (deadline.passed()) {
                SocketTimeoutException expired = new SocketTimeoutException(deadline.exceeded(at, null).getMessage());
                expired.initCause(e);
                return expired;
            }
            return e;
        }
    }
}
