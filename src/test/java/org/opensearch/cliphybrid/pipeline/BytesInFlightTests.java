package org.opensearch.cliphybrid.pipeline;

import org.opensearch.core.concurrency.OpenSearchRejectedExecutionException;
import org.opensearch.test.OpenSearchTestCase;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

public class BytesInFlightTests extends OpenSearchTestCase {
    public void testRefusesAtOnceWhatGoesOverTheLimitWhileOtherRequestsHoldBytes() {
        BytesInFlight budget = new BytesInFlight(100);
        budget.reserve(0, 60, 0, budget.share(), "a");
        budget.reserve(0, 40, 0, budget.share(), "b");
        long start = System.nanoTime();
        OpenSearchRejectedExecutionException e = expectThrows(
            OpenSearchRejectedExecutionException.class,
            () -> budget.reserve(1, 0, 0, budget.share(), "c")
        );
        assertTrue("no image is decoding, so nothing to wait for", System.nanoTime() - start < TimeUnit.SECONDS.toNanos(1));
        assertTrue(e.getMessage(), e.getMessage().contains("plugins.clip.ingest.max_bytes_in_flight"));
        assertTrue(e.getMessage(), e.getMessage().contains("for c"));
        assertEquals(100, budget.used());
    }

    public void testARequestIsNeverRefusedForTheRoomItHoldsItself() {
        BytesInFlight budget = new BytesInFlight(100);
        BytesInFlight.Share bulk = budget.share();
        budget.reserve(0, 90, 0, bulk, "earlier items");
        budget.reserve(0, 500, 0, bulk, "a later item");
        assertEquals(590, budget.used());
        expectThrows(OpenSearchRejectedExecutionException.class, () -> budget.reserve(0, 10, 0, budget.share(), "another request"));
        budget.release(0, 590, bulk);
        assertEquals(0, budget.used());
    }

    public void testWaitsForTheImagesBeingDecodedInsteadOfFailing() throws Exception {
        BytesInFlight budget = new BytesInFlight(100);
        BytesInFlight.Share bulk = budget.share();
        budget.reserve(80, 0, 0, bulk, "an image being decoded");
        CompletableFuture<Long> next = async(() -> {
            budget.reserve(50, 10, 0, budget.share(), "the next image");
            return budget.used();
        });
        Thread.sleep(200);
        assertFalse("waits while the decoding image holds the room", next.isDone());
        budget.release(80, 0, bulk);
        assertEquals(Long.valueOf(60), next.get(5, TimeUnit.SECONDS));
    }

    public void testAWaitThatTimesOutIsARejectionWhenOthersHoldTheRoom() {
        BytesInFlight budget = new BytesInFlight(100, TimeUnit.MILLISECONDS.toNanos(200));
        budget.reserve(80, 0, 0, budget.share(), "a decoding image of another request");
        long start = System.nanoTime();
        expectThrows(OpenSearchRejectedExecutionException.class, () -> budget.reserve(50, 0, 0, budget.share(), "c"));
        long waited = System.nanoTime() - start;
        assertTrue(waited + " ns", waited >= TimeUnit.MILLISECONDS.toNanos(150) && waited < TimeUnit.SECONDS.toNanos(5));
    }

    public void testALoneImageMayGoOverTheWholeBudget() {
        BytesInFlight budget = new BytesInFlight(100);
        BytesInFlight.Share share = budget.share();
        budget.reserve(500, 600, 0, share, "big");
        budget.reserve(1000, 0, 500, share, "big, its decoded pixels");
        assertEquals(2100, budget.used());
        budget.release(1500, 600, share);
        assertEquals(0, budget.used());
    }

    public void testImagesThatWaitHoldingBytesDoNotWaitForEachOther() throws Exception {
        BytesInFlight budget = new BytesInFlight(100);
        BytesInFlight.Share bulk = budget.share();
        // two images of one bulk hold their encoded bytes and both need more room to decode: neither can free any for the other
        budget.reserve(60, 0, 0, bulk, "a, encoded");
        budget.reserve(30, 0, 0, bulk, "b, encoded");
        CompletableFuture<Long> a = async(() -> {
            budget.reserve(50, 0, 60, bulk, "a, decoded");
            return 110L;
        });
        CompletableFuture<Long> b = async(() -> {
            budget.reserve(50, 0, 30, bulk, "b, decoded");
            return 80L;
        });
        // one of them goes ahead at once (over the limit: only this bulk holds bytes), the other waits for it to finish
        CompletableFuture.anyOf(a, b).get(5, TimeUnit.SECONDS);
        Thread.sleep(200);
        assertFalse("the second waits for the first, which decodes", a.isDone() && b.isDone());
        budget.release(a.isDone() ? a.get() : b.get(), 0, bulk);
        CompletableFuture.allOf(a, b).get(5, TimeUnit.SECONDS);
    }

    public void testTheLimitCanChange() {
        BytesInFlight budget = new BytesInFlight(100);
        budget.reserve(0, 50, 0, budget.share(), "a");
        budget.setLimit(60);
        expectThrows(OpenSearchRejectedExecutionException.class, () -> budget.reserve(0, 20, 0, budget.share(), "b"));
        budget.setLimit(70);
        budget.reserve(0, 20, 0, budget.share(), "b");
    }

    /** On a thread of its own: the common fork-join pool does not run tasks under the test framework. */
    private static <T> CompletableFuture<T> async(Supplier<T> work) {
        CompletableFuture<T> result = new CompletableFuture<>();
        Thread thread = new Thread(() -> {
            try {
                result.complete(work.get());
            } catch (RuntimeException e) {
                result.completeExceptionally(e);
            }
        });
        thread.setDaemon(true);
        thread.start();
        return result;
    }
}
