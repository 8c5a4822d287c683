import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;

import org.opensearch.cliphybrid.model.DjlRuntime;
import org.opensearch.cliphybrid.model.ModelFolder;
import org.opensearch.cliphybrid.model.text.ClipTokenizer;

import java.nio.LongBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The bare text tower: one text at a time, as a query encodes it, through the onnxruntime jar directly (no DJL session,
 * no OpenSearch), with the plugin's session thread options. The texts are tokenized with the plugin's tokenizer, timed on
 * its own. This is the floor that {@code clip_hybrid query_text} is held to: encoding a query may add no more than it.
 *
 * <p>Run by bench/latency with the plugin's classes and runtime classpath. Prints one line {@code RESULT {json}} with
 * p50/p95 in ms of the session call and of tokenizing.
 */
public final class OrtTextBench {
    public static void main(String[] args) throws Exception {
        Map<String, String> opts = new LinkedHashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            opts.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        Path modelDir = Path.of(opts.get("model"));
        List<String> texts = Files.readAllLines(Path.of(opts.get("texts")));
        int threads = Integer.parseInt(opts.getOrDefault("threads", "0"));
        int count = Integer.parseInt(opts.getOrDefault("count", "2000"));
        int warmup = Integer.parseInt(opts.getOrDefault("warmup", "200"));

        ModelFolder folder = ModelFolder.open(modelDir.getFileName().toString(), modelDir, false);
        ClipTokenizer tokenizer = DjlRuntime.call(() -> ClipTokenizer.load(folder.tokenizer()));
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setInterOpNumThreads(1);
            if (threads > 0) {
                options.setIntraOpNumThreads(threads);
            }
            try (OrtSession session = env.createSession(folder.textModel().toString(), options)) {
                boolean mask = session.getInputNames().contains("attention_mask");
                double[] run = new double[count];
                double[] tokenize = new double[count];
                for (int i = -warmup; i < count; i++) {
                    String text = texts.get(Math.floorMod(i, texts.size()));
                    long t0 = System.nanoTime();
                    long[] ids = DjlRuntime.call(() -> tokenizer.encode(text));
                    long t1 = System.nanoTime();
                    Map<String, OnnxTensor> inputs = new HashMap<>();
                    long[] shape = { 1, ids.length };
                    inputs.put("input_ids", OnnxTensor.createTensor(env, LongBuffer.wrap(ids), shape));
                    if (mask) {
                        long[] ones = new long[ids.length];
                        Arrays.fill(ones, 1L);
                        inputs.put("attention_mask", OnnxTensor.createTensor(env, LongBuffer.wrap(ones), shape));
                    }
                    try (OrtSession.Result result = session.run(inputs)) {
                        if (result.get("text_embeds").isEmpty()) {
                            throw new IllegalStateException("the text model has no text_embeds output");
                        }
                    } finally {
                        inputs.values().forEach(OnnxTensor::close);
                    }
                    long t2 = System.nanoTime();
                    if (i >= 0) {
                        tokenize[i] = (t1 - t0) / 1e6;
                        run[i] = (t2 - t1) / 1e6;
                    }
                }
                System.out.printf(
                    "RESULT {\"ort_version\":\"%s\",\"intra_op_threads\":%d,\"texts\":%d,\"run_p50\":%.3f,\"run_p95\":%.3f,"
                        + "\"tokenize_p50\":%.3f,\"tokenize_p95\":%.3f}%n",
                    env.getVersion(), threads, count, percentile(run, 50), percentile(run, 95), percentile(tokenize, 50),
                    percentile(tokenize, 95)
                );
            }
        }
    }

    private static double percentile(double[] values, double p) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[(int) Math.min(sorted.length - 1, Math.ceil(p / 100 * sorted.length) - 1)];
    }
}
