package org.opensearch.cliphybrid.query;

import org.opensearch.index.query.Operator;
import org.opensearch.index.query.QueryBuilder;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Which of the query's words are names that only the metadata can know: words the model's vocabulary does not hold whole (its
 * tokenizer cuts them into several BPE pieces: "vorquazil", "vashcroft", not "accordion") or that hold a digit, and that
 * are rare terms of the text fields, in at least one and at most 1% (and at most {@link #MAX_DOCS}) of the target's documents.
 * Case does not matter: people rarely type the capital. A frequent word is not a name however the model cuts it.
 */
final class ProperNounDetector {
    static final double MAX_DOC_FRACTION = 0.01;
    static final int MAX_CANDIDATES = 16;
    /** Words of the query whose pieces are counted: a long query's later words are not looked at. */
    static final int MAX_WORDS = 64;
    private static final Pattern WORDS = Pattern.compile("[^\\p{L}\\p{N}]+");

    private ProperNounDetector() {}

    /** The query's distinct words of two letters or more, lower-cased, in order, at most {@link #MAX_WORDS}. */
    static List<String> words(List<String> texts) {
        Set<String> out = new LinkedHashSet<>();
        for (String text : texts) {
            for (String word : WORDS.split(text)) {
                if (word.length() >= 2 && out.size() < MAX_WORDS) {
                    out.add(word.toLowerCase(Locale.ROOT));
                }
            }
        }
        return new ArrayList<>(out);
    }

    /** The words that could be names, from how many pieces the model cuts each into; at most {@link #MAX_CANDIDATES}. */
    static List<String> candidates(List<String> words, Map<String, Integer> pieces) {
        List<String> out = new ArrayList<>();
        for (String word : words) {
            if (out.size() < MAX_CANDIDATES && (pieces.getOrDefault(word, 1) > 1 || word.chars().anyMatch(Character::isDigit))) {
                out.add(word);
            }
        }
        return out;
    }

    /** The text without the given names (compared case-insensitively), spaces collapsed. */
    static String without(String text, List<String> names) {
        StringBuilder out = new StringBuilder();
        for (String word : text.trim().split("\\s+")) {
            String bare = WORDS.matcher(word).replaceAll("").toLowerCase(Locale.ROOT);
            if (names.contains(bare) == false) {
                out.append(out.length() == 0 ? "" : " ").append(word);
            }
        }
        return out.toString();
    }

    static QueryBuilder matchAll(List<String> names, List<String> fields) {
        return LexicalQuery.textMatch(String.join(" ", names), fields).operator(Operator.AND);
    }

    /** A name is in at most this many documents, however large the index (with the 1% rule, the cap binds from a million up). */
    static final int MAX_DOCS = 10_000;
}
