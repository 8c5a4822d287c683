import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What a client does that encodes its own query texts with the bare text tower ({@link TextTower}) and sends the vector:
 * closed loop, each client thread tokenizes and encodes one text, then POSTs {@code --body} with {@code @TEXT@} (inside a
 * JSON string) and {@code "@VECTOR@"} (quotes included) filled in, and waits for the answer. Run beside the node on the
 * same machine, the tower competes with the node as the in-node encoder does, so {@code clip_hybrid query_text} held
 * against this row compares encoding inside the node with encoding beside it under the same conditions.
 *
 * <p>Prints one line {@code RESULT {json}}: p50/p95/p99 and QPS of the whole (encode + search), and p50/p95 of the
 * tower (tokenizer and session call) inside that loop.
 */
public final class EncodeThenSearchBench {
    public static void main(String[] args) throws Exception {
        Map<String, String> opts = TextTower.options(args);
        List<String> texts = Files.readAllLines(Path.of(opts.get("texts"))).stream().filter(t -> t.isBlank() == false).toList();
        String template = Files.readString(Path.of(opts.get("body"))).strip();
        URI uri = URI.create(opts.get("url"));
        int clients = Integer.parseInt(opts.getOrDefault("clients", "1"));
        long warmupNanos = Long.parseLong(opts.getOrDefault("warmup", "5")) * 1_000_000_000L;
        long runNanos = Long.parseLong(opts.getOrDefault("seconds", "10")) * 1_000_000_000L;
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        try (TextTower tower = new TextTower(Path.of(opts.get("model")), Integer.parseInt(opts.getOrDefault("threads", "0")))) {
            long end = System.nanoTime() + warmupNanos + runNanos;
            long measureFrom = end - runNanos;
            AtomicInteger next = new AtomicInteger();
            AtomicInteger errors = new AtomicInteger();
            List<List<long[]>> samples = new ArrayList<>();
            List<Thread> workers = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                List<long[]> mine = new ArrayList<>();
                samples.add(mine);
                workers.add(Thread.ofPlatform().start(() -> {
                    try {
                        for (long t0 = System.nanoTime(); t0 < end; t0 = System.nanoTime()) {
                            String text = texts.get(Math.floorMod(next.getAndIncrement(), texts.size()));
                            float[] vector = normalised(tower.run(tower.tokenize(text)));
                            long t1 = System.nanoTime();
                            String body = template.replace("@TEXT@", jsonString(text)).replace("\"@VECTOR@\"", Arrays.toString(vector));
                            HttpResponse<String> response = http.send(
                                HttpRequest.newBuilder(uri)
                                    .header("Content-Type", "application/json")
                                    .POST(HttpRequest.BodyPublishers.ofString(body))
                                    .build(),
                                HttpResponse.BodyHandlers.ofString()
                            );
                            long t2 = System.nanoTime();
                            if (response.statusCode() != 200) {
                                if (errors.getAndIncrement() == 0) {
                                    System.err.println("first error: " + response.statusCode() + " " + response.body());
                                }
                            } else if (t0 >= measureFrom) {
                                mine.add(new long[] { t2 - t0, t1 - t0 });
                            }
                        }
                    } catch (Exception e) {
                        throw new RuntimeException(e);
                    }
                }));
            }
            for (Thread worker : workers) {
                worker.join();
            }
            double[] total = samples.stream().flatMap(List::stream).mapToDouble(s -> s[0] / 1e6).toArray();
            double[] encode = samples.stream().flatMap(List::stream).mapToDouble(s -> s[1] / 1e6).toArray();
            System.out.printf(
                "RESULT {\"requests\":%d,\"errors\":%d,\"qps\":%.1f,\"p50\":%.3f,\"p95\":%.3f,\"p99\":%.3f,"
                    + "\"tower_p50\":%.3f,\"tower_p95\":%.3f}%n",
                total.length, errors.get(), total.length / (runNanos / 1e9), TextTower.percentile(total, 50),
                TextTower.percentile(total, 95), TextTower.percentile(total, 99), TextTower.percentile(encode, 50),
                TextTower.percentile(encode, 95)
            );
        }
    }

    /** L2-normalised as the plugin does; a zero vector (the B/32-shaped model's constant weights give some) stays zero. */
    private static float[] normalised(float[] v) {
        double norm = 0;
        for (float x : v) {
            norm += (double) x * x;
        }
        for (int i = 0; norm > 0 && i < v.length; i++) {
            v[i] = (float) (v[i] / Math.sqrt(norm));
        }
        return v;
    }

    private static String jsonString(String s) {
        StringBuilder out = new StringBuilder();
        for (char ch : s.toCharArray()) {
            switch (ch) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                default -> {
                    if (ch < 0x20) {
                        out.append(String.format("\\u%04x", (int) ch));
                    } else {
                        out.append(ch);
                    }
                }
            }
        }
        return out.toString();
    }
}
