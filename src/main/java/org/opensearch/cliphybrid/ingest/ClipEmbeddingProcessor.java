package org.opensearch.cliphybrid.ingest;

import org.opensearch.cliphybrid.ErrorReason;
import org.opensearch.cliphybrid.image.ImageSource;
import org.opensearch.cliphybrid.inference.ImageBatchEmbedder;
import org.opensearch.cliphybrid.labels.ZeroShotConfig;
import org.opensearch.cliphybrid.labels.ZeroShotLabeler;
import org.opensearch.cliphybrid.pipeline.BytesInFlight;
import org.opensearch.cliphybrid.pipeline.ImagePipeline;
import org.opensearch.cliphybrid.provenance.VectorModel;
import org.opensearch.cliphybrid.provenance.FieldModels;
import org.opensearch.core.action.ActionListener;
import org.opensearch.core.concurrency.OpenSearchRejectedExecutionException;
import org.opensearch.ingest.AbstractBatchingProcessor;
import org.opensearch.ingest.ConfigurationUtils;
import org.opensearch.ingest.IngestDocument;
import org.opensearch.ingest.IngestDocumentWrapper;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * {@code clip_embedding}: reads the image named by {@code field}, embeds it with the CLIP image encoder and writes the
 * L2-normalised vector to {@code target_field}. A bulk's documents reach it in groups of {@code batch_size}; the images of a
 * group are fetched side by side and encoded in one model call (see {@link ImageBatchEmbedder}). A failure becomes its own
 * document's error (or its {@code on_failure} branch) and never touches the other documents of the bulk. With {@code zero_shot},
 * the fresh vector is also labelled (see {@link ZeroShotLabeler}), so pictures become filterable by what they show.
 */
public final class ClipEmbeddingProcessor extends AbstractBatchingProcessor implements AsyncClipProcessor {
    public static final String TYPE = "clip_embedding";
    /** The largest {@code batch_size}: one batch is one model call whose input is about 600 KB per image. */
    public static final int MAX_BATCH_SIZE = 64;
    /** Images of one bulk being read, decoded or encoded at once. */
    static final int IMAGES_IN_FLIGHT = 64;

    private final String field;
    private final String targetField;
    private final String model;
    private final boolean ignoreMissing;
    private final ImageBatchEmbedder embedder;
    private final ImagePipeline images;
    /** Null without {@code zero_shot}. */
    private final ZeroShotConfig zeroShot;
    private final ZeroShotLabeler labeler;
    private final FieldModels stamper;

    ClipEmbeddingProcessor(
        String tag,
        String description,
        int batchSize,
        String field,
        String targetField,
        String model,
        boolean ignoreMissing,
        ImageBatchEmbedder embedder,
        ImagePipeline images,
        ZeroShotConfig zeroShot,
        ZeroShotLabeler labeler,
        FieldModels stamper
    ) {
        super(tag, description, batchSize);
        this.stamper = stamper;
        this.field = field;
        this.targetField = targetField;
        this.model = model;
        this.ignoreMissing = ignoreMissing;
        this.embedder = embedder;
        this.images = images;
        this.zeroShot = zeroShot;
        this.labeler = labeler;
    }

    /** One document alone (_simulate, a processor under {@code if}): a batch of one. */
    @Override
    public void execute(IngestDocument document, BiConsumer<IngestDocument, Exception> handler) {
        subBatchExecute(List.of(new IngestDocumentWrapper(0, 0, document, null)), results -> {
            Exception failure = results.get(0).getException();
            handler.accept(failure == null ? document : null, failure);
        });
    }

    /**
     * Cuts the documents into groups of {@code batch_size}, runs them in order with at most {@link #IMAGES_IN_FLIGHT} images at
     * a time, and hands them back in slot order. The window bounds what one bulk holds and queues, so that its later images
     * wait for the room its earlier ones free instead of being refused. OpenSearch's own cutting hands the documents back in
     * the order the groups finish (and an {@code on_failure} branch before this processor reorders them too), while the bulk
     * response is put together from the failures in the order they are reported: out of order, one item's error would be
     * shown on another item.
     */
    @Override
    public void batchExecute(List<IngestDocumentWrapper> documents, Consumer<List<IngestDocumentWrapper>> handler) {
        IngestDocumentWrapper[] results = new IngestDocumentWrapper[documents.size()];
        BytesInFlight.Share share = images.share();
        int groups = (documents.size() + batchSize - 1) / batchSize;
        new BoundedGroups(groups, Math.max(1, IMAGES_IN_FLIGHT / batchSize), (index, window) -> {
            int offset = index * batchSize;
            embedGroup(documents.subList(offset, Math.min(documents.size(), offset + batchSize)), share, group -> {
                for (int i = 0; i < group.size(); i++) {
                    results[offset + i] = group.get(i);
                }
                window.finished();
            });
        }, () -> {
            // the group whose end was counted last saw every group's writes
            List<IngestDocumentWrapper> all = Arrays.asList(results);
            all.sort(Comparator.comparingInt(IngestDocumentWrapper::getSlot).thenComparingInt(IngestDocumentWrapper::getChildSlot));
            handler.accept(all);
        }).run();
    }

