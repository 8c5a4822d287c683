package org.opensearch.cliphybrid.ingest;

import org.opensearch.ingest.IngestDocument;
import org.opensearch.test.OpenSearchTestCase;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/** The paths that end before any labelling: the field's value is refused, or its absence let through. */
public class ClipZeroShotProcessorTests extends OpenSearchTestCase {
    private static ClipZeroShotProcessor processor(boolean ignoreMissing) {
        return new ClipZeroShotProcessor("t", null, "embedding", null, ignoreMissing, null, null);
    }

    private static IngestDocument document(Map<String, Object> source) {
        return new IngestDocument("idx", "1", null, null, null, new HashMap<>(source));
    }

    private static Exception run(ClipZeroShotProcessor processor, IngestDocument document, AtomicReference<IngestDocument> passed) {
        AtomicReference<Exception> failure = new AtomicReference<>();
        processor.execute(document, (out, e) -> {
            passed.set(out);
            failure.set(e);
        });
        return failure.get();
    }

    public void testAMissingFieldIsNamedUnlessIgnored() {
        AtomicReference<IngestDocument> passed = new AtomicReference<>();
        Exception e = run(processor(false), document(Map.of()), passed);
        assertEquals("[clip_zero_shot] field [embedding] is missing or null", e.getMessage());
        assertNull(passed.get());

        IngestDocument document = document(Map.of());
        assertNull(run(processor(true), document, passed));
        assertSame(document, passed.get());
    }

    public void testAnElementThatIsNotANumberIsNamed() {
        Exception e = run(processor(false), document(Map.of("embedding", List.of(0.5, "x"))), new AtomicReference<>());
        assertEquals("[clip_zero_shot] field [embedding] must be a vector of numbers, but element 1 is [x]", e.getMessage());
    }

    public void testTheSynchronousPathIsRefused() {
        UnsupportedOperationException e = expectThrows(UnsupportedOperationException.class, () -> processor(false).execute(document(Map.of())));
        assertEquals("[clip_zero_shot] runs asynchronously", e.getMessage());
    }
}
