import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;

import org.opensearch.cliphybrid.model.DjlRuntime;
import org.opensearch.cliphybrid.model.ModelFolder;
import org.opensearch.cliphybrid.model.text.ClipTokenizer;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.LongBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What a client does that encodes its own query texts with the bare text tower (onnxruntime jar, the plugin's tokenizer,
 * no DJL, no OpenSearch) and sends the vector: closed loop, each client thread tokenizes and encodes one text, then POSTs
 * {@code --body} with {@code @TEXT@} (inside a JSON string) and {@code "@VECTOR@"} (quotes included) filled in, and waits
 * for the answer. Run beside the node on the
 * same machine, the tower competes with the node as the in-node encoder does, so {@code clip_hybrid query_text} held
 * against this row compares encoding inside the node with encoding beside it under the same conditions.
 *
 * <p>Prints one line {@code RESULT {json}}: p50/p95/p99 and QPS of the whole (encode + search), and p50/p95 of the
 * tower's session call inside that loop.
 */
public final class EncodeThenSearchBench {
    public static void main(String[] args) throws Exception {
        Map<String, String> opts = new LinkedHashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            opts.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        Path modelDir = Path.of(opts.get("model"));
        List<String> texts = Files.readAllLines(Path.of(opts.get("texts"))).stream().filter(t -> t.isBlank() == false).toList();
        String template = Files.readString(Path.of(opts.get("body"))).strip();
        URI uri = URI.create(opts.get("url"));
        int clients = Integer.parseInt(opts.getOrDefault("clients", "1"));
        int intraOpThreads = Integer.parseInt(opts.getOrDefault("threads", "0"));
        long warmupNanos = Long.parseLong(opts.getOrDefault("warmup", "5")) * 1_000_000_000L;
        long runNanos = Long.parseLong(opts.getOrDefault("seconds", "10")) * 1_000_000_000L;

        ModelFolder folder = ModelFolder.open(modelDir.getFileName().toString(), modelDir, false);
        ClipTokenizer tokenizer = DjlRuntime.call(() -> ClipTokenizer.load(folder.tokenizer()));
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setInterOpNumThreads(1);
            if (intraOpThreads > 0) {
                options.setIntraOpNumThreads(intraOpThreads);
            }
            try (OrtSession session = env.createSession(folder.textModel().toString(), options)) {
                boolean mask = session.getInputNames().contains("attention_mask");
                long start = System.nanoTime();
                long measureFrom = start + warmupNanos;
                long end = measureFrom + runNanos;
                AtomicInteger next = new AtomicInteger();
                AtomicInteger errors = new AtomicInteger();
                List<List<long[]>> samples = new ArrayList<>();
                List<Thread> workers = new ArrayList<>();
                for (int c = 0; c < clients; c++) {
                    List<long[]> mine = new ArrayList<>();
                    samples.add(mine);
                    workers.add(Thread.ofPlatform().start(() -> {
                        try {
                            while (true) {
                                long t0 = System.nanoTime();
                                if (t0 >= end) {
                                    return;
                                }
                                String text = texts.get(Math.floorMod(next.getAndIncrement(), texts.size()));
                                float[] vector = encode(env, session, mask, DjlRuntime.call(() -> tokenizer.encode(text)));
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
                double[] tower = samples.stream().flatMap(List::stream).mapToDouble(s -> s[1] / 1e6).toArray();
                System.out.printf(
                    "RESULT {\"requests\":%d,\"errors\":%d,\"qps\":%.1f,\"p50\":%.3f,\"p95\":%.3f,\"p99\":%.3f,"
                        + "\"tower_p50\":%.3f,\"tower_p95\":%.3f}%n",
                    total.length, errors.get(), total.length / (runNanos / 1e9), percentile(total, 50), percentile(total, 95),
                    percentile(total, 99), percentile(tower, 50), percentile(tower, 95)
                );
            }
        }
    }

    /** Tokenized ids through the session; the L2-normalised text_embeds, as the plugin and CLIP's users normalise them. */
    private static float[] encode(OrtEnvironment env, OrtSession session, boolean mask, long[] ids) throws Exception {
        Map<String, OnnxTensor> inputs = new HashMap<>();
        long[] shape = { 1, ids.length };
        inputs.put("input_ids", OnnxTensor.createTensor(env, LongBuffer.wrap(ids), shape));
        if (mask) {
            long[] ones = new long[ids.length];
            Arrays.fill(ones, 1L);
            inputs.put("attention_mask", OnnxTensor.createTensor(env, LongBuffer.wrap(ones), shape));
        }
        try (OrtSession.Result result = session.run(inputs)) {
            float[] v = ((float[][]) result.get("text_embeds").orElseThrow().getValue())[0];
            double norm = 0;
            for (float x : v) {
                norm += (double) x * x;
            }
            // as the plugin does: a zero vector (the B/32-shaped model's constant weights give some) stays zero
            for (int i = 0; norm > 0 && i < v.length; i++) {
                v[i] = (float) (v[i] / Math.sqrt(norm));
            }
            return v;
        } finally {
            inputs.values().forEach(OnnxTensor::close);
        }
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

    private static double percentile(double[] values, double p) {
        if (values.length == 0) {
            return Double.NaN;
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[(int) Math.min(sorted.length - 1, Math.ceil(p / 100 * sorted.length) - 1)];
    }
}
