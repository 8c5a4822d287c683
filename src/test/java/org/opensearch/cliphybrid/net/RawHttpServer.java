package org.opensearch.cliphybrid.net;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A server on 127.0.0.1 that answers with whatever bytes a test writes, framing errors and slowness included, which
 * com.sun.net.httpserver cannot be made to send. One thread per connection; {@link #close} ends them all.
 */
final class RawHttpServer implements Closeable {
    /** Writes the answer to one request, given its request line such as {@code GET /path HTTP/1.1}. */
    interface Handler {
        void answer(String requestLine, OutputStream out) throws IOException, InterruptedException;
    }

    private final ServerSocket listener;
    private final Handler handler;
    private final List<Socket> connections = new CopyOnWriteArrayList<>();
    private final List<Thread> threads = new CopyOnWriteArrayList<>();
    private final Thread acceptor;
    final List<String> requestLines = new CopyOnWriteArrayList<>();

    private final boolean readsRequest;

    RawHttpServer(Handler handler) throws IOException {
        this(handler, true);
    }

    /** With {@code readsRequest} false the handler answers at once, before (or without) any request: for TLS handshakes. */
    RawHttpServer(Handler handler, boolean readsRequest) throws IOException {
        this.readsRequest = readsRequest;
        this.listener = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
        this.handler = handler;
        this.acceptor = new Thread(this::accept, "raw-http-accept");
        acceptor.start();
    }

    int port() {
        return listener.getLocalPort();
    }

    String base() {
        return "http://127.0.0.1:" + port();
    }

    private void accept() {
        while (listener.isClosed() == false) {
            Socket socket;
            try {
                socket = listener.accept();
            } catch (IOException e) {
                return;
            }
            connections.add(socket);
            Thread t = new Thread(() -> serve(socket), "raw-http-conn");
            threads.add(t);
            t.start();
        }
    }

    private void serve(Socket socket) {
        try (socket) {
            InputStream in = socket.getInputStream();
            String requestLine = readsRequest ? null : "";
            for (String line = readsRequest ? readLine(in) : ""; line != null && line.isEmpty() == false; line = readLine(in)) {
                if (requestLine == null) {
                    requestLine = line;
                }
            }
            if (requestLine == null) {
                return;
            }
            requestLines.add(requestLine);
            OutputStream out = socket.getOutputStream();
            handler.answer(requestLine, out);
            out.flush();
        } catch (IOException | InterruptedException e) {
            // the client hung up or the test ended: nothing more to send
        }
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b == -1) {
                return null;
            }
            if (b != '\r') {
                line.write(b);
            }
        }
        return line.toString(StandardCharsets.ISO_8859_1);
    }

    static void write(OutputStream out, String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    /** Sends {@code count} bytes one by one, {@code pauseMillis} apart: a bounded drip that ends when the client hangs up. */
    static void drip(OutputStream out, int count, long pauseMillis) throws IOException, InterruptedException {
        for (int i = 0; i < count; i++) {
            out.write('x');
            out.flush();
            Thread.sleep(pauseMillis);
        }
    }

    @Override
    public void close() throws IOException {
        listener.close();
        try {
            // once the acceptor is done no connection is added, so the lists below are complete
            acceptor.join(5000);
            for (Socket socket : connections) {
                socket.close();
            }
            for (Thread t : threads) {
                t.interrupt();
                t.join(5000);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
