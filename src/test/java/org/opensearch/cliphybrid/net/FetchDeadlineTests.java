package org.opensearch.cliphybrid.net;

import org.opensearch.cliphybrid.ClipSettings;
import org.opensearch.common.settings.Settings;
import org.opensearch.test.OpenSearchTestCase;

import java.net.URI;

/** The whole-fetch deadline against servers on 127.0.0.1 that are slow in every way a read timeout alone does not catch. */
public class FetchDeadlineTests extends OpenSearchTestCase {
    private static final int DEADLINE_MILLIS = 1000;
    /** Thread scheduling and the last 200 ms read; far below the 10 s a drip would last without the deadline. */
    private static final long SLACK_MILLIS = 1500;

    /** A per-read timeout far above the drip's pace, so that only the whole-fetch deadline can stop it. */
    private static FetchLimits limits() {
        return new FetchLimits(1 << 20, 2000, 5000, DEADLINE_MILLIS, true);
    }

    private static void assertCutOffAtTheDeadline(RawHttpServer server, String path) {
        String url = server.base() + path;
        long start = System.nanoTime();
        FetchException e = expectThrows(FetchException.class, () -> new GuardedHttpClient().get(URI.create(url), limits()));
        long tookMillis = (System.nanoTime() - start) / 1_000_000;
        assertEquals(e.getMessage(), FetchException.Kind.TIMEOUT, e.kind());
        assertTrue(e.getMessage(), e.getMessage().contains("[" + url + "]"));
        assertTrue(e.getMessage(), e.getMessage().contains(DEADLINE_MILLIS + "ms"));
        assertTrue(e.getMessage(), e.getMessage().contains("plugins.clip.fetch.timeout"));
        assertTrue("took " + tookMillis + " ms", tookMillis >= DEADLINE_MILLIS - 50 && tookMillis < DEADLINE_MILLIS + SLACK_MILLIS);
    }

    public void testADrippingBodyIsCutOffAtTheDeadline() throws Exception {
        try (RawHttpServer server = new RawHttpServer((request, out) -> {
            RawHttpServer.write(out, "HTTP/1.1 200 OK\r\nContent-Type: image/jpeg\r\nContent-Length: 1000\r\n\r\n");
            RawHttpServer.drip(out, 50, 200);
        })) {
            assertCutOffAtTheDeadline(server, "/drip");
        }
    }

    public void testDrippingHeadersAreCutOffAtTheDeadline() throws Exception {
        try (RawHttpServer server = new RawHttpServer((request, out) -> {
            RawHttpServer.write(out, "HTTP/1.1 200 OK\r\nX-Slow: ");
            RawHttpServer.drip(out, 50, 200);
        })) {
            assertCutOffAtTheDeadline(server, "/slow-headers");
        }
    }

    /** Each hop is quick enough for the read timeout, but together they overrun the deadline: it is one for the whole chain. */
    public void testTheDeadlineSpansRedirects() throws Exception {
        try (RawHttpServer server = new RawHttpServer((request, out) -> {
            Thread.sleep(300);
            RawHttpServer.write(out, "HTTP/1.1 302 Found\r\nLocation: /again\r\nContent-Length: 0\r\n\r\n");
        })) {
            assertCutOffAtTheDeadline(server, "/start");
            assertTrue(server.requestLines.toString(), server.requestLines.size() <= 4);
        }
    }

    /**
     * A TLS record header that announces 16 KiB and then a drip of its body: the handshake reads through the deadline's socket
     * too, so it is cut off like a dripping HTTP body.
     */
    public void testADrippingTlsHandshakeIsCutOffAtTheDeadline() throws Exception {
        try (RawHttpServer server = new RawHttpServer((request, out) -> {
            out.write(new byte[] { 0x16, 0x03, 0x03, 0x40, 0x00 });
            RawHttpServer.drip(out, 50, 200);
        }, false)) {
            String url = "https://127.0.0.1:" + server.port() + "/image";
            // the first TLS client of the JVM spends a second or two loading classes and making keys before it reads at all
            expectThrows(FetchException.class, () -> new GuardedHttpClient().get(URI.create(url), limits()));
            long start = System.nanoTime();
            FetchException e = expectThrows(FetchException.class, () -> new GuardedHttpClient().get(URI.create(url), limits()));
            long tookMillis = (System.nanoTime() - start) / 1_000_000;
            assertEquals(e.getMessage(), FetchException.Kind.TIMEOUT, e.kind());
            assertTrue(e.getMessage(), e.getMessage().contains("plugins.clip.fetch.timeout"));
            assertTrue("took " + tookMillis + " ms", tookMillis < DEADLINE_MILLIS + SLACK_MILLIS);
        }
    }

    public void testAQuickFetchIsUntouched() throws Exception {
        try (RawHttpServer server = new RawHttpServer((request, out) -> {
            RawHttpServer.write(out, "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello");
        })) {
            assertEquals("hello", new String(new GuardedHttpClient().get(URI.create(server.base() + "/"), limits()).bytes(), "US-ASCII"));
        }
    }

    public void testTheDeadlineDefaultsToThirtySecondsAndMustBePositive() {
        assertEquals(30_000L, ClipSettings.FETCH_TIMEOUT.get(Settings.EMPTY).millis());
        assertEquals(30_000, FetchLimits.DEFAULT_FETCH_TIMEOUT_MILLIS);
        expectThrows(IllegalArgumentException.class, () -> new FetchLimits(1, 1, 1, 0, false));
    }
}
