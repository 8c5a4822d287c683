package org.opensearch.cliphybrid.ingest;

import org.opensearch.cliphybrid.ErrorReason;
import org.opensearch.cliphybrid.labels.ZeroShotConfig;
import org.opensearch.cliphybrid.labels.ZeroShotLabeler;
import org.opensearch.cliphybrid.model.Vectors;
import org.opensearch.core.action.ActionListener;
import org.opensearch.ingest.AbstractProcessor;
import org.opensearch.ingest.ConfigurationUtils;
import org.opensearch.ingest.IngestDocument;
import org.opensearch.ingest.Processor;

import java.util.List;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

/**
 * {@code clip_zero_shot}: labels a document by the image embedding in {@code field} (written earlier in the pipeline, e.g. by
 * {@code clip_embedding}), choosing among configured labels by CLIP zero-shot classification, and writes the best labels to
 * {@code target_field}. Label texts are encoded once, on the inference pool; after that a document costs a few dot products.
 */
public final class ClipZeroShotProcessor extends AbstractProcessor implements AsyncClipProcessor {
    public static final String TYPE = "clip_zero_shot";

    private final String field;
    private final String model;
    private final boolean ignoreMissing;
    private final ZeroShotConfig config;
    private final ZeroShotLabeler labeler;

    ClipZeroShotProcessor(
        String tag,
        String description,
        String field,
        String model,
        boolean ignoreMissing,
        ZeroShotConfig config,
        ZeroShotLabeler labeler
    ) {
        super(tag, description);
        this.field = field;
        this.model = model;
        this.ignoreMissing = ignoreMissing;
        this.config = config;
        this.labeler = labeler;
    }

    @Override
    public void execute(IngestDocument document, BiConsumer<IngestDocument, Exception> handler) {
        float[] vector;
        try {
            Object value = fieldValue(document, field, ignoreMissing);
            if (value == null) {
                handler.accept(document, null);
                return;
            }
            vector = vector(value);
        } catch (IllegalArgumentException e) {
            handler.accept(null, e);
            return;
        }
        labeler.label(model, vector, config, ActionListener.wrap(best -> {
            config.write(document, best);
            handler.accept(document, null);
        }, e -> handler.accept(null, failure(e))));
    }

    private float[] vector(Object value) {
        if (value instanceof List<?> list && list.isEmpty() == false) {
            return Vectors.fromList(list, "[" + TYPE + "] field [" + field + "]");
        }
        throw new IllegalArgumentException(
            "[" + TYPE + "] field [" + field + "] must be a non-empty vector of numbers (an image embedding), got "
                + value.getClass().getSimpleName()
        );
    }

    /** Names the processor and the field; a rejection from a full queue keeps its type so the bulk item gets a 429. */
    private Exception failure(Exception cause) {
        if (cause instanceof RejectedExecutionException) {
            return cause;
        }
        String reason = ErrorReason.of(cause);
        return new IllegalArgumentException("[" + TYPE + "] field [" + field + "]: " + reason, cause);
    }

    @Override
    public String getType() {
        return TYPE;
    }

    public static final class Factory implements Processor.Factory {
        private final Supplier<ZeroShotLabeler> labeler;

        public Factory(Supplier<ZeroShotLabeler> labeler) {
            this.labeler = labeler;
        }

        @Override
        public ClipZeroShotProcessor create(
            Map<String, Processor.Factory> registry,
            String tag,
            String description,
            Map<String, Object> config
        ) {
            String field = ConfigurationUtils.readStringProperty(TYPE, tag, config, "field");
            String model = ConfigurationUtils.readOptionalStringProperty(TYPE, tag, config, "model");
            boolean ignoreMissing = ConfigurationUtils.readBooleanProperty(TYPE, tag, config, "ignore_missing", false);
            ZeroShotConfig zeroShot = ZeroShotConfig.parse(TYPE, tag, config);
            return new ClipZeroShotProcessor(tag, description, field, model, ignoreMissing, zeroShot, labeler.get());
        }
    }
}
