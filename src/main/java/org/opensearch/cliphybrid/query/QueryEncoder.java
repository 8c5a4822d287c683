package org.opensearch.cliphybrid.query;

import org.opensearch.action.search.SearchRequest;
import org.opensearch.cliphybrid.provenance.VectorModel;
import org.opensearch.cliphybrid.provenance.VectorModels;
import org.opensearch.cluster.ClusterState;
import org.opensearch.cluster.metadata.IndexNameExpressionResolver;
import org.opensearch.cluster.service.ClusterService;
import org.opensearch.OpenSearchStatusException;
import org.opensearch.action.get.GetRequest;
import org.opensearch.cliphybrid.query.profile.ProfileStore;
import org.opensearch.cliphybrid.inference.ImageBatchEmbedder;
import org.opensearch.cliphybrid.inference.InferenceService;
import org.opensearch.cliphybrid.model.ClipModel;
import org.opensearch.cliphybrid.model.Vectors;
import org.opensearch.cliphybrid.model.settings.ModelSettingsService;
import org.opensearch.cliphybrid.model.settings.Overrides;
import org.opensearch.cliphybrid.pipeline.ImagePipeline;
import org.opensearch.cliphybrid.query.fusion.Calibration;
import org.opensearch.common.cache.Cache;
import org.opensearch.common.cache.CacheBuilder;
import org.opensearch.common.hash.MessageDigests;
import org.opensearch.common.settings.Settings;
import org.opensearch.common.unit.TimeValue;
import org.opensearch.core.action.ActionListener;
import org.opensearch.core.rest.RestStatus;
import org.opensearch.search.fetch.subphase.FetchSourceContext;
import org.opensearch.transport.client.Client;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Turns a query's inputs into the one vector its vector side searches, on the coordinating node: each query text (through the
 * prompt template), the query image (fetched and encoded, or an indexed document's stored vector) each give an L2-normalised
 * embedding; several are summed, each times its weight (a text's own, 1 for the image), and normalised again. With equal
 * weights that is the mean direction, as CLIP's authors ensemble prompts; a negative weight points the query away from a text.
 */
public final class QueryEncoder {
    /** An indexed document whose stored vector is the query image. */
    public record DocumentRef(String index, String id) {}

    private final Supplier<InferenceService> inference;
    private final Supplier<ImagePipeline> images;
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
        Supplier<ImagePipeline> images,
        Supplier<ImageBatchEmbedder> embedder,
        Supplier<Calibration> calibration
    ) {
        this.inference = inference;
        this.images = images;
        this.embedder = embedder;
        this.calibration = calibration;
    }

    /** What the check of the target's vector models reads; set once the node's services exist. */
    private volatile ClusterService clusterService;
    private volatile IndexNameExpressionResolver resolver;

    public void checkModelsWith(ClusterService clusterService, IndexNameExpressionResolver resolver) {
        this.clusterService = clusterService;
        this.resolver = resolver;
    }

    /** The {@code plugins.clip.models.<model>.*} settings, which take precedence over what the model's folder states. */
    private volatile ModelSettingsService modelSettings = new ModelSettingsService(Settings.EMPTY);

    public void modelSettingsFrom(ModelSettingsService modelSettings) {
        this.modelSettings = modelSettings;
    }

    /** The query's other node-level look-up: the stored profiles its rewrite reads, through a short node cache. */
    private final ProfileStore profiles = new ProfileStore();

    public ProfileStore profiles() {
        return profiles;
    }

    /** The node's calibration defaults (the {@code plugins.clip.hybrid.*} settings), for models that state no band of their own. */
    public Calibration defaultCalibration() {
        return calibration.get();
    }

    /**
     * The calibration queries on {@code model} start from: its own cosine band when it is loaded and states one, else the
     * node's; never loads a model.
     */
    public Calibration calibrationOf(String model) {
        ClipModel loaded = inference.get().loadedModel(model);
        return calibration(bandOf(model, loaded == null ? null : loaded.cosineBand()));
    }

    /** The model's band by precedence: its per-model setting, else its folder's (null: neither, the node's decides). */
    private float[] bandOf(String model, float[] folderBand) {
        InferenceService service = inference.get();
        // null only where no node runs (unit tests of the query's parts)
        return modelSettings.band(service == null ? model : service.resolve(model), folderBand);
    }

    /**
     * The calibration of a query on {@code model}, on a shard: the band the coordinator found (null: none, or no look-up ran),
     * under the model's per-model setting, which the cluster state gives every node alike.
     */
    Calibration calibration(String model, float[] lookedUpBand) {
        return calibration(bandOf(model, lookedUpBand));
    }

    /** The node's calibration with a model's own cosine band, where it states one (null: none). */
    Calibration calibration(float[] modelBand) {
        Calibration node = defaultCalibration();
        return modelBand == null ? node : new Calibration(modelBand[0], modelBand[1], node.textFloor());
    }

    /**
     * What the coordinator needs to know of the model before the shards score: its own cosine band (null: none) and, for each
     * word, how many BPE pieces its tokenizer cuts it into (a word the model knows whole is one piece).
     */
    record ModelFacts(float[] cosineBand, Map<String, Integer> pieces) {
        static final ModelFacts UNKNOWN = new ModelFacts(null, Map.of());
    }

    /**
     * The model's facts: at once when the model is loaded (cutting a few words into pieces takes microseconds), else on the
     * query pool, where the model loads on first use. A model that cannot be loaded knows nothing: a query with its own vector
     * still runs, on the node's defaults and without names.
     */
    void modelFacts(String model, List<String> words, ActionListener<ModelFacts> listener) {
        ClipModel loaded = inference.get().loadedModel(model);
        if (loaded != null) {
            ModelFacts facts;
            try {
                facts = factsOf(loaded, words);
            } catch (RuntimeException e) {
                facts = ModelFacts.UNKNOWN;
            }
            listener.onResponse(withSettings(model, facts));
            return;
        }
        inference.get()
            .executeForQuery(
                model,
                m -> factsOf(m, words),
                ActionListener.wrap(f -> listener.onResponse(withSettings(model, f)), e -> listener.onResponse(withSettings(model, ModelFacts.UNKNOWN)))
            );
    }

    /** The facts with the band a per-model setting gives in place of the folder's; the shards get it with the look-up. */
    private ModelFacts withSettings(String model, ModelFacts facts) {
        float[] band = bandOf(model, facts.cosineBand());
        return band == facts.cosineBand() ? facts : new ModelFacts(band, facts.pieces());
    }

    private static ModelFacts factsOf(ClipModel model, List<String> words) {
        Map<String, Integer> pieces = new HashMap<>();
        for (String word : words) {
            pieces.put(word, model.pieces(word));
        }
        return new ModelFacts(model.cosineBand(), pieces);
    }

    void encode(
        Client client,
        SearchRequest request,
        String model,
        List<WeightedText> texts,
        String promptTemplate,
        String language,
        String image,
        DocumentRef document,
        String vectorField,
        ActionListener<float[]> listener
    ) {
        List<Consumer<ActionListener<float[]>>> parts = new ArrayList<>();
        List<Float> weights = new ArrayList<>();
        // the request's own template and language win; else the model's per-model settings, else the text as it is
        Overrides perModel = modelSettings.overrides(inference.get().resolve(model));
        String template = promptTemplate != null ? promptTemplate : perModel.promptTemplate();
        String textLanguage = language != null ? language : perModel.language();
        for (WeightedText text : texts) {
            String prompt = template == null ? text.text() : template.replace("{}", text.text());
            parts.add(l -> inference.get().embedText(model, prompt, textLanguage, l));
            weights.add(text.weight());
        }
        if (image != null) {
            parts.add(l -> embedImage(model, image, l));
            weights.add(1f);
        }
        if (document != null) {
            parts.add(l -> storedVector(client, document, vectorField, l));
            weights.add(1f);
        }
        if (request != null && (texts.isEmpty() == false || image != null)) {
            listener = checkedAgainstTarget(request, model, vectorField, listener);
        }
        ActionListener<float[]> done = listener;
        float[][] vectors = new float[parts.size()][];
        AtomicInteger pending = new AtomicInteger(parts.size());
        AtomicReference<Exception> failure = new AtomicReference<>();
        for (int i = 0; i < parts.size(); i++) {
            int slot = i;
            parts.get(i).accept(ActionListener.wrap(v -> {
                vectors[slot] = v;
                if (pending.decrementAndGet() == 0) {
                    finish(vectors, weights, failure.get(), done);
                }
            }, e -> {
                failure.compareAndSet(null, e);
                if (pending.decrementAndGet() == 0) {
                    finish(vectors, weights, failure.get(), done);
                }
            }));
        }
    }

    /**
     * The vector, once the model that encoded it is known to be the one whose vectors the target's field holds (its mapping's
     * stamp, {@link VectorModels}); a query of another model's vectors would answer with noise.
     */
    private ActionListener<float[]> checkedAgainstTarget(SearchRequest request, String model, String vectorField, ActionListener<float[]> listener) {
        ClusterService cluster = clusterService;
        if (cluster == null) {
            return listener;
        }
        return ActionListener.wrap(vector -> {
            ClipModel used = inference.get().loadedModel(model);
            if (used != null) {
                ClusterState state = cluster.state();
                String[] indices;
                try {
                    indices = resolver.concreteIndexNames(state, request);
                } catch (RuntimeException e) {
                    // the search reports a missing index in its own words
                    indices = new String[0];
                }
                VectorModels.checkQuery(state, indices, vectorField, VectorModel.of(used), "[" + ClipHybridOptions.NAME + "] [vector_field]");
            }
            listener.onResponse(vector);
        }, listener::onFailure);
    }

    private static void finish(float[][] vectors, List<Float> weights, Exception failure, ActionListener<float[]> listener) {
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
        float[] direction;
        try {
            direction = weightedDirection(vectors, weights);
        } catch (IllegalArgumentException e) {
            listener.onFailure(e);
            return;
        }
        listener.onResponse(direction);
    }

    /**
     * Below this fraction of the weights' total, the weighted sum is what is left of texts that cancel out (a text and its own
     * negative, or near-synonyms): its direction is rounding noise, and searching it would rank noise.
     */
    static final double MIN_SUM_LENGTH = 1e-3;

    /**
     * The normalised weighted sum; one positive vector is returned as it is, so a single text searches with exactly its cached
     * embedding. Weight 1 multiplies exactly, so an unweighted query gets the normalised plain sum (the mean's direction) to the bit.
     *
     * @throws IllegalArgumentException when the weights cancel the vectors out
     */
    static float[] weightedDirection(float[][] vectors, List<Float> weights) {
        if (vectors.length == 1 && weights.get(0) > 0) {
            return vectors[0];
        }
        float[] sum = new float[vectors[0].length];
        double total = 0;
        for (int v = 0; v < vectors.length; v++) {
            float w = weights.get(v);
            total += Math.abs(w);
            for (int i = 0; i < sum.length; i++) {
                sum[i] += w * vectors[v][i];
            }
        }
        double length = Vectors.length(sum);
        if (length < MIN_SUM_LENGTH * total) {
            throw new IllegalArgumentException(
                "[" + ClipHybridOptions.NAME + "] [query_text] weights cancel out: the weighted sum of the query embeddings has length "
                    + (float) length + " for weights totalling " + (float) total + ", so it has no direction to search; "
                    + "give the positive texts more weight than the negative ones that mean the same"
            );
        }
        return Vectors.normalise(sum);
    }

    private void embedImage(String model, String value, ActionListener<float[]> listener) {
        byte[] digest = MessageDigests.sha256().digest(value.getBytes(StandardCharsets.UTF_8));
        String key = inference.get().resolve(model) + '\u0000' + MessageDigests.toHexString(digest);
        float[] cached = imageCache.get(key);
        if (cached != null) {
            listener.onResponse(cached);
            return;
        }
        ImagePipeline inputs = images.get();
        ImagePipeline.Input input;
        try {
            input = inputs.parse(value);
        } catch (IllegalArgumentException e) {
            listener.onFailure(ImagePipeline.failure("[" + ClipHybridOptions.NAME + "] [query_image]", null, e));
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

    /** The value at a dotted path of a document's source, through nested objects; null where the path ends early. */
    public static Object extract(Map<String, Object> source, String path) {
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
