package org.opensearch.cliphybrid.ingest;

import org.opensearch.cliphybrid.provenance.FieldModels;
import org.opensearch.cliphybrid.provenance.VectorModel;

import org.junit.After;
import org.junit.Before;
import org.opensearch.cliphybrid.testing.InferenceFixture;
import org.opensearch.ingest.IngestDocument;
import org.opensearch.ingest.IngestDocumentWrapper;
import org.opensearch.test.OpenSearchTestCase;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/** The processor's batch contract with OpenSearch's ingest service, on the real model and pools. */
public class ClipEmbeddingProcessorTests extends OpenSearchTestCase {
    private static final String DOG = "1082379191_ec1e53f996.jpg";

    private InferenceFixture fixture;

    @Before
    public void setUpFixture() {
        fixture = new InferenceFixture(getTestName(), 100);
    }

    @After
    public void tearDownFixture() {
        fixture.close();
    }

    /** The index "idx" of {@link #wrapper} as a node's mapping would record it, and what the processor asked to record. */
    private final Map<String, VectorModel> stamps = new ConcurrentHashMap<>();

    private final FieldModels fieldModels = new FieldModels() {
        @Override
        public VectorModel model(String requested) {
            return new VectorModel("mini-clip", "a".repeat(64));
        }

        @Override
        public VectorModel stamped(String index, String field) {
            return stamps.get(index + "/" + field);
        }

        @Override
        public void ensure(String index, String field, VectorModel model) {
            stamps.putIfAbsent(index + "/" + field, model);
        }
    };

    private ClipEmbeddingProcessor processor(int batchSize) {
        return new ClipEmbeddingProcessor(
            "tag",
            null,
            batchSize,
            "image",
            "vector",
            null,
            true,
            fixture.embedder,
            fixture.pipeline,
            null,
            null,
            fieldModels
        );
    }

    public void testRecordsTheModelAndRefusesAnothersVectors() throws Exception {
        List<IngestDocumentWrapper> out = run(processor(2), List.of(wrapper(0, DOG)));
        assertNull(out.get(0).getException());
        assertEquals(new VectorModel("mini-clip", "a".repeat(64)), stamps.get("idx/vector"));
        stamps.put("idx/vector", new VectorModel("vit-b32", "b".repeat(64)));
        out = run(processor(2), List.of(wrapper(0, DOG)));
        String message = out.get(0).getException().getMessage();
        assertTrue(message, message.contains("[clip_embedding] target_field [vector] of index [idx] holds vectors of model [vit-b32]"));
        assertTrue(message, message.contains("this pipeline's model [mini-clip] (sha256 aaaaaaaaaaaa…) would add vectors that cannot be compared"));
    }

    private static IngestDocumentWrapper wrapper(int slot, Object image) {
        Map<String, Object> source = new HashMap<>();
        if (image != null) {
            source.put("image", image);
        }
        return new IngestDocumentWrapper(slot, 0, new IngestDocument("idx", "id-" + slot, null, null, null, source), null);
    }

    private static List<IngestDocumentWrapper> run(ClipEmbeddingProcessor processor, List<IngestDocumentWrapper> in) throws Exception {
        CompletableFuture<List<IngestDocumentWrapper>> done = new CompletableFuture<>();
        processor.batchExecute(in, done::complete);
        return done.get(60, TimeUnit.SECONDS);
    }

    public void testResultsComeBackInSlotOrderWithIncomingWrappersUnchanged() throws Exception {
        // slots out of order, as an on_failure branch earlier in the pipeline leaves them
        List<IngestDocumentWrapper> in = new ArrayList<>(
            List.of(wrapper(3, DOG), wrapper(0, "no-such-image.jpg"), wrapper(2, null), wrapper(1, 42), wrapper(4, DOG))
        );
        List<IngestDocumentWrapper> out = run(processor(2), in);
        assertEquals(List.of(0, 1, 2, 3, 4), out.stream().map(IngestDocumentWrapper::getSlot).toList());
        assertTrue(out.get(0).getException().getMessage(), out.get(0).getException().getMessage().contains("no such image file"));
        assertTrue(out.get(1).getException().getMessage(), out.get(1).getException().getMessage().contains("must be a string"));
        assertNull("ignore_missing lets it pass", out.get(2).getException());
        for (int ok : new int[] { 3, 4 }) {
            assertNull(out.get(ok).getException());
            assertEquals(256, out.get(ok).getIngestDocument().getFieldValue("vector", List.class).size());
        }
        for (IngestDocumentWrapper wrapper : in) {
            assertNull("ignore_failure carries on with the incoming wrappers, so they must stay clean", wrapper.getException());
        }
    }

    public void testOneDocumentAloneGivesTheSameVectorAsABatchOfOne() throws Exception {
        IngestDocument alone = wrapper(0, DOG).getIngestDocument();
        CompletableFuture<IngestDocument> done = new CompletableFuture<>();
        processor(1).execute(alone, (document, e) -> {
            if (e != null) {
                done.completeExceptionally(e);
            } else {
                done.complete(document);
            }
        });
        List<?> single = done.get(60, TimeUnit.SECONDS).getFieldValue("vector", List.class);
        List<IngestDocumentWrapper> batch = run(processor(1), List.of(wrapper(0, DOG), wrapper(1, DOG)));
        assertEquals("batch_size 1 encodes every image alone: bit for bit", single, batch.get(0).getIngestDocument().getFieldValue("vector", List.class));
        assertEquals(single, batch.get(1).getIngestDocument().getFieldValue("vector", List.class));
    }
}
