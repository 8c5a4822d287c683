package org.opensearch.cliphybrid.pipeline;

import org.opensearch.core.concurrency.OpenSearchRejectedExecutionException;

import java.util.concurrent.TimeUnit;

/**
 * A node-wide budget for the image bytes held between reading an image and the end of its inference: the encoded bytes and
 * the decoded pixels while an image is being prepared ({@code passing} bytes, given back when its preparation ends), and the
 * model input until its batch has run ({@code lasting} bytes).
 *
 * <p>Bytes are held on behalf of a request ({@link Share}: one bulk, one {@code _embed}, one query image), because the two
 * ways of running out of room need opposite answers. A request that finds the budget spent by other requests is refused at
 * once with a 429: the node is really overloaded, and the client retries. A request that finds it spent by itself, like a lone
 * bulk of thousands of large photos, must not fail its own later items for room its earlier items hold: it waits. A wait only
 * ever waits for passing bytes, whose holders are decoding and never wait themselves, so every wait ends; while no passing
 * bytes are held (or the wait times out), a reservation is refused when other requests hold bytes, and otherwise goes through
 * even past the limit, since nothing would free room for it: an image bigger than the whole budget is ingested alone, and a
 * request's own lasting bytes are bounded by its window of images in flight. An image that waits may itself hold passing
 * bytes (its encoded bytes, while it waits to decode): those are not waited for, or two such images would wait for each other.
 */
public final class BytesInFlight {
    /** How long a reservation waits for room before it is refused after all. */
    private static final long MAX_WAIT_NANOS = TimeUnit.SECONDS.toNanos(10);

    /** The bytes one request holds. */
    public static final class Share {
        private long held;
    }

    private final long maxWaitNanos;
    private volatile long limit;
    private long used;
    private long passing;
    /** The passing bytes of the images that are waiting: no use waiting for those. */
    private long passingOfWaiters;

    public BytesInFlight(long limit) {
        this(limit, MAX_WAIT_NANOS);
    }

    BytesInFlight(long limit, long maxWaitNanos) {
        this.limit = limit;
        this.maxWaitNanos = maxWaitNanos;
    }

    public synchronized void setLimit(long limit) {
        this.limit = limit;
        notifyAll();
    }

    public Share share() {
        return new Share();
    }

    /**
     * Reserves {@code passing} plus {@code lasting} bytes for {@code what}, which already holds {@code ownPassing} passing
     * bytes, on behalf of {@code share}, waiting (at most ten seconds) while images being decoded hold the room it needs.
     * Give them back with {@link #release}.
     *
     * @throws OpenSearchRejectedExecutionException when there is no room and other requests hold bytes (HTTP 429)
     */
    public synchronized void reserve(long passing, long lasting, long ownPassing, Share share, String what) {
        long bytes = passing + lasting;
        if (bytes <= 0) {
            return;
        }
        long deadline = System.nanoTime() + maxWaitNanos;
        while (used + bytes > limit && this.passing - passingOfWaiters - ownPassing > 0) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                break;
            }
            passingOfWaiters += ownPassing;
            try {
                TimeUnit.NANOSECONDS.timedWait(this, left);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw rejected(bytes, what);
            } finally {
                passingOfWaiters -= ownPassing;
            }
        }
        if (used + bytes > limit && used > share.held) {
            throw rejected(bytes, what);
        }
        used += bytes;
        this.passing += passing;
        share.held += bytes;
    }

    private OpenSearchRejectedExecutionException rejected(long bytes, String what) {
        return new OpenSearchRejectedExecutionException(
            "too many image bytes in flight on this node: " + used + " held, " + bytes + " more needed for " + what + ", limit " + limit
                + " (plugins.clip.ingest.max_bytes_in_flight); retry later"
        );
    }

    /** Gives back bytes that {@link #reserve} took for {@code share}: the same split of passing and lasting bytes. */
    public synchronized void release(long passing, long lasting, Share share) {
        long bytes = passing + lasting;
        if (bytes <= 0) {
            return;
        }
        used -= bytes;
        this.passing -= passing;
        share.held -= bytes;
        assert used >= 0 && this.passing >= 0 && share.held >= 0 : "released more than reserved";
        notifyAll();
    }

    public synchronized long used() {
        return used;
    }
}
