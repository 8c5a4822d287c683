package org.opensearch.cliphybrid.net;

import com.sun.net.httpserver.HttpServer;
import org.opensearch.test.OpenSearchTestCase;

import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/** Any content type over the guarded client, as the harvester fetches pages: body, final URL after redirects, content type, and the status of a refusal. */
public class GuardedHttpClientFetchTests extends OpenSearchTestCase {

    public void testFetchReturnsBodyFinalUrlAndContentTypeOrTheStatus() throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            byte[] body = "<p>hi</p>".getBytes(StandardCharsets.UTF_8);
            if (path.equals("/moved")) {
                exchange.getResponseHeaders().set("Location", "/page");
                exchange.sendResponseHeaders(301, -1);
            } else if (path.equals("/page")) {
                exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
                exchange.sendResponseHeaders(200, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            } else {
                exchange.sendResponseHeaders(410, -1);
            }
            exchange.close();
        });
        server.start();
        try {
            String base = "http://127.0.0.1:" + server.getAddress().getPort();
            FetchLimits limits = new FetchLimits(1000, 2000, 2000, FetchLimits.DEFAULT_FETCH_TIMEOUT_MILLIS, true);
            GuardedHttpClient http = new GuardedHttpClient();

            Fetched fetched = http.get(URI.create(base + "/moved"), limits);
            assertEquals("<p>hi</p>", new String(fetched.bytes(), StandardCharsets.UTF_8));
            assertEquals(URI.create(base + "/page"), fetched.finalUri());
            assertEquals("text/html; charset=utf-8", fetched.contentType());

            HttpStatusException gone = expectThrows(
                HttpStatusException.class,
                () -> http.get(URI.create(base + "/gone"), limits)
            );
            assertEquals(410, gone.status());
            assertEquals("HTTP 410 from [" + base + "/gone]", gone.getMessage());
        } finally {
            server.stop(0);
        }
    }

    public void testTheGuardAppliesToAnyFetch() {
        // a stub resolver: the refused address is never contacted
        GuardedHttpClient http = new GuardedHttpClient(host -> new InetAddress[] { InetAddress.getByAddress(host, new byte[] { (byte) 169, (byte) 254, (byte) 169, (byte) 254 }) });
        FetchLimits limits = new FetchLimits(1000, 2000, 2000, FetchLimits.DEFAULT_FETCH_TIMEOUT_MILLIS, false);
        IllegalArgumentException e = expectThrows(
            IllegalArgumentException.class,
            () -> http.get(URI.create("http://metadata.example/robots.txt"), limits)
        );
        assertTrue(e.getMessage(), e.getMessage().contains("link-local address"));
    }
}
