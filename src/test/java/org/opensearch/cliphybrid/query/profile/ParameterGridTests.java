package org.opensearch.cliphybrid.query.profile;


import org.opensearch.cliphybrid.query.ClipHybridOptions;
import org.opensearch.cliphybrid.query.ClipHybridOptions.Fusion;
import org.opensearch.cliphybrid.query.fusion.Calibration;
import org.opensearch.cliphybrid.query.fusion.Normalization;
import org.opensearch.cliphybrid.query.fusion.Weights;
import org.opensearch.test.OpenSearchTestCase;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

public class ParameterGridTests extends OpenSearchTestCase {
    private static final Calibration NODE = new Calibration(0.15f, 0.35f, 0.5f);
    private static final ClipHybridOptions QUERY = ClipHybridOptions.builder().vectorField("v").queryText("dog").textFields(List.of("title")).build();

    public void testTheGridIsTheProductOfTheDimensionsOfEachMode() {
        ParameterGrid grid = ParameterGrid.standard(NODE);
        List<Map<String, Object>> points = grid.points();
        // calibrated: 5 weights x 4 text floors x 3 bands; rrf: 5 weights x 2 rank constants; linear: 5 weights x 2 normalizations
        assertEquals(60 + 10 + 10, points.size());
        assertEquals(points.size(), grid.size());
        assertEquals(points.size(), new HashSet<>(points).size());
        for (Map<String, Object> p : points) {
            String fusion = (String) p.get("fusion");
            Set<String> expected = switch (fusion) {
                case "calibrated" -> Set.of("fusion", "weights", "text_floor", "vector_calibration");
                case "rrf" -> Set.of("fusion", "weights", "rank_constant");
                default -> Set.of("fusion", "weights", "normalization");
            };
            assertEquals(p.toString(), expected, p.keySet());
        }
    }

    public void testTheBandAndTheSaturationCentreOnTheNodes() {
        ParameterGrid grid = ParameterGrid.standard(NODE);
        ParameterGrid.Dimension band = grid.dimensions().stream().filter(d -> d.name().equals("vector_calibration")).findFirst().orElseThrow();
        assertEquals(
            List.of(Map.of("cosine_low", 0.1f, "cosine_high", 0.3f), Map.of("cosine_low", 0.15f, "cosine_high", 0.35f), Map.of("cosine_low", 0.2f, "cosine_high", 0.4f)),
            band.values()
        );
        ParameterGrid.Dimension saturation = grid.dimensions().stream().filter(d -> d.name().equals("text_floor")).findFirst().orElseThrow();
        assertEquals(List.of(0.3f, 0.4f, 0.5f, 0.6f), saturation.values());
        // a band at the edge loses the shift that would leave [-1, 1]
        ParameterGrid edge = ParameterGrid.standard(new Calibration(0.5f, 1f, 0.5f));
        assertEquals(2, edge.dimensions().get(3).values().size());
    }

    public void testTheNodesDefaultsArePointsOfTheGrid() {
        // so the best fitted point is never worse on the fitted queries than a query without fusion options
        assertTrue(
            ParameterGrid.standard(NODE).points().contains(
                Map.of("fusion", "calibrated", "weights", Map.of("vector", 1f, "text", 1f), "text_floor", 0.5f, "vector_calibration", Map.of("cosine_low", 0.15f, "cosine_high", 0.35f))
            )
        );
    }

    public void testAPointGoesIntoTheOptionsThroughTheBuilder() {
        ParameterGrid grid = ParameterGrid.standard(NODE);
        Map<String, Object> calibrated = grid.points().get(0);
        ClipHybridOptions o = grid.apply(QUERY, calibrated, Set.of());
        assertEquals(Fusion.CALIBRATED, o.fusion());
        assertEquals(new Weights(1, 3), o.weights());
        assertEquals(0.3f, o.textFloor(), 1e-6);
        assertEquals(0.1f, o.cosineLow(), 0);
        assertEquals(0.3f, o.cosineHigh(), 0);
        assertEquals(QUERY.queryTexts(), o.queryTexts());
        Map<String, Object> linear = grid.points().get(grid.points().size() - 1);
        o = grid.apply(QUERY, linear, Set.of());
        assertEquals(Fusion.LINEAR, o.fusion());
        assertEquals(Normalization.Z_SCORE, o.normalization());
        assertEquals(new Weights(3, 1), o.weights());
        // skipped names keep the options' own values
        o = grid.apply(QUERY.toBuilder().weights(new Weights(5, 1)).build(), linear, Set.of("weights"));
        assertEquals(new Weights(5, 1), o.weights());
    }

    public void testEveryNameAProfileMaySet() {
        assertEquals(Set.of("fusion", "weights", "text_floor", "vector_calibration", "rank_constant", "normalization"), ParameterGrid.NAMES);
        assertEquals(List.of("bogus"), ParameterGrid.standard(NODE).unknown(Map.of("bogus", 1, "fusion", "rrf")));
    }

    public void testTheFirstDimensionIsTheFusionMode() {
        IllegalArgumentException e = expectThrows(IllegalArgumentException.class, () -> new ParameterGrid(List.of()));
        assertEquals("the first dimension of a parameter grid is [fusion]", e.getMessage());
    }

    public void testBadValuesNameTheParameter() {
        ParameterGrid grid = ParameterGrid.standard(NODE);
        IllegalArgumentException e = expectThrows(IllegalArgumentException.class, () -> grid.apply(QUERY, Map.of("fusion", "bm25"), Set.of()));
        assertEquals("[fusion] must be one of calibrated, rrf, linear, got [bm25]", e.getMessage());
        e = expectThrows(IllegalArgumentException.class, () -> grid.apply(QUERY, Map.of("weights", Map.of("vector", "x")), Set.of()));
        assertEquals("[weights.vector] must be a number, got [x]", e.getMessage());
        e = expectThrows(IllegalArgumentException.class, () -> grid.apply(QUERY, Map.of("text_floor", -1), Set.of()));
        assertEquals("[text_floor] must be between 0 and 1 (a fraction of the best BM25), got -1.0", e.getMessage());
    }
}
