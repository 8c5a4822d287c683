package org.opensearch.cliphybrid.render;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * A DevTools connection over the JDK's own WebSocket client: commands get ids and futures for their replies, events go to
 * listeners on the socket's thread. Listeners must not wait for a reply there (the reply would arrive on that same thread);
 * they send with {@link #send} and leave the reply unread. Messages larger than {@code maxMessageChars} are refused, so a page
 * cannot make the harvester hold an unbounded reply.
 */
final class CdpSession implements AutoCloseable {
    private final WebSocket socket;
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, CompletableFuture<CdpMessage>> pending = new ConcurrentHashMap<>();
    private final List<Consumer<CdpMessage>> listeners = new CopyOnWriteArrayList<>();
    /** The JDK's WebSocket allows one outstanding send; sends are chained so that the listener's and the caller's never overlap. */
    private CompletableFuture<?> sends = CompletableFuture.completedFuture(null);
    private volatile String closedBecause;

    private CdpSession(WebSocket socket) {
        this.socket = socket;
    }

    static CdpSession connect(URI webSocketUrl, Duration timeout, int maxMessageChars) throws IOException {
        Receiver receiver = new Receiver(maxMessageChars);
        WebSocket ws;
        try {
            ws = HttpClient.newHttpClient()
                .newWebSocketBuilder()
                .connectTimeout(timeout)
                .buildAsync(webSocketUrl, receiver)
                .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while connecting to the browser", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IOException("cannot connect to the browser's DevTools at [" + webSocketUrl + "]: " + e, e);
        }
        CdpSession session = new CdpSession(ws);
        receiver.session = session;
        return session;
    }

    void onEvent(Consumer<CdpMessage> listener) {
        listeners.add(listener);
    }

    /** Sends a command and returns the future of its reply; the future fails when the reply is a protocol error. */
    CompletableFuture<CdpMessage> send(String sessionId, String method, Map<String, ?> params) {
        int id = ids.incrementAndGet();
        CompletableFuture<CdpMessage> reply = new CompletableFuture<>();
        if (closedBecause != null) {
            reply.completeExceptionally(new IOException("DevTools connection closed: " + closedBecause));
            return reply;
        }
        pending.put(id, reply);
        String text = CdpMessage.command(id, sessionId, method, params);
        synchronized (this) {
            sends = sends.handle((r, e) -> null).thenCompose(x -> socket.sendText(text, true)).whenComplete((r, e) -> {
                if (e != null) {
                    fail(id, new IOException("cannot send [" + method + "]: " + e, e));
                }
            });
        }
        return reply;
    }

    /** Sends a command and waits for its result; a protocol error or a timeout is an IOException naming the method. */
    Map<String, Object> call(String sessionId, String method, Map<String, ?> params, Duration timeout) throws IOException {
        CompletableFuture<CdpMessage> reply = send(sessionId, method, params);
        try {
            CdpMessage m = reply.get(Math.max(1, timeout.toMillis()), TimeUnit.MILLISECONDS);
            return m.result() == null ? Map.of() : m.result();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for [" + method + "]", e);
        } catch (TimeoutException e) {
            throw new IOException("[" + method + "] got no reply within " + timeout.toMillis() + " ms");
        } catch (ExecutionException e) {
            throw new IOException("[" + method + "] failed: " + e.getCause().getMessage(), e.getCause());
        }
    }

    private void fail(int id, IOException e) {
        CompletableFuture<CdpMessage> f = pending.remove(id);
        if (f != null) {
            f.completeExceptionally(e);
        }
    }

    private void dispatch(String text) {
        CdpMessage m;
        try {
            m = CdpMessage.parse(text);
        } catch (IOException e) {
            return; // nothing waits for an unreadable message, and the browser does not send one
        }
        if (m.id() != null) {
            CompletableFuture<CdpMessage> f = pending.remove(m.id());
            if (f != null) {
                if (m.error() != null) {
                    f.completeExceptionally(new IOException(m.errorText()));
                } else {
                    f.complete(m);
                }
            }
        } else {
            for (Consumer<CdpMessage> l : listeners) {
                l.accept(m);
            }
        }
    }

    private void closed(String why) {
        closedBecause = why;
        for (Integer id : List.copyOf(pending.keySet())) {
            fail(id, new IOException("DevTools connection closed: " + why));
        }
    }

    @Override
    public void close() {
        closed("closed by the harvester");
        socket.abort();
    }

    private static final class Receiver implements WebSocket.Listener {
        private final int maxChars;
        private final StringBuilder partial = new StringBuilder();
        private boolean skipping;
        volatile CdpSession session;

        Receiver(int maxChars) {
            this.maxChars = maxChars;
        }

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            if (skipping == false) {
                if (partial.length() + data.length() > maxChars) {
                    // the reply it belonged to times out; the caller asked for something too large, e.g. a huge DOM
                    partial.setLength(0);
                    skipping = true;
                } else {
                    partial.append(data);
                }
            }
            if (last) {
                if (skipping == false && session != null) {
                    session.dispatch(partial.toString());
                }
                partial.setLength(0);
                skipping = false;
            }
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
            if (session != null) {
                session.closed("status " + statusCode + " " + reason);
            }
            return null;
        }

        @Override
        public void onError(WebSocket ws, Throwable error) {
            if (session != null) {
                session.closed(String.valueOf(error));
            }
        }
    }
}
