package org.opensearch.cliphybrid.ingest;

import org.opensearch.cliphybrid.image.ImageSource;
import org.opensearch.cliphybrid.inference.ImageInputs;
import org.opensearch.cliphybrid.inference.InferenceService;
import org.opensearch.ingest.AbstractProcessor;
import org.opensearch.ingest.ConfigurationUtils;
import org.opensearch.ingest.IngestDocument;
import org.opensearch.ingest.Processor;

import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

/**
 * {@code clip_embedding}: reads the image named by {@code field}, embeds it with the CLIP image encoder and writes the
 * L2-normalised vector to {@code target_field}. The work runs on the plugin's inference pool; a failure becomes this
 * document's error (or its {@code on_failure} branch) and never touches the other documents of the bulk.
 */
public final class ClipEmbeddingProcessor extends AbstractProcessor {
    public static final String TYPE = "clip_embedding";

    private final String field;
    private final String targetField;
    private final String model;
    private final boolean ignoreMissing;
    private final InferenceService inference;
    private final ImageInputs images;

    ClipEmbeddingProcessor(
        String tag,
        String description,
        String field,
        String targetField,
        String model,
        boolean ignoreMissing,
        InferenceService inference,
        ImageInputs images
    ) {
        super(tag, description);
        this.field = field;
        this.targetField = targetField;
        this.model = model;
        this.ignoreMissing = ignoreMissing;
        this.inference = inference;
        this.images = images;
    }

    @Override
    public void execute(IngestDocument document, BiConsumer<IngestDocument, Exception> handler) {
        Object value = document.getFieldValue(field, Object.class, true);
        if (value == null) {
            if (ignoreMissing) {
                handler.accept(document, null);
            } else {
                handler.accept(null, new IllegalArgumentException("[" + TYPE + "] field [" + field + "] is missing or null"));
            }
            return;
        }
        if (value instanceof String == false) {
            handler.accept(
                null,
                new IllegalArgumentException(
                    "[" + TYPE + "] field [" + field + "] must be a string (URL, data: URI, base64 or file path), got "
                        + value.getClass().getSimpleName()
                )
            );
            return;
        }
        ImageInputs.Input input;
        try {
            input = images.parse((String) value);
        } catch (IllegalArgumentException e) {
            handler.accept(null, failure(null, e));
            return;
        }
        inference.execute(
            model,
            m -> m.embedImages(List.of(images.pixelValues(input, m)))[0],
            org.opensearch.core.action.ActionListener.wrap(vector -> {
                document.setFieldValue(targetField, asList(vector));
                handler.accept(document, null);
            }, e -> handler.accept(null, failure(input.source(), e)))
        );
    }

    /** Names the field, the source and the cause; a rejection from a full queue keeps its type so the bulk item gets a 429. */
    private Exception failure(ImageSource source, Exception cause) {
        if (cause instanceof java.util.concurrent.RejectedExecutionException) {
            return cause;
        }
        return ImageInputs.failure("[" + TYPE + "] field [" + field + "]", source, cause);
    }

    private static List<Float> asList(float[] vector) {
        List<Float> list = new java.util.ArrayList<>(vector.length);
        for (float v : vector) {
            list.add(v);
        }
        return list;
    }

    @Override
    public IngestDocument execute(IngestDocument document) {
        throw new UnsupportedOperationException("[" + TYPE + "] runs asynchronously");
    }

    @Override
    public String getType() {
        return TYPE;
    }

    public static final class Factory implements Processor.Factory {
        private final Supplier<InferenceService> inference;
        private final Supplier<ImageInputs> images;

        public Factory(Supplier<InferenceService> inference, Supplier<ImageInputs> images) {
            this.inference = inference;
            this.images = images;
        }

        @Override
        public ClipEmbeddingProcessor create(
            Map<String, Processor.Factory> registry,
            String tag,
            String description,
            Map<String, Object> config
        ) {
            String field = ConfigurationUtils.readStringProperty(TYPE, tag, config, "field");
            String targetField = ConfigurationUtils.readStringProperty(TYPE, tag, config, "target_field");
            String model = ConfigurationUtils.readOptionalStringProperty(TYPE, tag, config, "model");
            boolean ignoreMissing = ConfigurationUtils.readBooleanProperty(TYPE, tag, config, "ignore_missing", false);
            return new ClipEmbeddingProcessor(
                tag,
                description,
                field,
                targetField,
                model,
                ignoreMissing,
                inference.get(),
                images.get()
            );
        }
    }
}
