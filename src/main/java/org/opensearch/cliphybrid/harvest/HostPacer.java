package org.opensearch.cliphybrid.harvest;

import java.util.HashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Keeps at least a minimum delay between the end of one request to a host and the start of the next, for one harvest. The
 * clock and the sleep are parameters so that tests check the waits without waiting.
 */
public final class HostPacer {
    public interface Sleeper {
        void sleep(long millis) throws InterruptedException;
    }

    private final long delayMillis;
    private final LongSupplier clockMillis;
    private final Sleeper sleeper;
    private final Map<String, Long> lastDone = new HashMap<>();

    public HostPacer(long delayMillis, LongSupplier clockMillis, Sleeper sleeper) {
        this.delayMillis = delayMillis;
        this.clockMillis = clockMillis;
        this.sleeper = sleeper;
    }

    /** On the wall clock, sleeping with {@code sleeper}: a harvest's sleeps end when the harvest is cancelled. */
    public static HostPacer realTime(long delayMillis, Sleeper sleeper) {
        // nanoTime: a wall clock set back would otherwise stretch a pause by as much
        return new HostPacer(delayMillis, () -> System.nanoTime() / 1_000_000, sleeper);
    }

    /** Waits until {@code host} may be asked again, or less if the sleeper wakes early; callers check why they woke. */
    public void awaitTurn(String host) throws InterruptedException {
        Long last = lastDone.get(host);
        if (last != null) {
            long wait = last + delayMillis - clockMillis.getAsLong();
            if (wait > 0) {
                sleeper.sleep(wait);
            }
        }
    }

    /** Records that a request to {@code host} has just ended. */
    public void done(String host) {
        lastDone.put(host, clockMillis.getAsLong());
    }
}
