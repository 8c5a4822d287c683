package org.opensearch.cliphybrid.query;

import org.opensearch.core.common.io.stream.StreamInput;
import org.opensearch.core.common.io.stream.StreamOutput;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Greedy near-duplicate folding of a ranked hit list: walking from the best hit down, a hit whose vector has at least the
 * threshold cosine with a hit already kept is folded into the best such hit; any other hit is kept. Only kept hits are compared
 * with, so a chain of small differences (A ~ B ~ C, A not ~ C) keeps C, as a reader comparing each picture with those shown would.
 */
final class DuplicateFold {
    private DuplicateFold() {}

    /**
     * Float rounding: a unit vector's cosine with itself comes out up to a few ulps below 1, and {@code cosine: 1} must still
     * fold byte-identical copies.
     */
    static final double ROUNDING = 1e-6;

    /** A hit of the window in score order; {@code vector} unit length, or null when the document has none (never folded). */
    record Candidate(String index, String id, float[] vector) {}

    /** A hit that stays, with how many hits below it were folded into it. */
    record Kept(String index, String id, int folded) {}

    static List<Kept> fold(List<Candidate> ranked, float cosine) {
        List<Candidate> keptHits = new ArrayList<>();
        int[] folded = new int[ranked.size()];
        for (Candidate hit : ranked) {
            int into = hit.vector() == null ? -1 : firstSimilar(keptHits, hit.vector(), cosine);
            if (into < 0) {
                keptHits.add(hit);
            } else {
                folded[into]++;
            }
        }
        List<Kept> out = new ArrayList<>(keptHits.size());
        for (int i = 0; i < keptHits.size(); i++) {
            out.add(new Kept(keptHits.get(i).index(), keptHits.get(i).id(), folded[i]));
        }
        return out;
    }

    /** The best kept hit close enough to fold into, or -1. */
    private static int firstSimilar(List<Candidate> kept, float[] vector, float cosine) {
        for (int i = 0; i < kept.size(); i++) {
            float[] other = kept.get(i).vector();
            if (other != null && other.length == vector.length && dot(other, vector) >= cosine - ROUNDING) {
                return i;
            }
        }
        return -1;
    }

    static double dot(float[] a, float[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += (double) a[i] * b[i];
        }
        return sum;
    }

    /** The kept hits as the coordinator ships them to the shards; null: not folded (yet). */
    static List<Kept> readKept(StreamInput in) throws IOException {
        if (in.readBoolean() == false) {
            return null;
        }
        int n = in.readVInt();
        List<Kept> kept = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            kept.add(new Kept(in.readString(), in.readString(), in.readVInt()));
        }
        return kept;
    }

    static void writeKept(StreamOutput out, List<Kept> kept) throws IOException {
        out.writeBoolean(kept != null);
        if (kept != null) {
            out.writeVInt(kept.size());
            for (Kept k : kept) {
                out.writeString(k.index());
                out.writeString(k.id());
                out.writeVInt(k.folded());
            }
        }
    }
}
