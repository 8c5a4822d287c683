package org.opensearch.cliphybrid.model.text;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Text clean-up that a family's Python tokenizer does in code, outside {@code tokenizer.json}, so a tokenizer file alone
 * does not reproduce it: SigLIP's {@code canonicalize_text} (transformers' SiglipTokenizer and open_clip's
 * {@code clean="canonicalize"}) drops ASCII punctuation, collapses whitespace and lower-cases, and the fast tokenizer
 * files of SigLIP are known not to; open_clip's default {@code clean="whitespace"} (and Immich's {@code clean_text}) only
 * collapses whitespace, which a Metaspace tokenizer would otherwise read as extra word boundaries.
 */
public enum TextCleaning {
    NONE {
        @Override
        public String apply(String text) {
            return text;
        }
    },
    WHITESPACE {
        @Override
        public String apply(String text) {
            return WHITESPACE_RUN.matcher(text).replaceAll(" ").strip();
        }
    },
    CANONICALIZE {
        @Override
        public String apply(String text) {
            String noPunctuation = ASCII_PUNCTUATION.matcher(text).replaceAll("");
            return WHITESPACE_RUN.matcher(noPunctuation).replaceAll(" ").strip().toLowerCase(Locale.ROOT);
        }
    };

    /** Python's {@code string.punctuation}: exactly the 32 ASCII punctuation characters. */
    private static final Pattern ASCII_PUNCTUATION = Pattern.compile("[!-/:-@\\[-`{-~]");
    /** Python's {@code str.split()} splits on Unicode whitespace, not only ASCII. */
    private static final Pattern WHITESPACE_RUN = Pattern.compile("[\\s\\p{Z}\\u001C-\\u001F\\u0085]+", Pattern.UNICODE_CHARACTER_CLASS);

    public abstract String apply(String text);
}
