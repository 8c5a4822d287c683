package org.opensearch.cliphybrid.query;

import org.opensearch.cliphybrid.query.fusion.Weights;
import org.opensearch.index.query.BoolQueryBuilder;
import org.opensearch.index.query.QueryBuilder;

import java.util.ArrayList;
import java.util.List;

/**
 * What the query becomes once the coordinator knows which of its words are names: rare terms of the text fields that the model
 * does not know whole ({@link ProperNounDetector}): {@code boost} multiplies the text weight by 3, {@code filter} keeps only documents that
 * name them; both send CLIP the other words only (no vector side at all when nothing else is left).
 *
 * @param found the names found; null: not looked yet
 */
record ProperNounRule(ClipHybridOptions options, List<String> found) {
    static final float TEXT_BOOST = 3f;

    boolean fired() {
        return options.properNouns() != ClipHybridOptions.ProperNouns.OFF && found != null && found.isEmpty() == false;
    }

    /**
     * The texts CLIP encodes: without the names it cannot know, once they are known; the texts themselves otherwise. Names are
     * looked for in positive texts only, and a negative text is kept whole: it says what the pictures should not show.
     */
    List<WeightedText> vectorTexts() {
        if (fired() == false) {
            return options.weightedTexts();
        }
        List<WeightedText> out = new ArrayList<>();
        for (WeightedText text : options.weightedTexts()) {
            String rest = text.positive() ? ProperNounDetector.without(text.text(), found) : text.text();
            if (rest.isEmpty() == false) {
                out.add(new WeightedText(rest, text.weight()));
            }
        }
        return out;
    }

    /** With only names to go on (and what to avoid) and no image, the vector side would rank noise: it gets weight 0. */
    boolean vectorSideIsNoise() {
        return fired()
            && vectorTexts().stream().noneMatch(WeightedText::positive)
            && options.queryImage() == null
            && options.queryDocument() == null;
    }

    /** What CLIP encodes: the words that are not names, or every word when the names leave none (the vector is then unused). */
    List<WeightedText> textsToEncode() {
        return vectorSideIsNoise() ? options.weightedTexts() : vectorTexts();
    }

    Weights weights() {
        Weights weights = options.weights();
        if (fired() == false) {
            return weights;
        }
        float vector = vectorSideIsNoise() ? 0f : weights.vector();
        float text = options.properNouns() == ClipHybridOptions.ProperNouns.BOOST ? weights.text() * TEXT_BOOST : weights.text();
        return new Weights(vector, text);
    }

    QueryBuilder filter() {
        QueryBuilder filter = options.filter();
        if (fired() == false || options.properNouns() != ClipHybridOptions.ProperNouns.FILTER) {
            return filter;
        }
        BoolQueryBuilder named = new BoolQueryBuilder().filter(ProperNounDetector.matchAll(found, options.textFields()));
        return filter == null ? named : named.filter(filter);
    }

    /** The explanation's account of the rule; empty when it did not fire. */
    String note() {
        if (fired() == false) {
            return "";
        }
        return "; proper nouns " + found + " are rare terms of the text fields: "
            + (options.properNouns() == ClipHybridOptions.ProperNouns.BOOST ? "text weight x" + TEXT_BOOST : "only documents naming them")
            + (vectorSideIsNoise() ? ", no vector side" : ", CLIP encodes " + vectorTexts());
    }
}
