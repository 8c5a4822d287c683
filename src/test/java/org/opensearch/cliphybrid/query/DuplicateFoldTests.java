package org.opensearch.cliphybrid.query;

import org.opensearch.cliphybrid.model.Vectors;
import org.opensearch.common.io.stream.BytesStreamOutput;
import org.opensearch.core.common.io.stream.StreamInput;
import org.opensearch.test.OpenSearchTestCase;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

public class DuplicateFoldTests extends OpenSearchTestCase {
    private static DuplicateFold.Candidate hit(String id, float... v) {
        return new DuplicateFold.Candidate("idx", id, v.length == 0 ? null : Vectors.normalise(v.clone()));
    }

    public void testFoldsEachHitIntoTheBestKeptHitCloseEnough() {
        List<DuplicateFold.Kept> kept = DuplicateFold.fold(
            List.of(
                hit("dog-600", 1, 0, 0),
                hit("cat", 0, 1, 0),
                hit("dog-260", 0.99f, 0.05f, 0),
                hit("cat-260", 0.02f, 1, 0),
                hit("bird", 0, 0, 1)
            ),
            0.95f
        );
        assertEquals(
            List.of(new DuplicateFold.Kept("idx", "dog-600", 1), new DuplicateFold.Kept("idx", "cat", 1), new DuplicateFold.Kept("idx", "bird", 0)),
            kept
        );
    }

    public void testTheThresholdIsInclusiveAndOnlyKeptHitsAreComparedWith() {
        // cosines: a-b 0.96, b-c 0.96, a-c 0.84: b folds into a, so c has only a to compare with and stays
        double angle = Math.acos(0.96);
        float[] a = { 1, 0 };
        float[] b = { (float) Math.cos(angle), (float) Math.sin(angle) };
        float[] c = { (float) Math.cos(2 * angle), (float) Math.sin(2 * angle) };
        List<DuplicateFold.Kept> kept = DuplicateFold.fold(List.of(hit("a", a), hit("b", b), hit("c", c)), 0.95f);
        assertEquals(List.of("a", "c"), kept.stream().map(DuplicateFold.Kept::id).toList());
        assertEquals(1, kept.get(0).folded());
        float exact = (float) DuplicateFold.dot(Vectors.normalise(a.clone()), Vectors.normalise(b.clone()));
        assertEquals(1, DuplicateFold.fold(List.of(hit("a", a), hit("b", b)), exact).size());
        assertEquals(2, DuplicateFold.fold(List.of(hit("a", a), hit("b", b)), exact + 1e-5f).size());
    }

    public void testAHitWithoutAVectorIsNeverFoldedNorFoldsOthers() {
        List<DuplicateFold.Kept> kept = DuplicateFold.fold(List.of(hit("text-only"), hit("x", 1, 0), hit("text-2"), hit("y", 1, 0)), 0.9f);
        assertEquals(List.of("text-only", "x", "text-2"), kept.stream().map(DuplicateFold.Kept::id).toList());
        assertEquals(1, kept.get(1).folded());
    }

    public void testSameIdInTwoIndicesAreTwoHits() {
        List<DuplicateFold.Kept> kept = DuplicateFold.fold(
            List.of(new DuplicateFold.Candidate("a", "1", new float[] { 1, 0 }), new DuplicateFold.Candidate("b", "1", new float[] { 0, 1 })),
            0.95f
        );
        assertEquals(2, kept.size());
    }

    public void testCosineOneFoldsOnlyIdenticalDirections() {
        List<DuplicateFold.Candidate> ranked = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            ranked.add(hit("h" + i, randomFloat(), randomFloat(), randomFloat(), 1));
        }
        ranked.add(hit("copy", ranked.get(7).vector().clone()));
        List<DuplicateFold.Kept> kept = DuplicateFold.fold(ranked, 1f);
        assertFalse(kept.stream().anyMatch(k -> k.id().equals("copy")));
        assertEquals(1, kept.get(7).folded());
        assertEquals(50, kept.size());
    }

    public void testKeptHitsSurviveTheWire() throws IOException {
        for (List<DuplicateFold.Kept> kept : java.util.Arrays.asList(null, List.<DuplicateFold.Kept>of(),
            List.of(new DuplicateFold.Kept("i", "a", 3), new DuplicateFold.Kept("j", "\u00e9", 0)))) {
            try (BytesStreamOutput out = new BytesStreamOutput()) {
                DuplicateFold.writeKept(out, kept);
                try (StreamInput in = out.bytes().streamInput()) {
                    assertEquals(kept, DuplicateFold.readKept(in));
                    assertEquals(0, in.available());
                }
            }
        }
    }
}
