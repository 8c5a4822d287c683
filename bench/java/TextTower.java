import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;

import org.opensearch.cliphybrid.model.DjlRuntime;
import org.opensearch.cliphybrid.model.ModelFolder;
import org.opensearch.cliphybrid.model.text.TextTokenizer;

import java.nio.LongBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The bare text tower of a model folder, as the text benches run it: the plugin's tokenizer, then the text model through the
 * onnxruntime jar directly (no DJL session, no OpenSearch), one text at a time, with the plugin's session thread options.
 * The benches beside this file use it through the source launcher (JDK 22+ compiles it on demand).
 */
final class TextTower implements AutoCloseable {
    private final OrtEnvironment env = OrtEnvironment.getEnvironment();
    private final TextTokenizer tokenizer;
    private final OrtSession.SessionOptions options;
    private final OrtSession session;
    private final boolean mask;
    private final String output;

    /** {@code intraOpThreads} 0: ONNX Runtime decides, as the plugin's default. */
    TextTower(Path modelDir, int intraOpThreads) throws Exception {
        ModelFolder folder = ModelFolder.open(modelDir.getFileName().toString(), modelDir, false);
        tokenizer = DjlRuntime.call(() -> TextTokenizer.load(folder.tokenizer()));
        output = folder.text().output();
        options = new OrtSession.SessionOptions();
        options.setInterOpNumThreads(1);
        if (intraOpThreads > 0) {
            options.setIntraOpNumThreads(intraOpThreads);
        }
        session = env.createSession(folder.textModel().toString(), options);
        mask = session.getInputNames().contains("attention_mask");
    }

    String ortVersion() {
        return env.getVersion();
    }

    long[] tokenize(String text) throws Exception {
        // padded as the node pads: SigLIP pools the last position, so its texts always run at the full 64 ids
        return DjlRuntime.call(() -> tokenizer.batch(List.of(tokenizer.encode(text))).ids()[0]);
    }

    /** The session's embedding output (CLIP's {@code text_embeds}, SigLIP's {@code pooler_output}) for one tokenized text, not normalised. */
    float[] run(long[] ids) throws Exception {
        Map<String, OnnxTensor> inputs = new HashMap<>();
        long[] shape = { 1, ids.length };
        try {
            inputs.put("input_ids", OnnxTensor.createTensor(env, LongBuffer.wrap(ids), shape));
            if (mask) {
                long[] ones = new long[ids.length];
                Arrays.fill(ones, 1L);
                inputs.put("attention_mask", OnnxTensor.createTensor(env, LongBuffer.wrap(ones), shape));
            }
            try (OrtSession.Result result = session.run(inputs)) {
                return ((float[][]) result.get(output)
                    .orElseThrow(() -> new IllegalStateException("the text model has no " + output + " output"))
                    .getValue())[0];
            }
        } finally {
            inputs.values().forEach(OnnxTensor::close);
        }
    }

    @Override
    public void close() throws Exception {
        session.close();
        options.close();
        tokenizer.close();
    }

    /** {@code --name value} pairs. */
    static Map<String, String> options(String[] args) {
        Map<String, String> opts = new LinkedHashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            opts.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        return opts;
    }

    /** Nearest-rank percentile; NaN for no values. */
    static double percentile(double[] values, double p) {
        if (values.length == 0) {
            return Double.NaN;
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[(int) Math.min(sorted.length - 1, Math.ceil(p / 100 * sorted.length) - 1)];
    }
}
