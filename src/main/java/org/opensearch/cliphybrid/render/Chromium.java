package org.opensearch.cliphybrid.render;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A headless Chromium process with its own empty profile, which it deletes on close. Chromium picks a free DevTools port
 * ({@code --remote-debugging-port=0}) and prints the WebSocket address on stderr, which is read from there. The flags turn off
 * everything that would reach the network on its own (sync, component updates, background requests, QUIC), so that the only
 * requests are those of the pages being rendered.
 */
final class Chromium implements AutoCloseable {
    private static final Pattern LISTENING = Pattern.compile("DevTools listening on (ws://\\S+)");
    static final List<String> FLAGS = List.of(
        "--headless",
        "--remote-debugging-port=0",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--no-default-browser-check",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-extensions",
        "--disable-dev-shm-usage",
        "--mute-audio",
        "--window-size=1280,1024"
    );

    private final Process process;
    private final Path profile;
    private final URI webSocketUrl;

    private Chromium(Process process, Path profile, URI webSocketUrl) {
        this.process = process;
        this.profile = profile;
        this.webSocketUrl = webSocketUrl;
    }

    static Chromium launch(String binary, Duration startTimeout) throws IOException {
        Path profile = Files.createTempDirectory("clip-render-profile");
        List<String> command = new java.util.ArrayList<>();
        command.add(binary);
        command.addAll(FLAGS);
        command.add("--user-data-dir=" + profile);
        command.add("about:blank");
        Process process;
        try {
            process = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException e) {
            deleteTree(profile);
            throw new IOException("cannot start [" + binary + "] (set --chromium to the browser's path): " + e.getMessage(), e);
        }
        CompletableFuture<URI> address = new CompletableFuture<>();
        Deque<String> lastLines = new ArrayDeque<>();
        Thread reader = new Thread(() -> readStderr(process, address, lastLines), "chromium-stderr");
        reader.setDaemon(true);
        reader.start();
        try {
            URI uri = address.get(startTimeout.toMillis(), TimeUnit.MILLISECONDS);
            return new Chromium(process, profile, uri);
        } catch (InterruptedException | ExecutionException | TimeoutException e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            stop(process);
            deleteTree(profile);
            String said;
            synchronized (lastLines) {
                said = String.join(" | ", lastLines);
            }
            throw new IOException("[" + binary + "] did not report its DevTools address within " + startTimeout.toSeconds() + " s; it said: " + said);
        }
    }

    /** Reads stderr to its end: the DevTools line completes the address, and the rest is drained so Chromium never blocks on it. */
    private static void readStderr(Process process, CompletableFuture<URI> address, Deque<String> lastLines) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                Matcher m = LISTENING.matcher(line);
                if (m.find()) {
                    address.complete(URI.create(m.group(1)));
                } else if (address.isDone() == false) {
                    synchronized (lastLines) {
                        lastLines.addLast(line);
                        if (lastLines.size() > 5) {
                            lastLines.removeFirst();
                        }
                    }
                }
            }
        } catch (IOException e) {
            // the process ended; the launch times out or has already read the address
        }
        address.completeExceptionally(new IOException("exited"));
    }

    URI webSocketUrl() {
        return webSocketUrl;
    }

    @Override
    public void close() {
        stop(process);
        deleteTree(profile);
    }

    private static void stop(Process process) {
        // the renderer and GPU helpers are its children; taken before it ends, as a dead browser's children are no longer its own
        List<ProcessHandle> children = process.descendants().toList();
        process.destroy();
        try {
            if (process.waitFor(5, TimeUnit.SECONDS) == false) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        children.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temp profile left behind is harmless
        }
    }
}
