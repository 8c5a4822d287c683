package org.opensearch.cliphybrid.inference;

import org.opensearch.core.concurrency.OpenSearchRejectedExecutionException;
import org.opensearch.test.OpenSearchTestCase;

public class BytesInFlightTests extends OpenSearchTestCase {
    public void testRefusesWhatGoesOverTheLimitWhileOthersHoldBytes() {
        BytesInFlight budget = new BytesInFlight(100);
        budget.reserve(60, 0, "a");
        budget.reserve(40, 0, "b");
        OpenSearchRejectedExecutionException e = expectThrows(OpenSearchRejectedExecutionException.class, () -> budget.reserve(1, 0, "c"));
        assertTrue(e.getMessage(), e.getMessage().contains("clip.ingest.max_bytes_in_flight"));
        assertTrue(e.getMessage(), e.getMessage().contains("for c"));
        assertEquals(100, budget.used());
        budget.release(40);
        budget.reserve(40, 0, "c");
        assertEquals(100, budget.used());
    }

    public void testALoneImageMayGoOverInStepsButNotPastOthers() {
        BytesInFlight budget = new BytesInFlight(100);
        budget.reserve(500, 0, "big");
        budget.reserve(1000, 500, "big, its decoded pixels");
        assertEquals(1500, budget.used());
        expectThrows(OpenSearchRejectedExecutionException.class, () -> budget.reserve(10, 0, "small"));
        budget.release(1500);
        assertEquals(0, budget.used());
    }

    public void testTheLimitCanChange() {
        BytesInFlight budget = new BytesInFlight(100);
        budget.reserve(50, 0, "a");
        budget.setLimit(60);
        expectThrows(OpenSearchRejectedExecutionException.class, () -> budget.reserve(20, 0, "b"));
        budget.setLimit(70);
        budget.reserve(20, 0, "b");
    }
}
