package org.opensearch.cliphybrid.render;

import org.opensearch.test.OpenSearchTestCase;

import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

public class NetworkIdleTests extends OpenSearchTestCase {
    private final AtomicLong clock = new AtomicLong(1000);
    private final NetworkIdle idle = new NetworkIdle(clock::get);

    private void event(String method, String id) {
        idle.onEvent(method, Map.of("requestId", id));
    }

    public void testQuietPeriodRunsFromTheLastRequestEnd() {
        event("Network.requestWillBeSent", "1");
        clock.addAndGet(300);
        assertEquals(-1, idle.quietIn(500));
        event("Network.loadingFinished", "1");
        assertEquals(500, idle.quietIn(500));
        clock.addAndGet(499);
        assertEquals(1, idle.quietIn(500));
        clock.addAndGet(1);
        assertEquals(0, idle.quietIn(500));
    }

    public void testRedirectKeepsOneRequestAndFailureEndsIt() {
        event("Network.requestWillBeSent", "7");
        event("Network.requestWillBeSent", "7");
        assertEquals(1, idle.inFlight());
        event("Network.loadingFailed", "7");
        assertEquals(0, idle.inFlight());
    }

    public void testOtherEventsAndUnknownEndsChangeNothing() {
        clock.addAndGet(1000);
        event("Network.responseReceived", "1");
        event("Network.loadingFinished", "never-started");
        assertEquals(0, idle.quietIn(500));
    }

    public void testResetForgetsWhatThePreviousPageLeftInFlight() {
        event("Network.requestWillBeSent", "long-poll");
        idle.reset();
        assertEquals(0, idle.inFlight());
        assertEquals(500, idle.quietIn(500));
    }

    public void testAwaitGivesUpAtTheDeadline() throws InterruptedException {
        NetworkIdle real = new NetworkIdle(() -> System.nanoTime() / 1_000_000);
        real.onEvent("Network.requestWillBeSent", Map.of("requestId", "stuck"));
        long now = System.nanoTime() / 1_000_000;
        assertFalse(real.await(100, now + 300));
        assertTrue(System.nanoTime() / 1_000_000 - now >= 300);
        real.onEvent("Network.loadingFinished", Map.of("requestId", "stuck"));
        assertTrue(real.await(100, System.nanoTime() / 1_000_000 + 5000));
    }
}
