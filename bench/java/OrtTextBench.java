import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The bare text tower ({@link TextTower}) alone: one text at a time, as a query encodes it, with nothing else running. The
 * texts are tokenized with the plugin's tokenizer, timed on its own. {@code clip_hybrid query_text} is held against this.
 *
 * <p>Run by bench/latency with the plugin's classes and runtime classpath. Prints one line {@code RESULT {json}} with
 * p50/p95 in ms of the session call and of tokenizing.
 */
public final class OrtTextBench {
    public static void main(String[] args) throws Exception {
        Map<String, String> opts = TextTower.options(args);
        List<String> texts = Files.readAllLines(Path.of(opts.get("texts")));
        int threads = Integer.parseInt(opts.getOrDefault("threads", "0"));
        int count = Integer.parseInt(opts.getOrDefault("count", "2000"));
        int warmup = Integer.parseInt(opts.getOrDefault("warmup", "200"));
        try (TextTower tower = new TextTower(Path.of(opts.get("model")), threads)) {
            double[] run = new double[count];
            double[] tokenize = new double[count];
            for (int i = -warmup; i < count; i++) {
                String text = texts.get(Math.floorMod(i, texts.size()));
                long t0 = System.nanoTime();
                long[] ids = tower.tokenize(text);
                long t1 = System.nanoTime();
                tower.run(ids);
                long t2 = System.nanoTime();
                if (i >= 0) {
                    tokenize[i] = (t1 - t0) / 1e6;
                    run[i] = (t2 - t1) / 1e6;
                }
            }
            System.out.printf(
                "RESULT {\"ort_version\":\"%s\",\"intra_op_threads\":%d,\"texts\":%d,\"run_p50\":%.3f,\"run_p95\":%.3f,"
                    + "\"tokenize_p50\":%.3f,\"tokenize_p95\":%.3f}%n",
                tower.ortVersion(), threads, count, TextTower.percentile(run, 50), TextTower.percentile(run, 95),
                TextTower.percentile(tokenize, 50), TextTower.percentile(tokenize, 95)
            );
        }
    }
}
