package org.opensearch.cliphybrid.stats;

import org.opensearch.cliphybrid.image.ImageFailure;
import org.opensearch.common.io.stream.BytesStreamOutput;
import org.opensearch.common.xcontent.XContentHelper;
import org.opensearch.common.xcontent.json.JsonXContent;
import org.opensearch.core.common.bytes.BytesReference;
import org.opensearch.core.common.io.stream.StreamInput;
import org.opensearch.core.xcontent.ToXContent;
import org.opensearch.core.xcontent.XContentBuilder;
import org.opensearch.test.OpenSearchTestCase;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

public class NodeClipStatsTests extends OpenSearchTestCase {
    private static NodeClipStats sample() {
        ClipStats stats = new ClipStats();
        stats.fetched(1000, 2_000_000);
        stats.fetched(3000, 4_000_000);
        stats.stage(ClipStats.Stage.DECODE, 1_500_000);
        stats.failed(ImageFailure.TOO_LARGE);
        stats.failed(ImageFailure.BLOCKED_ADDRESS);
        stats.failed(ImageFailure.BLOCKED_ADDRESS);
        stats.imageBatch(8, 80_000_000);
        stats.imageBatch(2, 20_000_000);
        stats.texts(3, 9_000_000);
        Map<String, QueueStats> queues = new LinkedHashMap<>();
        queues.put("inference", new QueueStats(1, 5, 2));
        queues.put("fetch", new QueueStats(4, 0, 0));
        return stats.snapshot(queues, Map.of("mini-clip", 812L));
    }

    public void testWriteableRoundTrip() throws IOException {
        NodeClipStats original = sample();
        try (BytesStreamOutput out = new BytesStreamOutput()) {
            original.writeTo(out);
            try (StreamInput in = out.bytes().streamInput()) {
                assertEquals(original, new NodeClipStats(in));
            }
        }
    }

    @SuppressWarnings("unchecked")
    public void testXContentHasTheAgreedShape() throws IOException {
        XContentBuilder builder = JsonXContent.contentBuilder().startObject();
        sample().toXContent(builder, ToXContent.EMPTY_PARAMS);
        Map<String, Object> map = XContentHelper.convertToMap(BytesReference.bytes(builder.endObject()), true, builder.contentType()).v2();
        assertEquals(List.of("images", "embeddings", "batches", "latency_ms", "queue", "models"), List.copyOf(map.keySet()));
        Map<String, Object> images = (Map<String, Object>) map.get("images");
        assertEquals(2, images.get("fetched"));
        assertEquals(4000, images.get("bytes"));
        Map<String, Object> failures = (Map<String, Object>) images.get("failures");
        assertEquals(1, failures.get("too_large"));
        assertEquals(2, failures.get("blocked_address"));
        assertEquals("every cause is listed, so that two reads can be diffed", 0, failures.get("timeout"));
        assertEquals(Map.of("image", 10, "text", 3), map.get("embeddings"));
        assertEquals(Map.of("count", 2, "mean_size", 5.0, "max_size", 8), map.get("batches"));
        Map<String, Object> latency = (Map<String, Object>) map.get("latency_ms");
        assertEquals(List.of("fetch", "decode", "preprocess", "inference", "text_inference"), List.copyOf(latency.keySet()));
        Map<String, Object> fetch = (Map<String, Object>) latency.get("fetch");
        assertEquals(2, fetch.get("count"));
        assertEquals(6.0, ((Number) fetch.get("total")).doubleValue(), 1e-9);
        assertEquals(2.0, ((Number) fetch.get("p50")).doubleValue(), 1e-9);
        assertEquals(4.0, ((Number) fetch.get("p99")).doubleValue(), 1e-9);
        Map<String, Object> text = (Map<String, Object>) latency.get("text_inference");
        assertEquals(1, text.get("count"));
        assertEquals(9.0, ((Number) text.get("total")).doubleValue(), 1e-9);
        assertEquals(Map.of("active", 1, "queued", 5, "rejected", 2), ((Map<String, Object>) map.get("queue")).get("inference"));
        assertEquals(Map.of("mini-clip", Map.of("load_ms", 812)), map.get("models"));
    }

    public void testPercentilesUseNearestRankOverARecentWindow() {
        LatencyRecorder recorder = new LatencyRecorder();
        for (int i = 1; i <= 100; i++) {
            recorder.record(i * 1_000_000L);
        }
        Latency latency = recorder.snapshot();
        assertEquals(100, latency.count());
        assertEquals(5050.0, latency.total(), 1e-6);
        assertEquals(50.0, latency.p50(), 1e-9);
        assertEquals(95.0, latency.p95(), 1e-9);
        assertEquals(99.0, latency.p99(), 1e-9);
        // old samples leave the window, so the percentiles follow the present; count and total keep everything
        for (int i = 0; i < LatencyRecorder.WINDOW; i++) {
            recorder.record(7_000_000L);
        }
        latency = recorder.snapshot();
        assertEquals(100 + LatencyRecorder.WINDOW, latency.count());
        assertEquals(7.0, latency.p99(), 1e-9);
    }
}
