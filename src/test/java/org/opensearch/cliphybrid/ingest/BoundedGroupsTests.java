package org.opensearch.cliphybrid.ingest;

import org.opensearch.test.OpenSearchTestCase;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

public class BoundedGroupsTests extends OpenSearchTestCase {
    public void testGroupsThatFinishAtOnceDoNotRecurse() {
        // a group that ends on the starting thread must not start the next from its own stack: 200,000 of them would overflow it
        AtomicInteger started = new AtomicInteger();
        AtomicInteger allDone = new AtomicInteger();
        new BoundedGroups(200_000, 4, (index, groups) -> {
            started.incrementAndGet();
            groups.finished();
        }, allDone::incrementAndGet).run();
        assertEquals(200_000, started.get());
        assertEquals(1, allDone.get());
    }

    public void testNeverMoreThanTheWindowInFlightAndEveryGroupInOrder() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            int count = 500;
            int window = 3;
            AtomicInteger inFlight = new AtomicInteger();
            AtomicInteger most = new AtomicInteger();
            List<Integer> order = Collections.synchronizedList(new ArrayList<>());
            CountDownLatch allDone = new CountDownLatch(1);
            new BoundedGroups(count, window, (index, groups) -> {
                most.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
                order.add(index);
                pool.execute(() -> {
                    if (randomBoolean()) {
                        Thread.yield();
                    }
                    inFlight.decrementAndGet();
                    groups.finished();
                });
            }, allDone::countDown).run();
            assertTrue(allDone.await(30, TimeUnit.SECONDS));
            assertTrue("at most " + window + " at once, saw " + most.get(), most.get() <= window);
            List<Integer> expected = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                expected.add(i);
            }
            assertEquals("started in order, each once", expected, order);
        } finally {
            pool.shutdown();
        }
    }

    public void testNoGroups() {
        AtomicInteger allDone = new AtomicInteger();
        new BoundedGroups(0, 2, (index, groups) -> fail("nothing to start"), allDone::incrementAndGet).run();
        assertEquals(1, allDone.get());
    }
}
