package org.opensearch.cliphybrid.model.text;

import java.nio.file.Path;

/**
 * How a model family turns text into the ids its text tower was trained on, beyond what {@code tokenizer.json} says itself.
 *
 * @param file        the Hugging Face {@code tokenizer.json}
 * @param cleaning    what is done to the text before the tokenizer sees it
 * @param maxLength   at most this many ids, special tokens included; longer texts are truncated, keeping the end token
 * @param fixedLength 0 to pad a batch to its longest member with each sequence's own last id (CLIP, whose tower pools at
 *                    the first end token, so padding only costs); otherwise every sequence is padded to exactly this many
 *                    ids with {@code padToken} (towers that pool the last position or take a fixed shape)
 * @param padToken    the token {@code fixedLength} pads with, looked up in the tokenizer's own added tokens
 * @param languages   whether the text tower reads a FLORES-200 language code among its ids (NLLB), which a text may choose
 */
public record TokenizerSpec(Path file, TextCleaning cleaning, int maxLength, int fixedLength, String padToken, boolean languages) {
    public TokenizerSpec {
        if (maxLength < 1 || fixedLength < 0 || (fixedLength > 0 && fixedLength < maxLength)) {
            throw new IllegalArgumentException("tokenizer lengths: max " + maxLength + ", fixed " + fixedLength);
        }
        if (fixedLength > 0 && padToken == null) {
            throw new IllegalArgumentException("a fixed length needs a pad token");
        }
    }

    /** Hugging Face CLIP: no cleaning beyond the tokenizer's own normaliser, 77 ids, batches padded to their longest. */
    public static TokenizerSpec clip(Path file) {
        return new TokenizerSpec(file, TextCleaning.NONE, TextTokenizer.CLIP_LENGTH, 0, null, false);
    }
}
