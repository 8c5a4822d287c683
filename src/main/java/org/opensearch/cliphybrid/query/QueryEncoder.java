package org.opensearch.cliphybrid.query;

import org.opensearch.OpenSearchStatusException;
import org.opensearch.action.get.GetRequest;
import org.opensearch.cliphybrid.calibrate.ProfileStore;
import org.opensearch.cliphybrid.inference.ImageBatchEmbedder;
import org.opensearch.cliphybrid.inference.ImageInputs;
import org.opensearch.cliphybrid.inference.InferenceService;
import org.opensearch.cliphybrid.model.Vectors;
import org.opensearch.cliphybrid.query.fusion.Calibration;
import org.opensearch.common.cache.Cache;
import org.opensearch.common.cache.CacheBuilder;
import org.opensearch.common.hash.MessageDigests;
import org.opensearch.common.unit.TimeValue;
import org.opensearch.core.action.ActionListener;
import org.opensearch.core.rest.RestStatus;
import org.opensearch.search.fetch.subphase.FetchSourceContext;
import org.opensearch.transport.client.Client;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Turns a query's inputs into the one vector its vector side searches, on the coordinating node: each query text (through the
 * prompt template), the query image (fetched and encoded, or an indexed document's stored vector) each give an L2-normalised
 * embedding; several are averaged and normalised again, as CLIP's authors ensemble prompts.
 */
public final class QueryEncoder {
    /** An indexed document whose stored vector is the query image. */
    public record DocumentRef(String index, String id) {}

    private final Supplier<InferenceService> inference;
    private final Supplier<ImageInputs> images;
    private final Supplier<ImageBatchEmbedder> embedder;
    private final Supplier<Calibration> calibration;
    /** Paging through an image query must not fetch and encode the image again; keyed by model and a digest of the value. */
    private final Cache<String, float[]> imageCache = CacheBuilder.<String, float[]>builder()
        .setMaximumWeight(8L << 20)
        .weigher((key, vector) -> 2L * key.length() + 4L * vector.length + 64)
        .setExpireAfterAccess(TimeValue.timeValueMinutes(10))
        .build();

    public QueryEncoder(
        Supplier<InferenceService> inference,
        Supplier<ImageInputs> images,
        Supplier<ImageBatchEmbedder> embedder,
        Supplier<Calibration> calibration
    ) {
        this.inference = inference;
        this.images = images;
        this.embedder = embedder;
        this.calibration = calibration;
    }

    /** The query's other node-level look-up: the stored profiles its rewrite reads, through a short node cache. */
    private final ProfileStore profiles = new ProfileStore();

    public ProfileStore profiles() {
        return profiles;
    }

    /** The node's calibration defaults (the {@code clip.hybrid.*} settings), which a request may override. */
    public Calibration defaultCalibration() {
        return calibration.get();
    }

    void encode(
        Client client,
        String model,
        List<String> texts,
        String promptTemplate,
        String image,
        DocumentRef document,
        String vectorField,
        ActionListener<float[]> listener
    ) {
        List<Consumer<ActionListener<float[]>>> parts = new ArrayList<>();
        for (String text : texts) {
            String prompt = promptTemplate == null ? text : promptTemplate.replace("{}", text);
            parts.add(l -> inference.get().embedText(model, prompt, l));
        }
        if (image != null) {
            parts.add(l -> embedImage(model, image, l));
        }
        if (document != null) {
            parts.add(l -> storedVector(client, document, vectorField, l));
        }
        float[][] vectors = new float[parts.size()][];
        AtomicInteger pending = new AtomicInteger(parts.size());
        AtomicReference<Exception> failure = new AtomicReference<>();
        for (int i = 0; i < parts.size(); i++) {
            int slot = i;
            parts.get(i).accept(ActionListener.wrap(v -> {
                vectors[slot] = v;
                if (pending.decrementAndGet() == 0) {
                    finish(vectors, failure.get(), listener);
                }
            }, e -> {
                failure.compareAndSet(null, e);
                if (pending.decrementAndGet() == 0) {
                    finish(vectors, failure.get(), listener);
                }
            }));
        }
    }

    private static void finish(float[][] vectors, Exception failure, ActionListener<float[]> listener) {
        if (failure != null) {
            listener.onFailure(failure);
            return;
        }
        int dimension = vectors[0].length;
        for (float[] v : vectors) {
            if (v.length != dimension) {
                listener.onFailure(
                    new IllegalArgumentException(
                        "[" + ClipHybridOptions.NAME + "] query inputs have vectors of different dimensions (" + dimension + " and "
                            + v.length + "): the query_image document was embedded by another model"
                    )
                );
                return;
            }
        }
        listener.onResponse(meanDirection(vectors));
    }

    /** The normalised mean; one vector is returned as it is, so a single text searches with exactly its cached embedding. */
    static float[] meanDirection(float[][] vectors) {
        if (vectors.length == 1) {
            return vectors[0];
        }
        float[] mean = new float[vectors[0].length];
        for (float[] v : vectors) {
            for (int i = 0; i < mean.length; i++) {
                mean[i] += v[i];
            }
        }
        return Vectors.normalise(mean);
    }

    private void embedImage(String model, String value, ActionListener<float[]> listener) {
        byte[] digest = MessageDigests.sha256().digest(value.getBytes(StandardCharsets.UTF_8));
        String key = inference.get().resolve(model) + '\u0000' + MessageDigests.toHexString(digest);
        float[] cached = imageCache.get(key);
        if (cached != null) {
            listener.onResponse(cached);
            return;
        }
        ImageInputs inputs = images.get();
        ImageInputs.Input input;
        try {
            input = inputs.parse(value);
        } catch (IllegalArgumentException e) {
            listener.onFailure(ImageInputs.failure("[" + ClipHybridOptions.NAME + "] [query_image]", null, e));
            return;
        }
        String where = "[" + ClipHybridOptions.NAME + "] [query_image]";
        embedder.get().embedAlone(where, model, input, true, ActionListener.wrap(vector -> {
            imageCache.put(key, vector);
            listener.onResponse(vector);
        }, listener::onFailure));
    }

    private static void storedVector(Client client, DocumentRef ref, String vectorField, ActionListener<float[]> listener) {
        String what = "[" + ClipHybridOptions.NAME + "] [query_image] document [" + ref.index() + "/" + ref.id() + "]";
        client.get(new GetRequest(ref.index(), ref.id()).fetchSourceContext(
            new FetchSourceContext(true, new String[] { vectorField }, null)
        ), ActionListener.wrap(response -> {
            if (response.isExists() == false) {
                listener.onFailure(new OpenSearchStatusException(what + " does not exist", RestStatus.BAD_REQUEST));
                return;
            }
            Object value = extract(response.getSourceAsMap(), vectorField);
            if (value instanceof List<?> list && list.isEmpty() == false) {
                // stored vectors from other tools need not be normalised
                listener.onResponse(Vectors.normalise(Vectors.fromList(list, what + " [" + vectorField + "]")));
            } else {
                listener.onFailure(new OpenSearchStatusException(what + " has no vector in [" + vectorField + "]", RestStatus.BAD_REQUEST));
            }
        }, listener::onFailure));
    }

    private static Object extract(Map<String, Object> source, String path) {
        Object value = source;
        for (String part : path.split("\\.")) {
            if (value instanceof Map<?, ?> map) {
                value = map.get(part);
            } else {
                return null;
            }
        }
        return value;
    }

}
