package org.opensearch.cliphybrid.inference;

import org.junit.After;
import org.junit.Before;
import org.opensearch.cliphybrid.pipeline.BytesInFlight;
import org.opensearch.cliphybrid.pipeline.ImagePipeline;
import org.opensearch.cliphybrid.stats.ClipStats;
import org.opensearch.cliphybrid.stats.NodeClipStats;
import org.opensearch.cliphybrid.testing.InferenceFixture;
import org.opensearch.core.concurrency.OpenSearchRejectedExecutionException;
import org.opensearch.test.OpenSearchTestCase;
import org.opensearch.threadpool.ThreadPool;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** The real mini-clip model and Flickr8k images through the real pools: batches, single failures, backpressure. */
public class ImageBatchEmbedderTests extends OpenSearchTestCase {
    private static final String DOG = "1082379191_ec1e53f996.jpg";
    private static final String OTHER = "2862004252_53894bb28b.jpg";

    private InferenceFixture fixture;
    private ThreadPool threadPool;
    private ClipStats stats;
    private InferenceService inference;
    private BytesInFlight budget;
    private ImagePipeline pipeline;
    private ImageBatchEmbedder embedder;

    @Before
    public void setUpPools() {
        // a fetch queue of one only where a test fills it on purpose
        fixture = new InferenceFixture(getTestName(), getTestName().contains("FullFetchQueue") ? 1 : 10);
        threadPool = fixture.threadPool;
        stats = fixture.stats;
        inference = fixture.inference;
        budget = fixture.budget;
        pipeline = fixture.pipeline;
        embedder = fixture.embedder;
    }

    @After
    public void tearDownPools() {
        fixture.close();
    }

    private ImageBatchEmbedder.Outcome[] embed(String... references) throws Exception {
        CompletableFuture<ImageBatchEmbedder.Outcome[]> done = new CompletableFuture<>();
        embedder.embed(null, java.util.Arrays.stream(references).map(pipeline::parse).toList(), pipeline.share(), done::complete);
        return done.get(60, TimeUnit.SECONDS);
    }

    private float[] single(String reference) throws Exception {
        try (ImagePipeline.Prepared prepared = pipeline.prepare(pipeline.parse(reference), inference.model(null), pipeline.share())) {
            return inference.encodeImages(inference.model(null), List.of(prepared.pixelValues()))[0];
        }
    }

    public void testGoodImagesShareOneModelCallAndABadOneFailsAlone() throws Exception {
        ImageBatchEmbedder.Outcome[] outcomes = embed(DOG, "no-such-image.jpg", OTHER);
        assertNull(outcomes[0].failure());
        assertNull(outcomes[2].failure());
        assertNotNull(outcomes[1].failure());
        assertTrue(outcomes[1].failure().getMessage(), outcomes[1].failure().getMessage().contains("no such image file"));
        // a batched vector may differ from the image's single vector in the last bits, never more
        float[] dog = single(DOG);
        for (int i = 0; i < dog.length; i++) {
            assertEquals(dog[i], outcomes[0].vector()[i], 1e-6f);
        }
        NodeClipStats snapshot = stats.snapshot(Map.of(), Map.of());
        assertEquals("two images in the batch call, one in the single call", 3, snapshot.imageEmbeddings());
        assertEquals(2, snapshot.batches());
        assertEquals(2, snapshot.maxBatchSize());
        assertEquals(1L, (long) snapshot.failures().get("not_found"));
        assertEquals(3, snapshot.imagesFetched());
        assertEquals(3, snapshot.latency().get("decode").count());
        assertEquals("everything reserved was given back", 0, budget.used());
    }

    public void testAFullFetchQueueRejectsWith429() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch busy = new CountDownLatch(1);
        threadPool.executor(ImageBatchEmbedder.FETCH_POOL).execute(() -> {
            busy.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        busy.await();
        // the one fetch thread is taken and the queue holds one task: the first image waits, the second is refused
        CompletableFuture<ImageBatchEmbedder.Outcome[]> done = new CompletableFuture<>();
        embedder.embed(null, List.of(pipeline.parse(DOG), pipeline.parse(OTHER)), pipeline.share(), done::complete);
        release.countDown();
        ImageBatchEmbedder.Outcome[] outcomes = done.get(60, TimeUnit.SECONDS);
        assertNull(outcomes[0].failure());
        assertTrue(String.valueOf(outcomes[1].failure()), outcomes[1].failure() instanceof OpenSearchRejectedExecutionException);
        assertEquals(1L, (long) stats.snapshot(Map.of(), Map.of()).failures().get("rejected"));
    }

    public void testTheByteBudgetRejectsWith429WhenOtherRequestsHoldItAndIsGivenBack() throws Exception {
        budget.setLimit(1);
        BytesInFlight.Share other = budget.share();
        budget.reserve(0, 1, 0, other, "another request's image");
        ImageBatchEmbedder.Outcome[] outcomes = embed(DOG, OTHER);
        for (ImageBatchEmbedder.Outcome outcome : outcomes) {
            Exception refused = outcome.failure();
            assertTrue(String.valueOf(refused), refused instanceof OpenSearchRejectedExecutionException);
            assertTrue(refused.getMessage(), refused.getMessage().contains("plugins.clip.ingest.max_bytes_in_flight"));
        }
        assertEquals(1, budget.used());
        budget.release(0, 1, other);
        // alone on the node, a request goes through even when its images together are over the budget
        outcomes = embed(DOG, OTHER);
        assertNull(outcomes[0].failure());
        assertNull(outcomes[1].failure());
        assertEquals(0, budget.used());
    }
}
