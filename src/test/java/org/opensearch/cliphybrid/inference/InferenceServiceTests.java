package org.opensearch.cliphybrid.inference;

import org.opensearch.action.support.PlainActionFuture;
import org.opensearch.cliphybrid.testing.InferenceFixture;
import org.opensearch.core.action.ActionListener;
import org.opensearch.test.OpenSearchTestCase;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** The real mini-clip model on the real pools: which work runs where. */
public class InferenceServiceTests extends OpenSearchTestCase {

    public void testQueryTextsEncodeWhileIngestHoldsTheInferencePool() throws Exception {
        try (InferenceFixture fixture = new InferenceFixture(getTestName(), 10)) {
            InferenceService inference = fixture.inference;
            CountDownLatch started = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            // the fixture's clip_inference pool has one thread: an ingest batch that takes long holds it
            inference.execute(null, model -> {
                started.countDown();
                return release.await(60, TimeUnit.SECONDS);
            }, ActionListener.wrap(r -> {}, e -> {}));
            assertTrue(started.await(60, TimeUnit.SECONDS));
            try {
                PlainActionFuture<float[]> vector = new PlainActionFuture<>();
                inference.embedText(null, "a dog runs on the grass", null, vector);
                assertEquals(fixture.inference.model(null).dimension(), vector.get(30, TimeUnit.SECONDS).length);
            } finally {
                release.countDown();
            }
        }
    }
}
