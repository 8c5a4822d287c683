package org.opensearch.cliphybrid.net;

import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;

import org.junit.After;
import org.opensearch.test.OpenSearchTestCase;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Every server here is one the test starts on 127.0.0.1; a stub resolver gives made-up host names loopback addresses, and a
 * stub check refuses 127.0.0.2 in place of a private address, so the guard is tested without traffic to anything real.
 */
public class GuardedHttpClientTests extends OpenSearchTestCase {
    private static final byte[] IMAGE = "pretend these are image bytes".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    private static final GuardedHttpClient.AddressCheck REFUSE_127_0_0_2 = a -> a.getHostAddress().equals("127.0.0.2")
        ? "stand-in private address"
        : null;

    private HttpServer server;
    /** Where /to-http sends to. */
    private int plainPort = -1;
    private final List<String> hostHeaders = new CopyOnWriteArrayList<>();
    private final List<String> paths = new CopyOnWriteArrayList<>();

    @After
    public void stopServer() {
        if (server != null) {
            server.stop(0);
        }
    }

    private static InetAddress ip(String literal) throws UnknownHostException {
        return InetAddress.getByName(literal);
    }

    private static FetchLimits limits(long maxBytes, boolean allowPrivate) {
        return new FetchLimits(maxBytes, 2000, 5000, FetchLimits.DEFAULT_FETCH_TIMEOUT_MILLIS, allowPrivate);
    }

    private int startServer(HttpServer created) throws IOException {
        server = created;
        server.createContext("/", exchange -> {
            hostHeaders.add(exchange.getRequestHeaders().getFirst("Host"));
            paths.add(exchange.getRequestURI().toString());
            String path = exchange.getRequestURI().getPath();
            switch (path) {
                case "/image" -> {
                    exchange.sendResponseHeaders(200, IMAGE.length);
                    exchange.getResponseBody().write(IMAGE);
                }
                case "/chunked" -> {
                    exchange.sendResponseHeaders(200, 0); // 0: chunked transfer encoding
                    exchange.getResponseBody().write(IMAGE, 0, 10);
                    exchange.getResponseBody().flush();
                    exchange.getResponseBody().write(IMAGE, 10, IMAGE.length - 10);
                }
                case "/to-refused", "/to-allowed" -> {
                    String target = path.equals("/to-refused") ? "refused.test" : "allowed.test";
                    exchange.getResponseHeaders().add("Location", "http://" + target + ":" + server.getAddress().getPort() + "/image");
                    exchange.sendResponseHeaders(302, -1);
                }
                case "/to-http" -> {
                    exchange.getResponseHeaders().add("Location", "http://plain.test:" + plainPort + "/image");
                    exchange.sendResponseHeaders(302, -1);
                }
                case "/loop" -> {
                    exchange.getResponseHeaders().add("Location", "/loop");
                    exchange.sendResponseHeaders(301, -1);
                }
                default -> {
                    if (path.startsWith("/chain/")) {
                        // /chain/n sends to /chain/n-1, and /chain/0 to the image: n redirects in all, each to a new URL
                        int n = Integer.parseInt(path.substring("/chain/".length()));
                        exchange.getResponseHeaders().add("Location", n == 0 ? "/image" : "/chain/" + (n - 1));
                        exchange.sendResponseHeaders(302, -1);
                    } else {
                        exchange.sendResponseHeaders(404, -1);
                    }
                }
            }
            exchange.close();
        });
        server.start();
        return server.getAddress().getPort();
    }

