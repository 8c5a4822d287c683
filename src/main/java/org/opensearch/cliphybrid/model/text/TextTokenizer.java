package org.opensearch.cliphybrid.model.text;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;

import java.io.Closeable;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Text to the ids a text tower takes, as its family's Python tokenizer makes them: the family's cleaning, then
 * {@code tokenizer.json} with its special tokens, truncated to the family's length with the end token kept. Sequences are
 * padded only when a batch is made ({@link #batch}): to the longest member for CLIP, whose causal tower pools at the first
 * end token (a 77-token query costs about six times an 8-token one on ViT-B/32), or to the exact length for towers that
 * pool the last position or take a fixed shape (SigLIP, OpenCLIP exports).
 */
public final class TextTokenizer implements Closeable {
    public static final int CLIP_LENGTH = 77;

    private final HuggingFaceTokenizer tokenizer;
    private final TokenizerSpec spec;
    private final long padId;
    /** How many ids the tokenizer adds around any text: what a word's own pieces are counted against. */
    private final int specialIds;

    private TextTokenizer(HuggingFaceTokenizer tokenizer, TokenizerSpec spec, long padId) {
        this.tokenizer = tokenizer;
        this.spec = spec;
        this.padId = padId;
        this.specialIds = tokenizer.encode("").getIds().length;
    }

    /** Must be called inside {@link org.opensearch.cliphybrid.model.DjlRuntime#call}, which loads the native library. */
    public static TextTokenizer load(TokenizerSpec spec) throws IOException {
        long padId = spec.fixedLength() > 0 ? AddedTokens.id(spec.file(), spec.padToken()) : -1;
        HuggingFaceTokenizer tokenizer = HuggingFaceTokenizer.newInstance(
            spec.file(),
            Map.of("padding", "false", "truncation", "true", "maxLength", Integer.toString(spec.maxLength()), "addSpecialTokens", "true")
        );
        return new TextTokenizer(tokenizer, spec, padId);
    }

    public TokenizerSpec spec() {
        return spec;
    }

    /** The ids of one text, special tokens included, unpadded. */
    public long[] encode(String text) {
        Encoding encoding = tokenizer.encode(spec.cleaning().apply(text));
        return encoding.getIds();
    }

    /** How many pieces the tokenizer cuts {@code word} into: a word the vocabulary holds whole is one. */
    public int pieces(String word) {
        return Math.max(0, encode(word).length - specialIds);
    }

    /** Sequences padded into one rectangular batch, with the attention mask that marks their real ids. */
    public Batch batch(List<long[]> sequences) {
        int length = spec.fixedLength();
        if (length == 0) {
            for (long[] ids : sequences) {
                length = Math.max(length, ids.length);
            }
        }
        long[][] ids = new long[sequences.size()][length];
        long[][] mask = new long[sequences.size()][length];
        for (int i = 0; i < sequences.size(); i++) {
            long[] one = sequences.get(i);
            System.arraycopy(one, 0, ids[i], 0, one.length);
            // CLIPTokenizer pads with its end token (pad_token = <|endoftext|>), which pooling at the first end token ignores
            Arrays.fill(ids[i], one.length, length, spec.fixedLength() > 0 ? padId : one[one.length - 1]);
            Arrays.fill(mask[i], 0, one.length, 1L);
        }
        return new Batch(ids, mask);
    }

    /** A padded batch: {@code ids[i]} and {@code mask[i]} have the same length for every {@code i}. */
    public record Batch(long[][] ids, long[][] mask) {
        public int length() {
            return ids.length == 0 ? 0 : ids[0].length;
        }
    }

    @Override
    public void close() {
        tokenizer.close();
    }
}
