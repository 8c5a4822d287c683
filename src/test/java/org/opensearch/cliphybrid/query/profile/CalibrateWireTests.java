package org.opensearch.cliphybrid.query.profile;

import org.opensearch.cliphybrid.calibrate.CalibrateResponse;
import org.opensearch.cliphybrid.calibrate.ProfileRequest;


import org.opensearch.common.io.stream.BytesStreamOutput;
import org.opensearch.common.xcontent.XContentHelper;
import org.opensearch.common.xcontent.json.JsonXContent;
import org.opensearch.core.common.bytes.BytesReference;
import org.opensearch.core.common.io.stream.StreamInput;
import org.opensearch.core.xcontent.MediaTypeRegistry;
import org.opensearch.core.xcontent.ToXContent;
import org.opensearch.test.OpenSearchTestCase;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Writeable and ToXContent of the response and of a profile, which is also read back from its stored JSON. */
public class CalibrateWireTests extends OpenSearchTestCase {
    private static Map<String, Object> parameters() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("fusion", "calibrated");
        p.put("weights", Map.of("vector", 1f, "text", 2f));
        p.put("text_floor", 0.4f);
        p.put("vector_calibration", Map.of("cosine_low", 0.3f, "cosine_high", 0.8f));
        return p;
    }

    private static CalibrateResponse response(String profile) {
        return new CalibrateResponse(
            "ndcg@10",
            new CalibrateResponse.Part(14, new MetricValues(10, 0.5, 0.6, 0.4), new MetricValues(10, 0.7, 0.8, 0.6)),
            new CalibrateResponse.Part(6, new MetricValues(10, 0.45, 0.5, 0.35), new MetricValues(10, 0.65, 0.7, 0.55)),
            parameters(),
            80,
            1234,
            profile
        );
    }

    public void testResponseRoundTrip() throws IOException {
        for (String profile : new String[] { null, "flickr" }) {
            CalibrateResponse r = response(profile);
            try (BytesStreamOutput out = new BytesStreamOutput()) {
                r.writeTo(out);
                try (StreamInput in = out.bytes().streamInput()) {
                    assertEquals(r, new CalibrateResponse(in));
                }
            }
        }
    }

    public void testResponseJson() throws IOException {
        Map<String, Object> json = XContentHelper.convertToMap(
            BytesReference.bytes(response("flickr").toXContent(JsonXContent.contentBuilder(), ToXContent.EMPTY_PARAMS)),
            true,
            MediaTypeRegistry.JSON
        ).v2();
        assertEquals(List.of("metric", "train", "holdout", "parameters", "grid_points", "took_ms", "profile"), List.copyOf(json.keySet()));
        assertEquals("ndcg@10", json.get("metric"));
        Map<?, ?> holdout = (Map<?, ?>) json.get("holdout");
        assertEquals(6, holdout.get("queries"));
        assertEquals(Map.of("ndcg@10", 0.65, "recall@10", 0.7, "mrr@10", 0.55), holdout.get("best"));
        assertEquals(Map.of("ndcg@10", 0.45, "recall@10", 0.5, "mrr@10", 0.35), holdout.get("default"));
        assertEquals(80, json.get("grid_points"));
        assertEquals("calibrated", ((Map<?, ?>) json.get("parameters")).get("fusion"));
        Map<String, Object> without = XContentHelper.convertToMap(
            BytesReference.bytes(response(null).toXContent(JsonXContent.contentBuilder(), ToXContent.EMPTY_PARAMS)),
            true,
            MediaTypeRegistry.JSON
        ).v2();
        assertFalse(without.containsKey("profile"));
    }

    public void testProfileRoundTrips() throws IOException {
        Profile p = new Profile("flickr_v1", "images", "mini-clip", parameters(), "mrr@10", new MetricValues(10, 0.7, 0.8, 0.6), new MetricValues(10, 0.6, 0.7, 0.5), 1_700_000_000_000L);
        try (BytesStreamOutput out = new BytesStreamOutput()) {
            p.writeTo(out);
            try (StreamInput in = out.bytes().streamInput()) {
                assertEquals(p, new Profile(in));
            }
        }
        // the stored document reads back as the same profile (numbers come back as JSON gives them)
        Map<String, Object> source = XContentHelper.convertToMap(
            BytesReference.bytes(p.toXContent(JsonXContent.contentBuilder(), ToXContent.EMPTY_PARAMS)),
            true,
            MediaTypeRegistry.JSON
        ).v2();
        assertEquals("2023-11-14T22:13:20Z", source.get("created"));
        Profile back = Profile.fromSource(source);
        assertEquals(p.name(), back.name());
        assertEquals(p.index(), back.index());
        assertEquals(p.model(), back.model());
        assertEquals(p.metric(), back.metric());
        assertEquals(p.train(), back.train());
        assertEquals(p.holdout(), back.holdout());
        assertEquals(p.createdMillis(), back.createdMillis());
        assertEquals("calibrated", back.parameters().get("fusion"));
        assertEquals(0.4, ((Number) back.parameters().get("text_floor")).doubleValue(), 1e-6);
    }

    public void testProfileNames() {
        Profile.checkName("profile", "a-b_9");
        Profile.checkName("profile", "x".repeat(64));
        for (String bad : new String[] { "", "A", "a b", "a/b", "é", "x".repeat(65), "..", "a.b" }) {
            IllegalArgumentException e = expectThrows(IllegalArgumentException.class, () -> Profile.checkName("profile", bad));
            assertEquals("[profile] must be 1 to 64 characters of [a-z0-9_-], got [" + bad + "]", e.getMessage());
        }
        expectThrows(IllegalArgumentException.class, () -> new ProfileRequest("Nope"));
    }
}
