package org.opensearch.cliphybrid.model.registered;

import com.sun.net.httpserver.HttpServer;
import org.opensearch.cliphybrid.net.FetchLimits;
import org.opensearch.cliphybrid.net.GuardedHttpClient;
import org.opensearch.core.common.bytes.BytesReference;
import org.opensearch.test.OpenSearchTestCase;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * A model zip fetched from a server on 127.0.0.1 (with private addresses allowed, as the IT cluster allows them) lands in
 * chunks of the configured size whose bytes and hash are the zip's, whether the server sends a Content-Length or chunked
 * transfer coding; each limit and each bad answer fails naming the url field and the setting or the reason.
 */
public class ModelUrlFetchTests extends OpenSearchTestCase {
    private HttpServer server;
    private String base;
    private byte[] zip;
    private java.util.concurrent.ExecutorService executor;

    @Override
    public void setUp() throws Exception {
        super.setUp();
        Path file = createTempDir().resolve("m.zip");
        ModelZipTests.zipFolder(ModelZipTests.fixture(), file);
        zip = Files.readAllBytes(file);
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/model.zip", exchange -> {
            exchange.sendResponseHeaders(200, zip.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(zip);
            }
        });
        server.createContext("/chunked.zip", exchange -> {
            exchange.sendResponseHeaders(200, 0); // 0: chunked transfer coding, no length
            try (OutputStream out = exchange.getResponseBody()) {
                for (int at = 0; at < zip.length; at += 1000) {
                    out.write(zip, at, Math.min(1000, zip.length - at));
                }
            }
        });
        server.createContext("/page.html", exchange -> {
            byte[] html = "<html>not found, but 200</html>".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/html");
            exchange.sendResponseHeaders(200, html.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(html);
            }
        });
        server.createContext("/slow.zip", exchange -> {
            exchange.sendResponseHeaders(200, zip.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(zip, 0, 100);
                out.flush();
                Thread.sleep(3000);
            } catch (InterruptedException | java.io.IOException e) {
                // the client gave up, as it should
            }
        });
        executor = java.util.concurrent.Executors.newCachedThreadPool(); // a stalled answer must not hold up the others
        server.setExecutor(executor);
        server.start();
        base = "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @Override
    public void tearDown() throws Exception {
        server.stop(0);
        executor.shutdownNow();
        assertTrue(executor.awaitTermination(10, java.util.concurrent.TimeUnit.SECONDS));
        super.tearDown();
    }

    private static FetchLimits connection(boolean allowPrivate) {
        return new FetchLimits(10, 2000, 5000, 30_000, allowPrivate);
    }

    private static RegistrationLimits limits(int chunkBytes, int maxChunks, long urlMaxBytes, long timeoutMillis) {
        return new RegistrationLimits(RegistrationLimits.DEFAULT_MAX_ZIP_BYTES, chunkBytes, maxChunks, urlMaxBytes, timeoutMillis);
    }

    private record Sink(List<byte[]> chunks) implements ModelUrlFetch.ChunkSink {
        Sink() {
            this(new ArrayList<>());
        }

        @Override
        public void put(int n, BytesReference bytes) {
            assertEquals("chunks arrive in order", chunks.size(), n);
            chunks.add(BytesReference.toBytes(bytes));
        }

        byte[] joined() {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            chunks.forEach(out::writeBytes);
            return out.toByteArray();
        }
    }

    private IllegalArgumentException refused(String path, FetchLimits connection, RegistrationLimits limits) {
        ModelUrlFetch fetch = new ModelUrlFetch(new GuardedHttpClient());
        return expectThrows(IllegalArgumentException.class, () -> fetch.fetch("m", URI.create(base + path), connection, limits, new Sink()));
    }

    public void testTheZipArrivesInChunksOfTheSetSizeWithItsHash() throws Exception {
        int chunkBytes = randomIntBetween(4096, 64 * 1024);
        for (String path : List.of("/model.zip", "/chunked.zip")) {
            Sink sink = new Sink();
            ModelUrlFetch.Stored stored = new ModelUrlFetch(new GuardedHttpClient()).fetch(
                "m",
                URI.create(base + path),
                connection(true),
                limits(chunkBytes, 1000, Long.MAX_VALUE, 30_000),
                sink
            );
            assertArrayEquals(path, zip, sink.joined());
            assertEquals(path, (zip.length + chunkBytes - 1) / chunkBytes, stored.chunks());
            assertEquals(path, sink.chunks().size(), stored.chunks());
            for (int i = 0; i < sink.chunks().size() - 1; i++) {
                assertEquals(path + " chunk " + i, chunkBytes, sink.chunks().get(i).length);
            }
            assertEquals(path, zip.length, stored.bytes());
            assertEquals(path, HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(zip)), stored.sha256());
        }
    }

    public void testTheImageByteLimitDoesNotApplyButTheUrlOneDoes() {
        // connection(...) caps images at 10 bytes; the model fetch has its own limit, and its error names that setting
        IllegalArgumentException e = refused("/model.zip", connection(true), limits(4096, 1000, zip.length - 1, 30_000));
        assertTrue(e.getMessage(), e.getMessage().startsWith("[url] of CLIP model [m]: "));
        assertTrue(e.getMessage(), e.getMessage().contains("over the limit of " + (zip.length - 1) + " (" + RegistrationLimits.URL_MAX_BYTES + ")"));
        IllegalArgumentException chunked = refused("/chunked.zip", connection(true), limits(4096, 1000, zip.length - 1, 30_000));
        assertTrue(chunked.getMessage(), chunked.getMessage().contains(RegistrationLimits.URL_MAX_BYTES));
    }

    public void testTheZipLimitBindsWhenItIsTheSmaller() {
        RegistrationLimits limits = new RegistrationLimits(zip.length - 1, 4096, 1000, Long.MAX_VALUE, 30_000);
        IllegalArgumentException e = refused("/model.zip", connection(true), limits);
        assertTrue(e.getMessage(), e.getMessage().contains("(" + RegistrationLimits.MAX_ZIP_BYTES + ")"));
    }

    public void testTooManyChunksIsRefusedNamingBothSettings() {
        for (String path : List.of("/model.zip", "/chunked.zip")) {
            IllegalArgumentException e = refused(path, connection(true), limits(4096, zip.length / 4096 - 1, Long.MAX_VALUE, 30_000));
            assertTrue(e.getMessage(), e.getMessage().contains(RegistrationLimits.MAX_CHUNKS));
            assertTrue(e.getMessage(), e.getMessage().contains(RegistrationLimits.MAX_CHUNK_BYTES));
        }
    }

    public void testAnAnswerThatIsNoZipIsRefusedAtItsFirstBytes() {
        IllegalArgumentException e = refused("/page.html", connection(true), limits(4096, 1000, Long.MAX_VALUE, 30_000));
        assertTrue(e.getMessage(), e.getMessage().contains("did not answer with a zip (Content-Type [text/html])"));
    }

    public void testLoopbackIsRefusedUnlessPrivateAddressesAreAllowed() {
        IllegalArgumentException e = refused("/model.zip", connection(false), limits(4096, 1000, Long.MAX_VALUE, 30_000));
        assertTrue(e.getMessage(), e.getMessage().startsWith("[url] of CLIP model [m]: refused to fetch [" + base + "/model.zip]"));
        assertTrue(e.getMessage(), e.getMessage().contains("loopback address"));
    }

    public void testASlowServerIsCutOffAtTheUrlTimeout() {
        long start = System.nanoTime();
        IllegalArgumentException e = refused("/slow.zip", connection(true), limits(4096, 1000, Long.MAX_VALUE, 500));
        assertTrue(e.getMessage(), e.getMessage().contains("deadline of 500ms"));
        assertTrue(e.getMessage(), e.getMessage().contains(RegistrationLimits.URL_TIMEOUT));
        assertTrue("cut off in time", System.nanoTime() - start < 2_500_000_000L);
    }

    public void testAMissingFileNamesTheStatus() {
        IllegalArgumentException e = refused("/nothing.zip", connection(true), limits(4096, 1000, Long.MAX_VALUE, 30_000));
        assertTrue(e.getMessage(), e.getMessage().contains("HTTP 404"));
    }
}
