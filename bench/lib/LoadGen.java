import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * Closed-loop HTTP load generator for the bench scripts: THREADS clients each send the next request body
 * as soon as the previous answer arrives (or PAUSE_MS after it), first for WARMUP seconds (not recorded), then for SECONDS.
 * The pause is not part of a request's time; it leaves the node idle between requests as an encoding on the node would.
 * Prints one JSON line: requests, errors, qps, p50/p95/p99/mean in milliseconds.
 *
 * <p>usage: java bench/lib/LoadGen.java URL BODIES_FILE THREADS WARMUP_S SECONDS [PAUSE_MS] (one JSON body a line, POSTed)
 */
public class LoadGen {
    public static void main(String[] args) throws Exception {
        if (args.length != 5 && args.length != 6) {
            System.err.println("usage: java LoadGen.java URL BODIES_FILE THREADS WARMUP_S SECONDS [PAUSE_MS]");
            System.exit(2);
        }
        URI uri = URI.create(args[0]);
        List<String> bodies = Files.readAllLines(Path.of(args[1])).stream().filter(l -> !l.isBlank()).toList();
        int threads = Integer.parseInt(args[2]);
        long warmupNanos = Duration.ofSeconds(Long.parseLong(args[3])).toNanos();
        long runNanos = Duration.ofSeconds(Long.parseLong(args[4])).toNanos();
        long pauseNanos = args.length == 6 ? (long) (Double.parseDouble(args[5]) * 1e6) : 0;
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

        long start = System.nanoTime();
        long measureFrom = start + warmupNanos;
        long end = measureFrom + runNanos;
        AtomicInteger next = new AtomicInteger();
        AtomicInteger errors = new AtomicInteger();
        AtomicReference<String> firstError = new AtomicReference<>();
        List<long[]> perThread = new ArrayList<>();
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            long[] samples = new long[1 << 20];
            perThread.add(samples);
            Thread worker = Thread.ofPlatform().start(() -> {
                int n = 0;
                while (true) {
                    if (pauseNanos > 0) {
                        LockSupport.parkNanos(pauseNanos);
                    }
                    long t0 = System.nanoTime();
                    if (t0 >= end) {
                        break;
                    }
                    String body = bodies.get(Math.floorMod(next.getAndIncrement(), bodies.size()));
                    HttpRequest request = HttpRequest.newBuilder(uri)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build();
                    boolean ok;
                    try {
                        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                        ok = response.statusCode() == 200;
                        if (!ok) {
                            firstError.compareAndSet(null, response.statusCode() + " " + response.body());
                        }
                    } catch (Exception e) {
                        ok = false;
                        firstError.compareAndSet(null, e.toString());
                    }
                    long t1 = System.nanoTime();
                    if (t0 >= measureFrom) {
                        if (!ok) {
                            errors.incrementAndGet();
                        } else if (n < samples.length - 1) {
                            samples[n++] = t1 - t0;
                        }
                    }
                }
                samples[samples.length - 1] = n; // the last slot carries the count back
            });
            workers.add(worker);
        }
        for (Thread worker : workers) {
            worker.join();
        }
        long[] all = perThread.stream()
            .flatMapToLong(s -> Arrays.stream(s, 0, (int) s[s.length - 1]))
            .sorted()
            .toArray();
        double seconds = runNanos / 1e9;
        String error = firstError.get() == null ? "" : firstError.get().replace("\\", "\\\\").replace("\"", "'");
        System.out.printf(
            "{\"requests\": %d, \"errors\": %d, \"qps\": %.1f, \"p50\": %.2f, \"p95\": %.2f, \"p99\": %.2f, \"mean\": %.2f, \"first_error\": \"%s\"}%n",
            all.length, errors.get(), all.length / seconds, pct(all, 50), pct(all, 95), pct(all, 99),
            all.length == 0 ? Double.NaN : Arrays.stream(all).average().orElse(0) / 1e6,
            error.length() > 300 ? error.substring(0, 300) : error);
    }

    /** Nearest-rank percentile, in milliseconds. */
    private static double pct(long[] sorted, int p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, rank - 1)] / 1e6;
    }
}
