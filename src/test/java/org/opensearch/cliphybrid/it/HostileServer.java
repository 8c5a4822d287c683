package org.opensearch.cliphybrid.it;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * An HTTP server on 127.0.0.1 that misbehaves the ways a hostile or broken image host does, written on a raw socket because
 * a well-behaved server library cannot send broken framing. Every loop is bounded in count and time, and closing the server
 * ends every connection.
 *
 * <p>Paths: {@code /image/<name>} serves the given bytes; {@code /drip} sends a valid header and then one byte every 500 ms
 * for at most 60 s; {@code /drip-headers} sends its header one byte every 500 ms; {@code /redirect/<n>} redirects to
 * {@code /redirect/<n+1>} forever; {@code /negative-length}, {@code /huge-length}, {@code /bad-chunk} and
 * {@code /negative-chunk} break the framing.
 */
final class HostileServer implements Closeable {
    private static final long DRIP_MILLIS = 500;
    private static final int MAX_DRIPS = 120;

    private final ServerSocket socket;
    private final ExecutorService connections = Executors.newFixedThreadPool(16, r -> {
        Thread t = new Thread(r, "hostile-server");
        t.setDaemon(true);
        return t;
    });
    private final Map<String, byte[]> images;
    private volatile boolean closed;

    HostileServer(Map<String, byte[]> images) throws IOException {
        this.images = images;
        this.socket = new ServerSocket();
        socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        Thread acceptor = new Thread(this::accept, "hostile-server-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    String url(String path) {
        return "http://127.0.0.1:" + socket.getLocalPort() + path;
    }

    private void accept() {
        while (closed == false) {
            try {
                Socket client = socket.accept();
                client.setSoTimeout(30_000);
                connections.execute(() -> serve(client));
            } catch (IOException e) {
                if (closed == false) {
                    throw new IllegalStateException(e);
                }
            }
        }
    }

    private void serve(Socket client) {
        try (client; InputStream in = client.getInputStream(); OutputStream out = client.getOutputStream()) {
            String path = requestPath(in);
            if (path.startsWith("/image/") && images.containsKey(path.substring(7))) {
                byte[] body = images.get(path.substring(7));
                out.write(head("200 OK", "Content-Length: " + body.length));
                out.write(body);
            } else if (path.equals("/drip")) {
                out.write(head("200 OK", "Content-Length: 1000000"));
                drip(out, new byte[] { (byte) 0xFF, (byte) 0xD8, (byte) 0xFF });
            } else if (path.equals("/drip-headers")) {
                drip(out, head("200 OK", "Content-Length: 10"));
            } else if (path.startsWith("/redirect/")) {
                int n = Integer.parseInt(path.substring(10));
                out.write(head("302 Found", "Location: /redirect/" + (n + 1) + "\r\nContent-Length: 0"));
            } else if (path.equals("/negative-length")) {
                out.write(head("200 OK", "Content-Length: -5"));
            } else if (path.equals("/huge-length")) {
                out.write(head("200 OK", "Content-Length: 99999999999999999999"));
            } else if (path.equals("/bad-chunk")) {
                out.write(head("200 OK", "Transfer-Encoding: chunked"));
                out.write("zz\r\nabc\r\n".getBytes(StandardCharsets.US_ASCII));
            } else if (path.equals("/negative-chunk")) {
                out.write(head("200 OK", "Transfer-Encoding: chunked"));
                out.write("-10\r\nabc\r\n".getBytes(StandardCharsets.US_ASCII));
            } else {
                out.write(head("404 Not Found", "Content-Length: 0"));
            }
            out.flush();
        } catch (SocketException e) {
            // the client gave up, as it should on most of these paths
        } catch (IOException | InterruptedException e) {
            // nothing to report to anyone: the test judges the node's answer
        }
    }

    private void drip(OutputStream out, byte[] bytes) throws IOException, InterruptedException {
        for (int i = 0; i < MAX_DRIPS && closed == false; i++) {
            out.write(bytes[i % bytes.length]);
            out.flush();
            Thread.sleep(DRIP_MILLIS);
        }
    }

    private static byte[] head(String status, String headers) {
        return ("HTTP/1.1 " + status + "\r\n" + headers + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    /** The path of the request line; the rest of the request is read up to its blank line (at most 16 KB). */
    private static String requestPath(InputStream in) throws IOException {
        StringBuilder request = new StringBuilder();
        int b;
        while (request.length() < 16_384 && (b = in.read()) >= 0) {
            request.append((char) b);
            if (request.length() >= 4 && request.substring(request.length() - 4).equals("\r\n\r\n")) {
                break;
            }
        }
        String[] line = request.toString().split(" ", 3);
        return line.length > 1 ? line[1] : "";
    }

    @Override
    public void close() throws IOException {
        closed = true;
        socket.close();
        connections.shutdownNow();
        try {
            connections.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
