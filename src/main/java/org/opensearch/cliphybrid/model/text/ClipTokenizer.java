package org.opensearch.cliphybrid.model.text;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Text to {@code input_ids} exactly as Hugging Face's CLIPTokenizer: start token, at most 75 BPE tokens, end token.
 * Nothing is padded here: CLIP's text tower pools at the first end token and its attention is causal, so padding changes
 * nothing but the cost (a 77-token query costs about six times an 8-token one on ViT-B/32). Batches are padded to their
 * longest member by {@link #padded}.
 */
public final class ClipTokenizer implements Closeable {
    public static final int MAX_LENGTH = 77;

    private final HuggingFaceTokenizer tokenizer;

    private ClipTokenizer(HuggingFaceTokenizer tokenizer) {
        this.tokenizer = tokenizer;
    }

    /** Must be called inside {@link org.opensearch.cliphybrid.model.DjlRuntime#call}, which loads the native library. */
    public static ClipTokenizer load(Path tokenizerJson) throws IOException {
        return new ClipTokenizer(
            HuggingFaceTokenizer.newInstance(
                tokenizerJson,
                Map.of("padding", "false", "truncation", "true", "maxLength", Integer.toString(MAX_LENGTH), "addSpecialTokens", "true")
            )
        );
    }

    public long[] encode(String text) {
        Encoding encoding = tokenizer.encode(text);
        return encoding.getIds();
    }

    /**
     * Pads each sequence to the longest with its own last id, the end token: that is what CLIPTokenizer pads with
     * ({@code pad_token = <|endoftext|>}), and pooling at the first end token ignores it.
     */
    public static long[][] padded(List<long[]> sequences) {
        int longest = 0;
        for (long[] ids : sequences) {
            longest = Math.max(longest, ids.length);
        }
        long[][] out = new long[sequences.size()][longest];
        for (int i = 0; i < sequences.size(); i++) {
            long[] ids = sequences.get(i);
            System.arraycopy(ids, 0, out[i], 0, ids.length);
            Arrays.fill(out[i], ids.length, longest, ids[ids.length - 1]);
        }
        return out;
    }

    @Override
    public void close() {
        tokenizer.close();
    }
}
