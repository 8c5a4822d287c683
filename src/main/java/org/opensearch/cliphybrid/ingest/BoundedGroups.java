package org.opensearch.cliphybrid.ingest;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;

/**
 * Runs groups {@code 0..count-1} in order with at most {@code maxInFlight} of them started and not yet finished, then calls
 * {@code allDone} once. A bulk of thousands of images is so taken in bounded windows: it never queues more than its window on
 * the fetch pool, and its later images wait for room that its earlier ones free instead of being refused.
 *
 * <p>A group may finish on the thread that starts it (a group without images); starting the next group from there would
 * recurse once per group, so one thread at a time starts groups, and a finish that arrives meanwhile leaves the starting to it.
 */
final class BoundedGroups {
    /** Starts group {@code index}; the group reports its end through {@link BoundedGroups#finished()}. */
    interface Starter {
        void start(int index, BoundedGroups groups);
    }

    private final int count;
    private final int maxInFlight;
    private final Starter starter;
    private final Runnable allDone;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger done = new AtomicInteger();
    private final AtomicInteger starting = new AtomicInteger();
    private int next;

    BoundedGroups(int count, int maxInFlight, Starter starter, Runnable allDone) {
        if (maxInFlight < 1) {
            throw new IllegalArgumentException("maxInFlight must be at least 1, got " + maxInFlight);
        }
        this.count = count;
        this.maxInFlight = maxInFlight;
        this.starter = starter;
        this.allDone = allDone;
    }

    void run() {
        if (count == 0) {
            allDone.run();
            return;
        }
        startWhatFits();
    }

    /** Called once by each group when it has ended. */
    void finished() {
        inFlight.decrementAndGet();
        if (done.incrementAndGet() == count) {
            allDone.run();
            return;
        }
        startWhatFits();
    }

    private void startWhatFits() {
        if (starting.getAndIncrement() != 0) {
            return;
        }
        do {
            // only the thread that moved `starting` from 0 gets here, so `next` has one writer at a time; the atomics order it
            while (next < count && inFlight.get() < maxInFlight) {
                inFlight.incrementAndGet();
                starter.start(next++, this);
            }
        } while (starting.decrementAndGet() != 0);
    }
}
