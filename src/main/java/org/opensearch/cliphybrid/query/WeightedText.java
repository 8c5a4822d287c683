package org.opensearch.cliphybrid.query;

/**
 * One {@code query_text} entry: a weight above 0 pulls the query vector towards the text's embedding and searches its words
 * with that boost; a negative weight pushes the vector away from it and leaves the words side alone.
 */
public record WeightedText(String text, float weight) {
    public WeightedText(String text) {
        this(text, 1f);
    }

    public boolean positive() {
        return weight > 0;
    }

    /** As explanations list the texts CLIP encodes: a weight-1 text as itself. */
    @Override
    public String toString() {
        return weight == 1f ? text : text + " (weight " + weight + ")";
    }
}
