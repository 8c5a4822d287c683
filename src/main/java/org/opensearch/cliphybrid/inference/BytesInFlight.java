package org.opensearch.cliphybrid.inference;

import org.opensearch.core.concurrency.OpenSearchRejectedExecutionException;

/**
 * A node-wide budget for the image bytes held between reading an image and the end of its inference: the encoded bytes, the
 * decoded pixels and the model input. A reservation that would go over it is refused at once with a 429 (retryable) rather
 * than waiting, so that concurrent bulks of large images cannot exhaust the heap and no thread ever blocks on the budget.
 * A lone image may exceed the budget when nothing else is held, or an image the other limits accept could never be ingested.
 */
public final class BytesInFlight {
    private volatile long limit;
    private long used;

    public BytesInFlight(long limit) {
        this.limit = limit;
    }

    public void setLimit(long limit) {
        this.limit = limit;
    }

    /**
     * Reserves {@code bytes} for {@code what}, which already holds {@code ownHeld} (an image reserves in steps, as it learns
     * its sizes, and must not be refused for its own earlier steps); release them with {@link #release}.
     */
    public synchronized void reserve(long bytes, long ownHeld, String what) {
        if (bytes <= 0) {
            return;
        }
        if (used > ownHeld && used + bytes > limit) {
            throw new OpenSearchRejectedExecutionException(
                "too many image bytes in flight on this node: " + used + " held, " + bytes + " more needed for " + what
                    + ", limit " + limit + " (clip.ingest.max_bytes_in_flight); retry later"
            );
        }
        used += bytes;
    }

    public synchronized void release(long bytes) {
        if (bytes > 0) {
            used -= bytes;
            assert used >= 0 : "released more than reserved";
        }
    }

    public synchronized long used() {
        return used;
    }
}
