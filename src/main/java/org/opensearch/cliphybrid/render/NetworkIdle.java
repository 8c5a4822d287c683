package org.opensearch.cliphybrid.render;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * Whether a page's network has settled: no request in flight for a quiet period. Fed with the page's Network events
 * ({@code requestWillBeSent} starts a request, {@code loadingFinished} and {@code loadingFailed} end it; a redirect reuses the
 * request id, so it stays one request). The clock is a parameter so that tests check the rule without waiting.
 */
final class NetworkIdle {
    private final LongSupplier clockMillis;
    private final Set<String> inFlight = new HashSet<>();
    private long lastChange;

    NetworkIdle(LongSupplier clockMillis) {
        this.clockMillis = clockMillis;
        this.lastChange = clockMillis.getAsLong();
    }

    /** Takes the Network events and ignores the rest. */
    synchronized void onEvent(String method, Map<String, Object> params) {
        Object id = params.get("requestId");
        if (id == null) {
            return;
        }
        boolean changed = switch (method) {
            case "Network.requestWillBeSent" -> inFlight.add(id.toString()) || true;
            case "Network.loadingFinished", "Network.loadingFailed" -> inFlight.remove(id.toString());
            default -> false;
        };
        if (changed) {
            lastChange = clockMillis.getAsLong();
            notifyAll();
        }
    }

    /** A new navigation: what the last page left in flight (a long poll, a stalled stream) no longer counts. */
    synchronized void reset() {
        inFlight.clear();
        lastChange = clockMillis.getAsLong();
    }

    synchronized int inFlight() {
        return inFlight.size();
    }

    /** Milliseconds until the network counts as settled, 0 if it has, or -1 while a request is in flight. */
    synchronized long quietIn(long quietMillis) {
        if (inFlight.isEmpty() == false) {
            return -1;
        }
        return Math.max(0, lastChange + quietMillis - clockMillis.getAsLong());
    }

    /**
     * Waits until nothing has been in flight for {@code quietMillis}, at least {@code quietMillis} from now, or until the clock
     * reaches {@code deadlineMillis}. Returns whether the network settled.
     */
    synchronized boolean await(long quietMillis, long deadlineMillis) throws InterruptedException {
        lastChange = Math.max(lastChange, clockMillis.getAsLong());
        while (true) {
            long wait = quietIn(quietMillis);
            if (wait == 0) {
                return true;
            }
            long left = deadlineMillis - clockMillis.getAsLong();
            if (left <= 0) {
                return false;
            }
            wait(wait < 0 ? Math.min(left, 100) : Math.min(wait, left));
        }
    }
}
