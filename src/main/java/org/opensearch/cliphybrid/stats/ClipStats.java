package org.opensearch.cliphybrid.stats;

import org.opensearch.cliphybrid.image.ImageFailure;

import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/** The live counters of this node's image and text work; {@link #snapshot} turns them into what the stats API reports. */
public final class ClipStats {
    /** The stages an image goes through, each timed on its own, and the text encoder's calls. */
    public enum Stage {
        FETCH,
        DECODE,
        PREPROCESS,
        INFERENCE,
        TEXT_INFERENCE;

        String key() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final LongAdder fetched = new LongAdder();
    private final LongAdder bytes = new LongAdder();
    private final EnumMap<ImageFailure, LongAdder> failures = new EnumMap<>(ImageFailure.class);
    private final LongAdder imageEmbeddings = new LongAdder();
    private final LongAdder textEmbeddings = new LongAdder();
    private final LongAdder batches = new LongAdder();
    private final AtomicInteger maxBatch = new AtomicInteger();
    private final EnumMap<Stage, LatencyRecorder> latency = new EnumMap<>(Stage.class);

    public ClipStats() {
        for (ImageFailure failure : ImageFailure.values()) {
            failures.put(failure, new LongAdder());
        }
        for (Stage stage : Stage.values()) {
            latency.put(stage, new LatencyRecorder());
        }
    }

    /** An image's bytes were read, fetched or taken from the document. */
    public void fetched(long byteCount, long nanos) {
        fetched.increment();
        bytes.add(byteCount);
        latency.get(Stage.FETCH).record(nanos);
    }

    public void stage(Stage stage, long nanos) {
        latency.get(stage).record(nanos);
    }

    public void failed(ImageFailure failure) {
        failures.get(failure).increment();
    }

    /** One call of the image encoder on {@code size} images. */
    public void imageBatch(int size, long nanos) {
        batches.increment();
        imageEmbeddings.add(size);
        maxBatch.accumulateAndGet(size, Math::max);
        latency.get(Stage.INFERENCE).record(nanos);
    }

    /** One call of the text encoder (tokenizer included) on {@code count} texts. */
    public void texts(int count, long nanos) {
        textEmbeddings.add(count);
        latency.get(Stage.TEXT_INFERENCE).record(nanos);
    }

    public NodeClipStats snapshot(Map<String, QueueStats> queues, Map<String, Long> modelLoadMillis) {
        Map<String, Long> failureCounts = new LinkedHashMap<>();
        failures.forEach((failure, count) -> failureCounts.put(failure.key(), count.sum()));
        Map<String, Latency> latencies = new LinkedHashMap<>();
        latency.forEach((stage, recorder) -> latencies.put(stage.key(), recorder.snapshot()));
        return new NodeClipStats(
            fetched.sum(),
            bytes.sum(),
            failureCounts,
            imageEmbeddings.sum(),
            textEmbeddings.sum(),
            batches.sum(),
            maxBatch.get(),
            latencies,
            queues,
            modelLoadMillis
        );
    }
}
