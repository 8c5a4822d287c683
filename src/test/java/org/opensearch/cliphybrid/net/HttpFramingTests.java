package org.opensearch.cliphybrid.net;

import org.opensearch.test.OpenSearchTestCase;

import java.net.URI;

/** Broken HTTP framing from a server on 127.0.0.1 gives a clear error naming the URL, never an exception from deep inside. */
public class HttpFramingTests extends OpenSearchTestCase {

    private static void assertBroken(String response, String fragment) throws Exception {
        try (RawHttpServer server = new RawHttpServer((request, out) -> RawHttpServer.write(out, response))) {
            String url = server.base() + "/image";
            FetchException e = expectThrows(
                FetchException.class,
                () -> new GuardedHttpClient().get(URI.create(url), new FetchLimits(1 << 20, 2000, 2000, 5000, true))
            );
            assertEquals(e.getMessage(), FetchException.Kind.NETWORK, e.kind());
            assertTrue(e.getMessage(), e.getMessage().startsWith("broken HTTP response from [" + url + "]: "));
            assertTrue("[" + fragment + "] not in [" + e.getMessage() + "]", e.getMessage().contains(fragment));
        }
    }

    private static final String OK = "HTTP/1.1 200 OK\r\n";
    private static final String CHUNKED = OK + "Transfer-Encoding: chunked\r\n\r\n";

    public void testBrokenContentLength() throws Exception {
        assertBroken(OK + "Content-Length: -1\r\n\r\n", "Content-Length [-1] is not a non-negative decimal number");
        assertBroken(OK + "Content-Length: 12abc\r\n\r\n", "Content-Length [12abc] is not");
        assertBroken(OK + "Content-Length: +5\r\n\r\nhello", "Content-Length [+5] is not");
        assertBroken(OK + "Content-Length: 99999999999999999999999\r\n\r\n", "Content-Length [99999999999999999999999] is too large");
        assertBroken(OK + "Content-Length: 5\r\nContent-Length: 7\r\n\r\nhello", "two different Content-Length headers [5] and [7]");
    }

    public void testBrokenChunkSizes() throws Exception {
        assertBroken(CHUNKED + "-5\r\nhello\r\n0\r\n\r\n", "chunk size [-5] is not a hexadecimal number");
        assertBroken(CHUNKED + "zz\r\n", "chunk size [zz] is not a hexadecimal number");
        assertBroken(CHUNKED + "\r\n", "chunk size [] is not");
        assertBroken(CHUNKED + "ffffffffffffffffffff\r\n", "chunk size [ffffffffffffffffffff] is too large");
        // after a first chunk, a size that would overflow the running total (and the int it was cast to)
        assertBroken(CHUNKED + "5\r\nhello\r\n7fffffffffffffff\r\n", "chunk size [7fffffffffffffff] is too large");
        assertBroken(CHUNKED + "5\r\nhelloXY\r\n0\r\n\r\n", "chunk of 5 bytes not followed by CRLF");
    }

    public void testLinesThatNeverEnd() throws Exception {
        assertBroken(CHUNKED + "1".repeat(5000), "chunk size line longer than " + GuardedHttpClient.MAX_CHUNK_LINE_BYTES + " bytes");
        assertBroken(OK + "X-Long: " + "a".repeat(20_000), "header line longer than " + GuardedHttpClient.MAX_LINE_BYTES + " bytes");
        assertBroken("HTTP/1.1 200 " + "O".repeat(20_000), "status line longer than");
    }

    public void testTooManyOrTooLongHeaders() throws Exception {
        assertBroken(OK + "X-A: b\r\n".repeat(GuardedHttpClient.MAX_HEADERS + 1) + "\r\n", "more than " + GuardedHttpClient.MAX_HEADERS + " headers");
        String header = "X-A: " + "b".repeat(GuardedHttpClient.MAX_LINE_BYTES - 100) + "\r\n";
        assertBroken(OK + header.repeat(9) + "\r\n", "headers longer than " + GuardedHttpClient.MAX_HEADER_BYTES + " bytes");
    }

    public void testNotHttp() throws Exception {
        assertBroken("SSH-2.0-OpenSSH\r\n\r\n", "not an HTTP/1.x status line [SSH-2.0-OpenSSH]");
    }

    public void testWellFramedBodiesStillRead() throws Exception {
        for (String response : new String[] {
            OK + "Content-Length: 5\r\n\r\nhello",
            OK + "Content-Length: 5\r\nContent-Length: 5\r\n\r\nhello",
            CHUNKED + "2;ext=1\r\nhe\r\n3\r\nllo\r\n0\r\n\r\n",
            OK + "\r\nhello" }) {
            try (RawHttpServer server = new RawHttpServer((request, out) -> RawHttpServer.write(out, response))) {
                byte[] body = new GuardedHttpClient().get(URI.create(server.base() + "/"), new FetchLimits(100, 2000, 2000, FetchLimits.DEFAULT_FETCH_TIMEOUT_MILLIS, true)).bytes();
                assertEquals(response, "hello", new String(body, "US-ASCII"));
            }
        }
    }
}