    @Override
    protected void subBatchExecute(List<IngestDocumentWrapper> documents, Consumer<List<IngestDocumentWrapper>> handler) {
        embedGroup(documents, images.share(), handler);
    }

    /**
     * Hands back one wrapper per document, in order: the same one when the document passes, a new one carrying the error when
     * it fails. The wrappers that came in are never changed: with {@code ignore_failure}, OpenSearch carries on with them.
     */
    private void embedGroup(List<IngestDocumentWrapper> documents, BytesInFlight.Share share, Consumer<List<IngestDocumentWrapper>> handler) {
        IngestDocumentWrapper[] results = new IngestDocumentWrapper[documents.size()];
        List<Integer> waiting = new ArrayList<>(documents.size());
        List<ImagePipeline.Input> inputs = new ArrayList<>(documents.size());
        for (int i = 0; i < results.length; i++) {
            IngestDocumentWrapper wrapper = documents.get(i);
            results[i] = wrapper;
            if (wrapper.getIngestDocument() == null || wrapper.getException() != null) {
                continue;
            }
            try {
                ImagePipeline.Input input = input(wrapper.getIngestDocument());
                if (input != null) {
                    inputs.add(input);
                    waiting.add(i);
                }
            } catch (IllegalArgumentException e) {
                results[i] = failed(wrapper, e);
            }
        }
        if (inputs.isEmpty()) {
            handler.accept(Arrays.asList(results));
            return;
        }
        embedder.embed(model, inputs, share, outcomes -> {
            List<Integer> embedded = new ArrayList<>(outcomes.length);
            VectorModel used = stamper.model(model);
            for (int k = 0; k < outcomes.length; k++) {
                int i = waiting.get(k);
                ImageBatchEmbedder.Outcome outcome = outcomes[k];
                if (outcome.failure() != null) {
                    results[i] = failed(results[i], failure(inputs.get(k).source(), outcome.failure()));
                    continue;
                }
                try {
                    IngestDocument document = results[i].getIngestDocument();
                    String index = document.getFieldValue(IngestDocument.Metadata.INDEX.getFieldName(), String.class, true);
                    checkSameModel(index, used);
                    document.setFieldValue(targetField, asList(outcome.vector()));
                    // _simulate's documents name no index ("_index"), and no index name starts with '_'
                    if (used != null && index != null && index.startsWith("_") == false) {
                        stamper.ensure(index, targetField, used);
                    }
                    embedded.add(k);
                } catch (RuntimeException e) {
                    // e.g. target_field runs through a value that is not an object; the bulk must still be handed back
                    results[i] = failed(results[i], failure(inputs.get(k).source(), e));
                }
            }
            if (zeroShot == null || embedded.isEmpty()) {
                handler.accept(Arrays.asList(results));
                return;
            }
            label(embedded, waiting, inputs, outcomes, results, handler);
        });
    }

    /** Labels each embedded document's vector; the group is handed back once every label is written or failed. */
    private void label(
        List<Integer> embedded,
        List<Integer> waiting,
        List<ImagePipeline.Input> inputs,
        ImageBatchEmbedder.Outcome[] outcomes,
        IngestDocumentWrapper[] results,
        Consumer<List<IngestDocumentWrapper>> handler
    ) {
        AtomicInteger pending = new AtomicInteger(embedded.size());
        for (int k : embedded) {
            int i = waiting.get(k);
            ImageSource source = inputs.get(k).source();
            labeler.label(model, outcomes[k].vector(), zeroShot, ActionListener.wrap(best -> {
                try {
                    zeroShot.write(results[i].getIngestDocument(), best);
                } catch (RuntimeException e) {
                    results[i] = failed(results[i], failure(source, e));
                }
                // the decrement that reaches zero sees every document's writes
                if (pending.decrementAndGet() == 0) {
                    handler.accept(Arrays.asList(results));
                }
            }, e -> {
                results[i] = failed(results[i], failure(source, e));
                if (pending.decrementAndGet() == 0) {
                    handler.accept(Arrays.asList(results));
                }
            }));
        }
    }

