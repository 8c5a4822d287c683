package org.opensearch.cliphybrid.model;

import org.opensearch.test.OpenSearchTestCase;

import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

public class DirectFloatPoolTests extends OpenSearchTestCase {

    public void testAGivenBackBufferIsReused() {
        try (DirectFloatPool pool = new DirectFloatPool(4)) {
            DirectFloatPool.Lease first = pool.acquire(150_528);
            FloatBuffer floats = first.floats();
            assertTrue(floats.isDirect());
            assertEquals(ByteOrder.nativeOrder(), floats.order());
            assertEquals(150_528, floats.remaining());
            first.close();
            for (int i = 0; i < 10; i++) {
                try (DirectFloatPool.Lease again = pool.acquire(150_528)) {
                    assertEquals(150_528, again.floats().remaining());
                }
            }
            assertEquals("one buffer served every lease", 1, pool.allocations());
            // a smaller request fits in the spare one too, and sees only the size it asked for
            try (DirectFloatPool.Lease smaller = pool.acquire(10)) {
                assertEquals(10, smaller.floats().capacity());
            }
            assertEquals(1, pool.allocations());
        }
    }

    public void testLeasesHeldTogetherHaveTheirOwnBuffers() {
        try (DirectFloatPool pool = new DirectFloatPool(4)) {
            DirectFloatPool.Lease a = pool.acquire(16);
            DirectFloatPool.Lease b = pool.acquire(16);
            a.floats().put(0, 1f);
            b.floats().put(0, 2f);
            assertEquals(1f, a.floats().get(0), 0f);
            assertEquals(2f, b.floats().get(0), 0f);
            assertEquals(2, pool.allocations());
            a.close();
            b.close();
        }
    }

    public void testClosingTwiceGivesBackOnce() {
        try (DirectFloatPool pool = new DirectFloatPool(4)) {
            DirectFloatPool.Lease lease = pool.acquire(16);
            lease.close();
            lease.close();
            assertEquals(1, pool.spare());
            DirectFloatPool.Lease a = pool.acquire(16);
            DirectFloatPool.Lease b = pool.acquire(16);
            assertEquals("the second lease could not have the first one's buffer", 2, pool.allocations());
            IllegalStateException e = expectThrows(IllegalStateException.class, lease::floats);
            assertTrue(e.getMessage(), e.getMessage().contains("given back"));
            a.close();
            b.close();
        }
    }

    public void testKeepsAtMostMaxSpare() {
        try (DirectFloatPool pool = new DirectFloatPool(2)) {
            List<DirectFloatPool.Lease> leases = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                leases.add(pool.acquire(1024));
            }
            leases.forEach(DirectFloatPool.Lease::close);
            assertEquals(2, pool.spare());
            assertEquals(6, pool.allocations());
        }
    }

    /** Freed means freed now: on Java 22+ the memory's arena is closed, so a stale view fails instead of reading freed memory. */
    public void testDroppedBuffersAreFreedAtOnce() {
        assumeTrue("explicit freeing is observable through arenas (Java 22+)", Runtime.version().feature() >= 22);
        DirectFloatPool pool = new DirectFloatPool(0);
        DirectFloatPool.Lease lease = pool.acquire(16);
        FloatBuffer stale = lease.floats();
        stale.put(0, 1f);
        lease.close();
        assertEquals(0, pool.spare());
        expectThrows(IllegalStateException.class, () -> stale.get(0));

        DirectFloatPool.Lease held = pool.acquire(16);
        FloatBuffer heldView = held.floats();
        pool.close();
        heldView.put(0, 3f);
        assertEquals("a leased buffer outlives the pool's close", 3f, heldView.get(0), 0f);
        held.close();
        expectThrows(IllegalStateException.class, () -> heldView.get(0));
        expectThrows(IllegalStateException.class, () -> pool.acquire(16));
    }

    public void testConcurrentLeasesNeverShareABuffer() throws Exception {
        try (DirectFloatPool pool = new DirectFloatPool(3)) {
            int threads = 8;
            CountDownLatch start = new CountDownLatch(1);
            AtomicReference<String> clash = new AtomicReference<>();
            List<Thread> workers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                float mark = t + 1;
                Thread worker = new Thread(() -> {
                    try {
                        start.await();
                        for (int i = 0; i < 2_000; i++) {
                            try (DirectFloatPool.Lease lease = pool.acquire(64)) {
                                FloatBuffer floats = lease.floats();
                                for (int j = 0; j < 64; j++) {
                                    floats.put(j, mark);
                                }
                                Thread.yield();
                                for (int j = 0; j < 64; j++) {
                                    if (floats.get(j) != mark) {
                                        clash.compareAndSet(null, "thread " + mark + " saw " + floats.get(j));
                                    }
                                }
                            }
                        }
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                });
                worker.start();
                workers.add(worker);
            }
            start.countDown();
            for (Thread worker : workers) {
                worker.join();
            }
            assertNull(clash.get(), clash.get());
            assertTrue(pool.spare() <= 3);
            assertTrue("reuse: " + pool.allocations(), pool.allocations() <= threads + 3L);
        }
    }
}