    private int startHttp() throws IOException {
        return startServer(HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0));
    }

    private static byte[] get(GuardedHttpClient http, String url, FetchLimits limits) throws IOException {
        return http.get(URI.create(url), limits).bytes();
    }

    public void testConnectsToTheAddressItCheckedAndSendsTheHostName() throws Exception {
        int port = startHttp();
        // a rebinding DNS: the checked answer is loopback where the server is, any later answer a refused address
        AtomicInteger lookups = new AtomicInteger();
        GuardedHttpClient loader = new GuardedHttpClient(
            host -> new InetAddress[] { lookups.getAndIncrement() == 0 ? ip("127.0.0.1") : ip("127.0.0.2") },
            REFUSE_127_0_0_2,
            (SSLSocketFactory) SSLSocketFactory.getDefault()
        );
        assertArrayEquals(IMAGE, get(loader, "http://images.test:" + port + "/image", limits(1000, false)));
        assertEquals("one lookup per hop, no second one at connect time", 1, lookups.get());
        assertEquals(List.of("images.test:" + port), hostHeaders);
    }

    public void testEveryAddressOfAHostIsChecked() throws Exception {
        int port = startHttp();
        GuardedHttpClient loader = new GuardedHttpClient(
            host -> new InetAddress[] { ip("127.0.0.1"), ip("127.0.0.2") },
            REFUSE_127_0_0_2,
            (SSLSocketFactory) SSLSocketFactory.getDefault()
        );
        FetchException e = expectThrows(
            FetchException.class,
            () -> get(loader, "http://images.test:" + port + "/image", limits(1000, false))
        );
        assertEquals(FetchException.Kind.BLOCKED_ADDRESS, e.kind());
        assertTrue(e.getMessage(), e.getMessage().contains("127.0.0.2"));
        assertEquals("nothing was sent", List.of(), paths);
    }

    public void testRedirectsAreCheckedAgain() throws Exception {
        int port = startHttp();
        GuardedHttpClient loader = new GuardedHttpClient(
            host -> new InetAddress[] { host.equals("refused.test") ? ip("127.0.0.2") : ip("127.0.0.1") },
            REFUSE_127_0_0_2,
            (SSLSocketFactory) SSLSocketFactory.getDefault()
        );
        assertArrayEquals(IMAGE, get(loader, "http://images.test:" + port + "/to-allowed", limits(1000, false)));
        assertEquals(List.of("/to-allowed", "/image"), paths);
        assertEquals("allowed.test:" + port, hostHeaders.get(1));

        paths.clear();
        FetchException e = expectThrows(
            FetchException.class,
            () -> get(loader, "http://images.test:" + port + "/to-refused", limits(1000, false))
        );
        assertEquals(FetchException.Kind.BLOCKED_ADDRESS, e.kind());
        assertTrue(e.getMessage(), e.getMessage().contains("refused.test"));
        assertEquals("the redirect target was never asked", List.of("/to-refused"), paths);
    }

    public void testRedirectLoopsStop() throws Exception {
        int port = startHttp();
        FetchException e = expectThrows(
            FetchException.class,
            () -> get(new GuardedHttpClient(host -> new InetAddress[] { ip("127.0.0.1") }), "http://a.test:" + port + "/loop", limits(1000, true))
        );
        assertTrue(e.getMessage(), e.getMessage().contains("more than 5 redirects"));
        assertEquals(6, paths.size());
    }

    public void testBodiesStatusesAndTheByteCap() throws Exception {
        int port = startHttp();
        GuardedHttpClient loader = new GuardedHttpClient(host -> new InetAddress[] { ip("127.0.0.1") });
        String base = "http://a.test:" + port;
        assertArrayEquals(IMAGE, get(loader, base + "/chunked", limits(1000, true)));
        FetchException notFound = expectThrows(FetchException.class, () -> get(loader, base + "/nothing", limits(1000, true)));
        assertEquals(FetchException.Kind.NOT_FOUND, notFound.kind());
        assertTrue(notFound.getMessage(), notFound.getMessage().contains("HTTP 404"));
        for (String path : new String[] { "/image", "/chunked" }) {
            FetchException big = expectThrows(FetchException.class, () -> get(loader, base + path, limits(IMAGE.length - 1, true)));
            assertEquals(path, FetchException.Kind.TOO_LARGE, big.kind());
            assertTrue(big.getMessage(), big.getMessage().contains("plugins.clip.image.max_bytes"));
        }
    }

    public void testLoopbackIsRefusedByTheRealGuard() throws Exception {
        int port = startHttp();
        FetchException e = expectThrows(
            FetchException.class,
            () -> get(new GuardedHttpClient(host -> new InetAddress[] { ip("127.0.0.1") }), "http://a.test:" + port + "/image", limits(1000, false))
        );
        assertTrue(e.getMessage(), e.getMessage().contains("loopback"));
        assertEquals(List.of(), paths);
    }

    /** TLS to the pinned address still verifies the certificate against the host name of the URL, and sends it as SNI. */
    public void testTlsVerifiesTheUrlsHostName() throws Exception {
        KeyStore keys = selfSigned("images.test");
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keys, "changeit".toCharArray());
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(keys);
        SSLContext serverContext = SSLContext.getInstance("TLS");
        serverContext.init(kmf.getKeyManagers(), null, null);
        SSLContext clientContext = SSLContext.getInstance("TLS");
        clientContext.init(null, tmf.getTrustManagers(), null);

        HttpsServer https = HttpsServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
        https.setHttpsConfigurator(new HttpsConfigurator(serverContext));
        int port = startServer(https);
        GuardedHttpClient loader = new GuardedHttpClient(
            host -> new InetAddress[] { ip("127.0.0.1") },
            AddressGuard::refusal,
            clientContext.getSocketFactory()
        );
        assertArrayEquals(IMAGE, get(loader, "https://images.test:" + port + "/image", limits(1000, true)));
        assertEquals(List.of("images.test:" + port), hostHeaders);
        // same address, another name: the certificate does not name it, so the handshake fails before any request
        IOException wrongName = expectThrows(IOException.class, () -> get(loader, "https://other.test:" + port + "/image", limits(1000, true)));
        assertTrue(wrongName.toString(), wrongName.toString().contains("other.test"));
        assertEquals(1, paths.size());
    }

    public void testRedirectChainsLongerThanTheBoundStop() throws Exception {
        int port = startHttp();
        GuardedHttpClient loader = new GuardedHttpClient(host -> new InetAddress[] { ip("127.0.0.1") });
        String base = "http://a.test:" + port;
        int bound = GuardedHttpClient.MAX_REDIRECTS;
        assertArrayEquals(IMAGE, get(loader, base + "/chain/" + (bound - 1), limits(1000, true)));
        assertEquals("the bound itself is followed", bound + 1, paths.size());

        paths.clear();
        FetchException e = expectThrows(FetchException.class, () -> get(loader, base + "/chain/" + (bound + 3), limits(1000, true)));
        assertEquals(FetchException.Kind.HTTP_STATUS, e.kind());
        assertTrue(e.getMessage(), e.getMessage().contains("more than " + bound + " redirects from [" + base + "/chain/" + (bound + 3) + "]"));
        assertEquals("the redirect past the bound is not followed", bound + 1, paths.size());
    }

    /** https to http would send the rest of the fetch in the clear; refused, naming both ends, before the http host is asked. */
    public void testRedirectFromHttpsToHttpIsRefused() throws Exception {
        HttpServer plain = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
        List<String> plainPaths = new CopyOnWriteArrayList<>();
        plain.createContext("/", exchange -> {
            plainPaths.add(exchange.getRequestURI().getPath());
            exchange.sendResponseHeaders(200, IMAGE.length);
            exchange.getResponseBody().write(IMAGE);
            exchange.close();
        });
        plain.start();
        try {
            plainPort = plain.getAddress().getPort();
            SSLContext[] contexts = tlsContexts("images.test");
            HttpsServer https = HttpsServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
            https.setHttpsConfigurator(new HttpsConfigurator(contexts[0]));
            int port = startServer(https);
            GuardedHttpClient loader = new GuardedHttpClient(host -> new InetAddress[] { ip("127.0.0.1") }, AddressGuard::refusal, contexts[1].getSocketFactory());
            String from = "https://images.test:" + port + "/to-http";
            FetchException e = expectThrows(FetchException.class, () -> get(loader, from, limits(1000, true)));
            assertEquals(FetchException.Kind.BLOCKED_ADDRESS, e.kind());
            assertEquals(
                "refused redirect from https [" + from + "] to plain http [http://plain.test:" + plainPort + "/image]",
                e.getMessage()
            );
            assertEquals(List.of("/to-http"), paths);
            assertEquals(List.of(), plainPaths);
            // plain http itself, and http to https, stay allowed
            assertArrayEquals(IMAGE, get(loader, "http://plain.test:" + plainPort + "/image", limits(1000, true)));
        } finally {
            plain.stop(0);
        }
    }

    /**
     * A JVM-wide SOCKS proxy would carry the connection to wherever the proxy sends it, past the address that was checked; the
     * client connects directly anyway. The default ProxySelector never proxies loopback, whatever socksProxyHost says, so the
     * test also installs a selector that proxies everything, as a socksNonProxyHosts-less configuration would.
     */
    public void testAJvmProxyIsNotUsed() throws Exception {
        int port = startHttp();
        int unusedPort;
        try (java.net.ServerSocket probe = new java.net.ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            unusedPort = probe.getLocalPort();
        }
        java.net.ProxySelector previous = java.net.ProxySelector.getDefault();
        String previousHost = System.getProperty("socksProxyHost"), previousPort = System.getProperty("socksProxyPort");
        java.net.Proxy socks = new java.net.Proxy(java.net.Proxy.Type.SOCKS, new InetSocketAddress("127.0.0.1", unusedPort));
        try {
            System.setProperty("socksProxyHost", "127.0.0.1");
            System.setProperty("socksProxyPort", Integer.toString(unusedPort));
            java.net.ProxySelector.setDefault(new java.net.ProxySelector() {
                @Override
                public List<java.net.Proxy> select(java.net.URI uri) {
                    return List.of(socks);
                }

                @Override
                public void connectFailed(java.net.URI uri, java.net.SocketAddress sa, IOException ioe) {}
            });
            GuardedHttpClient loader = new GuardedHttpClient(host -> new InetAddress[] { ip("127.0.0.1") });
            assertArrayEquals(IMAGE, get(loader, "http://a.test:" + port + "/image", limits(1000, true)));
            assertEquals(List.of("/image"), paths);
        } finally {
            java.net.ProxySelector.setDefault(previous);
            restore("socksProxyHost", previousHost);
            restore("socksProxyPort", previousPort);
        }
    }

    private static void restore(String property, String value) {
        if (value == null) {
            System.clearProperty(property);
        } else {
            System.setProperty(property, value);
        }
    }

    /** A server context with a self-signed certificate for {@code dnsName}, and a client context that trusts only it. */
    private static SSLContext[] tlsContexts(String dnsName) throws Exception {
        KeyStore keys = selfSigned(dnsName);
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keys, "changeit".toCharArray());
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(keys);
        SSLContext serverContext = SSLContext.getInstance("TLS");
        serverContext.init(kmf.getKeyManagers(), null, null);
        SSLContext clientContext = SSLContext.getInstance("TLS");
        clientContext.init(null, tmf.getTrustManagers(), null);
        return new SSLContext[] { serverContext, clientContext };
    }

    /** A key store with an EC key and a self-signed certificate for {@code dnsName}, built by hand: no keytool, no files. */
    private static KeyStore selfSigned(String dnsName) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair pair = generator.generateKeyPair();
        byte[] ecdsaSha256 = der(0x30, der(0x06, new byte[] { 0x2a, (byte) 0x86, 0x48, (byte) 0xce, 0x3d, 0x04, 0x03, 0x02 }));
        byte[] name = der(0x30, der(0x31, der(0x30, der(0x06, new byte[] { 0x55, 0x04, 0x03 }), der(0x0c, ascii(dnsName)))));
        DateTimeFormatter utc = DateTimeFormatter.ofPattern("yyMMddHHmmss'Z'").withZone(ZoneOffset.UTC);
        Instant now = Instant.now();
        byte[] validity = der(0x30, der(0x17, ascii(utc.format(now.minusSeconds(3600)))), der(0x17, ascii(utc.format(now.plusSeconds(86400)))));
        byte[] subjectAltName = der(
            0x30,
            der(0x06, new byte[] { 0x55, 0x1d, 0x11 }),
            der(0x04, der(0x30, der(0x82, ascii(dnsName))))
        );
        byte[] tbs = der(
            0x30,
            der(0xa0, der(0x02, new byte[] { 2 })),
            der(0x02, new byte[] { 0x01, 0x23 }),
            ecdsaSha256,
            name,
            validity,
            name,
            pair.getPublic().getEncoded(),
            der(0xa3, der(0x30, subjectAltName))
        );
        Signature signer = Signature.getInstance("SHA256withECDSA");
        signer.initSign(pair.getPrivate());
        signer.update(tbs);
        byte[] signature = signer.sign();
        byte[] bitString = new byte[signature.length + 1];
        System.arraycopy(signature, 0, bitString, 1, signature.length);
        byte[] certificate = der(0x30, tbs, ecdsaSha256, der(0x03, bitString));
        Certificate cert = CertificateFactory.getInstance("X.509").generateCertificate(new java.io.ByteArrayInputStream(certificate));
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry("server", pair.getPrivate(), "changeit".toCharArray(), new Certificate[] { cert });
        return store;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }

    /** One DER tag-length-value with the given parts as its value. */
    private static byte[] der(int tag, byte[]... parts) {
        java.io.ByteArrayOutputStream value = new java.io.ByteArrayOutputStream();
        for (byte[] part : parts) {
            value.writeBytes(part);
        }
        int length = value.size();
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        out.write(tag);
        if (length < 0x80) {
            out.write(length);
        } else if (length < 0x100) {
            out.write(0x81);
            out.write(length);
        } else {
            out.write(0x82);
            out.write(length >> 8);
            out.write(length & 0xff);
        }
        out.writeBytes(value.toByteArray());
        return out.toByteArray();
    }
}
