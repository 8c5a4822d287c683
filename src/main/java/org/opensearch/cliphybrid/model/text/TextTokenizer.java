package org.opensearch.cliphybrid.model.text;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;

import java.io.Closeable;
import java.io.IOException;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Text to the ids a text tower takes, as its family's Python tokenizer makes them: the family's cleaning, then
 * {@code tokenizer.json} with its special tokens, truncated to the family's length with the end token kept. Sequences are
 * padded only when a batch is made ({@link #batch}): to the longest member for CLIP, whose causal tower pools at the first
 * end token (a 77-token query costs about six times an 8-token one on ViT-B/32), or to the exact length for towers that
 * pool the last position or take a fixed shape (SigLIP, OpenCLIP exports).
 *
 * <p>An NLLB text tower reads the text's language as a FLORES-200 code among its ids. transformers' NLLB template puts the
 * tokenizer's source language in a fixed place ({@code eng_Latn} first, or last in its legacy form); a text in another
 * language gets its own code in that place, as open_clip's {@code HFTokenizer.set_language} does through
 * {@code set_src_lang_special_tokens}, and where the template has none, first, as NLLB's current template has it.
 */
public final class TextTokenizer implements Closeable {
    public static final int CLIP_LENGTH = 77;
    /** No language code in the template's output: a chosen one goes first. */
    private static final int NO_SLOT = Integer.MIN_VALUE;

    private final HuggingFaceTokenizer tokenizer;
    private final TokenizerSpec spec;
    private final long padId;
    /** How many ids the tokenizer adds around any text: what a word's own pieces are counted against. */
    private final int specialIds;
    /** The tokenizer's language codes and their ids; empty for a tower that reads no language. */
    private final Map<String, Long> languageIds;
    private final SortedSet<String> languages;
    /** Where every sequence holds its language id: from the start if at least 0, else from the end (-1 the last). */
    private final int languageSlot;

    private TextTokenizer(HuggingFaceTokenizer tokenizer, TokenizerSpec spec, long padId, Map<String, Long> languageIds) {
        this.tokenizer = tokenizer;
        this.spec = spec;
        this.padId = padId;
        this.languageIds = Map.copyOf(languageIds);
        this.languages = Collections.unmodifiableSortedSet(new TreeSet<>(languageIds.keySet()));
        long[] empty = tokenizer.encode("").getIds();
        this.specialIds = empty.length;
        int slot = NO_SLOT;
        for (int i = 0; i < empty.length; i++) {
            if (this.languageIds.containsValue(empty[i])) {
                slot = i == empty.length - 1 && i > 0 ? -1 : i;
                break;
            }
        }
        this.languageSlot = slot;
    }

    /** Must be called inside {@link org.opensearch.cliphybrid.model.DjlRuntime#call}, which loads the native library. */
    public static TextTokenizer load(TokenizerSpec spec) throws IOException {
        long padId = spec.fixedLength() > 0 ? AddedTokens.id(spec.file(), spec.padToken()) : -1;
        Map<String, Long> languages = Map.of();
        if (spec.languages()) {
            languages = AddedTokens.matching(spec.file(), LanguageCode::matches);
            if (languages.isEmpty()) {
                throw new IllegalArgumentException(
                    "tokenizer.json has no FLORES-200 language code (such as eng_Latn) among its added tokens, which this text tower reads"
                );
            }
        }
        HuggingFaceTokenizer tokenizer = HuggingFaceTokenizer.newInstance(
            spec.file(),
            Map.of("padding", "false", "truncation", "true", "maxLength", Integer.toString(spec.maxLength()), "addSpecialTokens", "true")
        );
        return new TextTokenizer(tokenizer, spec, padId, languages);
    }

    /** The language codes this tokenizer knows, sorted; empty when its tower reads none. */
    public SortedSet<String> languages() {
        return languages;
    }

    public TokenizerSpec spec() {
        return spec;
    }

    /** The ids of one text, special tokens included, unpadded. */
    public long[] encode(String text) {
        Encoding encoding = tokenizer.encode(spec.cleaning().apply(text));
        return encoding.getIds();
    }

    /**
     * The ids of one text in {@code language}, a code of {@link #languages()}; null keeps the tokenizer's own default.
     *
     * @throws IllegalArgumentException when the tower reads no language or does not know this one: check with {@link #languages()}
     */
    public long[] encode(String text, String language) {
        long[] ids = encode(text);
        if (language == null) {
            return ids;
        }
        Long id = languageIds.get(language);
        if (id == null) {
            throw new IllegalArgumentException("the tokenizer knows no language [" + language + "]");
        }
        if (languageSlot == NO_SLOT) {
            long[] withCode = new long[Math.min(ids.length + 1, spec.maxLength())];
            withCode[0] = id;
            // past the length, the last piece before the end token gives way
            System.arraycopy(ids, 0, withCode, 1, withCode.length - 1);
            withCode[withCode.length - 1] = ids[ids.length - 1];
            return withCode;
        }
        ids[languageSlot >= 0 ? languageSlot : ids.length + languageSlot] = id;
        return ids;
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
