package org.opensearch.cliphybrid.harvest;

import org.opensearch.core.tasks.TaskId;
import org.opensearch.test.OpenSearchTestCase;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

public class HostPacerTests extends OpenSearchTestCase {

    public void testWaitsOnlyForTheSameHostAndOnlyWhatIsLeft() throws InterruptedException {
        long[] now = { 1000 };
        List<Long> sleeps = new ArrayList<>();
        HostPacer pacer = new HostPacer(500, () -> now[0], ms -> {
            sleeps.add(ms);
            now[0] += ms;
        });
        pacer.awaitTurn("a");
        pacer.done("a");
        pacer.awaitTurn("b");
        pacer.done("b");
        assertEquals(List.of(), sleeps);
        now[0] += 200;
        pacer.awaitTurn("a");
        assertEquals(List.of(300L), sleeps);
        pacer.done("a");
        now[0] += 600;
        pacer.awaitTurn("a");
        assertEquals(List.of(300L), sleeps);
    }

    /** A pause of the longest host delay, on the real clock, ends within a second of the harvest task being cancelled. */
    public void testCancellingTheTaskEndsThePause() throws Exception {
        HarvestTask task = new HarvestTask(1, "transport", HarvestAction.NAME, "test harvest", TaskId.EMPTY_TASK_ID, Map.of());
        HostPacer pacer = HostPacer.realTime(HarvestRequest.MAX_HOST_DELAY.millis(), task::sleepUnlessCancelled);
        pacer.done("a");
        Thread waiter = new Thread(() -> {
            try {
                pacer.awaitTurn("a");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "test-pacer");
        waiter.start();
        Thread.sleep(200);
        assertTrue("still pausing before the cancel", waiter.isAlive());
        long cancelledAt = System.nanoTime();
        task.cancel("test");
        waiter.join(1000);
        long tookMillis = (System.nanoTime() - cancelledAt) / 1_000_000;
        boolean slept = waiter.isAlive();
        if (slept) {
            waiter.interrupt();
            waiter.join();
        }
        assertFalse("still pausing " + tookMillis + " ms after the cancel", slept);
    }
}