    /** Refuses to add this model's vectors to a field whose vectors another model made: they could not be compared. */
    private void checkSameModel(String index, VectorModel used) {
        VectorModel stamped = index == null || used == null ? null : stamper.stamped(index, targetField);
        if (stamped != null && stamped.sameVectors(used) == false) {
            throw new IllegalArgumentException(
                "[" + TYPE + "] target_field [" + targetField + "] of index [" + index + "] holds vectors of model " + stamped.describe()
                    + "; this pipeline's model " + used.describe() + " would add vectors that cannot be compared with them."
                    + " Embed into a new index and move an alias (README, Changing the model)"
            );
        }
    }

    private static IngestDocumentWrapper failed(IngestDocumentWrapper wrapper, Exception failure) {
        return new IngestDocumentWrapper(wrapper.getSlot(), wrapper.getChildSlot(), wrapper.getIngestDocument(), failure);
    }

    /** The image reference of {@code document}, or null when it has none and {@code ignore_missing} lets it pass unchanged. */
    private ImagePipeline.Input input(IngestDocument document) {
        Object value = fieldValue(document, field, ignoreMissing);
        if (value == null) {
            return null;
        }
        if (value instanceof String == false) {
            throw new IllegalArgumentException(
                "[" + TYPE + "] field [" + field + "] must be a string (URL, data: URI, base64 or file path), got "
                    + value.getClass().getSimpleName()
            );
        }
        try {
            return images.parse((String) value);
        } catch (IllegalArgumentException e) {
            throw failure(null, e);
        }
    }

    /**
     * Names the field, the source and the cause. A full queue or a spent byte budget stays a rejection, so that the bulk item
     * gets a 429 that clients retry, rather than a 400 that they would not.
     */
    private RuntimeException failure(ImageSource source, Exception cause) {
        String where = "[" + TYPE + "] field [" + field + "]";
        if (cause instanceof RejectedExecutionException) {
            return new OpenSearchRejectedExecutionException(where + ImagePipeline.describe(source) + ": " + ErrorReason.of(cause));
        }
        return ImagePipeline.failure(where, source, cause);
    }

    private static List<Float> asList(float[] vector) {
        List<Float> list = new ArrayList<>(vector.length);
        for (float v : vector) {
            list.add(v);
        }
        return list;
    }

    @Override
    public String getType() {
        return TYPE;
    }

    public static final class Factory extends AbstractBatchingProcessor.Factory {
        private final Supplier<ImageBatchEmbedder> embedder;
        private final Supplier<ImagePipeline> images;
        private final Supplier<ZeroShotLabeler> labeler;
        private final Supplier<FieldModels> stamper;

        public Factory(
            Supplier<ImageBatchEmbedder> embedder,
            Supplier<ImagePipeline> images,
            Supplier<ZeroShotLabeler> labeler,
            Supplier<FieldModels> stamper
        ) {
            super(TYPE);
            this.embedder = embedder;
            this.images = images;
            this.labeler = labeler;
            this.stamper = stamper;
        }

        @Override
        protected AbstractBatchingProcessor newProcessor(String tag, String description, int batchSize, Map<String, Object> config) {
            if (batchSize > MAX_BATCH_SIZE) {
                throw ConfigurationUtils.newConfigurationException(
                    TYPE,
                    tag,
                    "batch_size",
                    "must be at most " + MAX_BATCH_SIZE + " (images per model call), got " + batchSize
                );
            }
            String field = ConfigurationUtils.readStringProperty(TYPE, tag, config, "field");
            String targetField = ConfigurationUtils.readStringProperty(TYPE, tag, config, "target_field");
            String model = ConfigurationUtils.readOptionalStringProperty(TYPE, tag, config, "model");
            boolean ignoreMissing = ConfigurationUtils.readBooleanProperty(TYPE, tag, config, "ignore_missing", false);
            Map<String, Object> zeroShotOptions = ConfigurationUtils.readOptionalMap(TYPE, tag, config, "zero_shot");
            ZeroShotConfig zeroShot = null;
            if (zeroShotOptions != null) {
                Map<String, Object> options = new HashMap<>(zeroShotOptions);
                zeroShot = ZeroShotConfig.parse(TYPE, tag, options);
                if (options.isEmpty() == false) {
                    throw ConfigurationUtils.newConfigurationException(TYPE, tag, "zero_shot", "unknown options " + options.keySet());
                }
            }
            return new ClipEmbeddingProcessor(
                tag,
                description,
                batchSize,
                field,
                targetField,
                model,
                ignoreMissing,
                embedder.get(),
                images.get(),
                zeroShot,
                labeler.get(),
                stamper.get()
            );
        }
    }
}
