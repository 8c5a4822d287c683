import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;

import org.opensearch.cliphybrid.image.ImageDecoder;
import org.opensearch.cliphybrid.model.ModelFolder;
import org.opensearch.cliphybrid.model.image.ClipImagePreprocessor;

import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.stream.Stream;

/**
 * The ceiling for image ingest: the vision tower of a model folder run through the onnxruntime jar directly, with no DJL,
 * no OpenSearch and no decoding in the timed part. The images are decoded and preprocessed first with the plugin's own
 * classes, so the tensors are exactly the ones the plugin feeds its session; the session gets the plugin's thread
 * options (one inter-op thread, intra-op as {@code plugins.clip.inference.intra_op_threads}, 0 = ONNX Runtime's default).
 *
 * <p>Run by bench/ingest with the plugin's classes and its runtime classpath, the onnxruntime jar swapped as asked.
 * Prints a few human lines, then one line {@code RESULT {json}}.
 */
public final class OrtVisionBench {
    private static final long MAX_PIXELS = 40_000_000L;

    public static void main(String[] args) throws Exception {
        Map<String, String> opts = options(args);
        Path modelDir = Path.of(opts.get("model"));
        Path imagesDir = Path.of(opts.get("images"));
        int limit = Integer.parseInt(opts.getOrDefault("limit", "1000"));
        int sweepImages = Integer.parseInt(opts.getOrDefault("sweep-images", "96"));
        int threads = Integer.parseInt(opts.getOrDefault("threads", "0"));
        boolean quantized = Boolean.parseBoolean(opts.getOrDefault("quantized", "false"));
        List<Integer> batchSizes = Stream.of(opts.getOrDefault("batches", "1,2,4,8,16").split(",")).map(Integer::valueOf).toList();

        ModelFolder folder = ModelFolder.open(modelDir.getFileName().toString(), modelDir, quantized);
        output = folder.vision().output();
        ClipImagePreprocessor preprocessor = ClipImagePreprocessor.fromConfig(folder.preprocessorSettings());
        List<float[]> pixels = preprocessAll(imagesDir, limit, preprocessor);
        long[] chw = { preprocessor.channels(), preprocessor.height(), preprocessor.width() };

        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setInterOpNumThreads(1);
            if (threads > 0) {
                options.setIntraOpNumThreads(threads);
            }
            try (OrtSession session = env.createSession(folder.visionModel().toString(), options)) {
                String input = session.getInputNames().iterator().next();
                Map<Integer, Double> sweep = new LinkedHashMap<>();
                for (int batch : batchSizes) {
                    run(session, input, pixels, batch, chw, batch); // warm-up: first run at a new shape plans memory
                    double rate = run(session, input, pixels, batch, chw, Math.min(pixels.size(), Math.max(batch, sweepImages)));
                    sweep.put(batch, rate);
                    System.out.printf("  batch %2d: %7.1f img/s (%d images)%n", batch, rate, Math.min(pixels.size(), sweepImages));
                }
                int best = sweep.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
                double full = run(session, input, pixels, best, chw, pixels.size());
                System.out.printf("  best batch %d over all %d images: %.1f img/s, %.1f CPU ms/img%s%n", best, pixels.size(), full, cpuMsPerImage,
                    nonFinite == 0 ? "" : " (WARNING: " + nonFinite + " NaN/infinite values in the first batch's embeddings)");
                StringBuilder json = new StringBuilder();
                json.append("{\"ort_version\":\"").append(env.getVersion()).append("\"");
                json.append(",\"model_file\":\"").append(folder.dir().relativize(folder.visionModel())).append("\"");
                json.append(",\"intra_op_threads\":").append(threads);
                json.append(",\"images\":").append(pixels.size());
                json.append(",\"best_batch\":").append(best);
                json.append(",\"images_per_s\":").append(String.format("%.2f", full));
                json.append(",\"cpu_ms_per_image\":").append(String.format("%.2f", cpuMsPerImage));
                json.append(",\"non_finite_values\":").append(nonFinite);
                StringJoiner rates = new StringJoiner(",", "{", "}");
                sweep.forEach((b, r) -> rates.add(String.format("\"%d\":%.2f", b, r)));
                json.append(",\"sweep\":").append(rates).append("}");
                System.out.println("RESULT " + json);
            }
        }
    }

    /** Non-finite values in the first batch's first output of the latest run; the B/32 shape model's are worth a look. */
    private static int nonFinite;
    /** The embedding output: CLIP's image_embeds, SigLIP's pooler_output (its first output is last_hidden_state). */
    private static String output;

    private static int countNonFinite(OrtSession.Result result) throws Exception {
        float[][] embeds = (float[][]) result.get(output).orElseThrow(() -> new IllegalStateException("no output " + output)).getValue();
        int bad = 0;
        for (float[] row : embeds) {
            for (float v : row) {
                bad += Float.isFinite(v) ? 0 : 1;
            }
        }
        return bad;
    }

    /** CPU time of this process during the latest run, in ms per image: on a busy machine it moves less than images/s. */
    private static double cpuMsPerImage;

    /** Images/s over {@code count} images taken in order (wrapping around), {@code batch} per session call. */
    private static double run(OrtSession session, String input, List<float[]> pixels, int batch, long[] chw, int count) throws Exception {
        int per = (int) (chw[0] * chw[1] * chw[2]);
        var os = (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        long cpuStart = os.getProcessCpuTime();
        long start = System.nanoTime();
        for (int done = 0; done < count; done += batch) {
            int n = Math.min(batch, count - done);
            FloatBuffer flat = FloatBuffer.allocate(n * per);
            for (int i = 0; i < n; i++) {
                flat.put(pixels.get((done + i) % pixels.size()));
            }
            flat.flip();
            try (
                OnnxTensor tensor = OnnxTensor.createTensor(OrtEnvironment.getEnvironment(), flat, new long[] { n, chw[0], chw[1], chw[2] });
                OrtSession.Result result = session.run(Map.of(input, tensor))
            ) {
                if (result.size() == 0) {
                    throw new IllegalStateException("the vision model returned no output");
                }
                if (done == 0) {
                    nonFinite = countNonFinite(result);
                }
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        cpuMsPerImage = (os.getProcessCpuTime() - cpuStart) / 1e6 / count;
        return count / seconds;
    }

    private static List<float[]> preprocessAll(Path imagesDir, int limit, ClipImagePreprocessor preprocessor) throws Exception {
        List<Path> files;
        try (Stream<Path> list = Files.list(imagesDir)) {
            files = list.filter(p -> p.toString().endsWith(".jpg")).sorted().limit(limit).toList();
        }
        if (files.isEmpty()) {
            throw new IllegalArgumentException("no .jpg images in " + imagesDir);
        }
        List<float[]> out = new ArrayList<>(files.size());
        long decodeNanos = 0, preprocessNanos = 0;
        for (Path file : files) {
            long t0 = System.nanoTime();
            var image = ImageDecoder.decode(Files.readAllBytes(file), MAX_PIXELS);
            long t1 = System.nanoTime();
            float[] pixelValues = new float[preprocessor.size()];
            preprocessor.preprocess(image, FloatBuffer.wrap(pixelValues));
            out.add(pixelValues);
            long t2 = System.nanoTime();
            decodeNanos += t1 - t0;
            preprocessNanos += t2 - t1;
        }
        System.out.printf(
            "  %d images read+decoded in %.2f ms/img, preprocessed in %.2f ms/img (plugin classes, one thread, not timed below)%n",
            files.size(),
            decodeNanos / 1e6 / files.size(),
            preprocessNanos / 1e6 / files.size()
        );
        return out;
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> opts = new LinkedHashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (args[i].startsWith("--") == false) {
                throw new IllegalArgumentException("expected --name value pairs, got " + args[i]);
            }
            opts.put(args[i].substring(2), args[i + 1]);
        }
        for (String required : List.of("model", "images")) {
            if (opts.containsKey(required) == false) {
                throw new IllegalArgumentException("--" + required + " is required");
            }
        }
        return opts;
    }
}
