package org.opensearch.cliphybrid.inference;

import org.opensearch.cliphybrid.model.ClipModel;
import org.opensearch.cliphybrid.model.ModelRegistry;
import org.opensearch.cliphybrid.stats.ClipStats;
import org.opensearch.common.CheckedFunction;
import org.opensearch.common.cache.Cache;
import org.opensearch.common.cache.CacheBuilder;
import org.opensearch.common.unit.TimeValue;
import org.opensearch.core.action.ActionListener;
import org.opensearch.threadpool.ThreadPool;

import java.nio.FloatBuffer;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;

/**
 * Runs CLIP work on the plugin's own bounded thread pools, never on transport, search or write threads: ingest batches,
 * {@code _embed} and label prompts on {@link #THREAD_POOL}, the encodings a search waits for on {@link #QUERY_THREAD_POOL},
 * so that a query never queues behind a bulk's image batches and concurrent queries encode side by side. A full queue
 * rejects the task (HTTP 429, retryable) instead of piling up memory. Query embeddings are cached so that paging and
 * repeated queries do not encode the same text again.
 */
public final class InferenceService {
    public static final String THREAD_POOL = "clip_inference";
    public static final String QUERY_THREAD_POOL = "clip_query";

    private final ModelRegistry models;
    private final ThreadPool threadPool;
    private final ClipStats stats;
    /** The longest text the encoder takes: CLIP reads 77 tokens, and tokenizing a longer text is work a request should not buy. */
    public static final int MAX_TEXT_CHARS = 2048;
    /** Bytes of query embeddings kept: a count would let long texts or wide vectors take any amount of heap. */
    private static final long TEXT_CACHE_BYTES = 16L << 20;

    private final Cache<TextKey, float[]> textCache = CacheBuilder.<TextKey, float[]>builder()
        .setMaximumWeight(TEXT_CACHE_BYTES)
        .weigher((key, vector) -> 2L * (key.model().length() + key.text().length()) + 4L * vector.length + 64)
        .setExpireAfterAccess(TimeValue.timeValueMinutes(30))
        .build();
    private volatile String defaultModel;

    /** A query text's vector depends on its language as well (NLLB towers); null: the tokenizer's default. */
    private record TextKey(String model, String text, String language) {}

    public InferenceService(ModelRegistry models, ThreadPool threadPool, ClipStats stats, String defaultModel) {
        this.models = models;
        this.threadPool = threadPool;
        this.stats = stats;
        this.defaultModel = defaultModel;
    }

    public void setDefaultModel(String defaultModel) {
        this.defaultModel = defaultModel;
    }

    /** The model a request means: the one it names, else {@code plugins.clip.model.default}. */
    public String resolve(String requested) {
        return requested == null || requested.isEmpty() ? defaultModel : requested;
    }

    /** The named (or default) model if it is loaded already, else null; never loads it. */
    public ClipModel loadedModel(String requested) {
        return models.ifLoaded(resolve(requested));
    }

    /** The named (or default) model, loaded on first use: slow then, so never call it on a transport or write thread. */
    public ClipModel model(String requested) {
        return models.get(resolve(requested));
    }

    /**
     * One call of the image encoder on already preprocessed images ({@code ImagePipeline.Prepared#pixelValues}), timed and
     * counted as one batch.
     */
    public float[][] encodeImages(ClipModel model, List<FloatBuffer> pixelValues) throws Exception {
        long start = System.nanoTime();
        float[][] vectors = model.embedPixels(pixelValues);
        stats.imageBatch(pixelValues.size(), System.nanoTime() - start);
        return vectors;
    }

    /** Runs {@code work} with the named (or default) model on the inference pool; the model loads on first use. */
    public <T> void execute(String model, CheckedFunction<ClipModel, T, Exception> work, ActionListener<T> listener) {
        run(THREAD_POOL, model, work, listener);
    }

    /** As {@link #execute}, for the encodings of a search request: on the query pool. */
    public <T> void executeForQuery(String model, CheckedFunction<ClipModel, T, Exception> work, ActionListener<T> listener) {
        run(QUERY_THREAD_POOL, model, work, listener);
    }

    private <T> void run(String pool, String model, CheckedFunction<ClipModel, T, Exception> work, ActionListener<T> listener) {
        String name = resolve(model);
        ExecutorService executor = threadPool.executor(pool);
        try {
            executor.execute(() -> {
                T result;
                try {
                    result = work.apply(models.get(name));
                } catch (Exception e) {
                    listener.onFailure(e);
                    return;
                }
                listener.onResponse(result);
            });
        } catch (RejectedExecutionException e) {
            listener.onFailure(e);
        }
    }

    /**
     * The embedding of one text, encoded alone as every text is, so that a vector never depends on its neighbours;
     * {@code language} a FLORES-200 code for NLLB towers, null for the tokenizer's default.
     */
    public float[] encodeText(ClipModel model, String text, String language) throws Exception {
        checkLength(text);
        long start = System.nanoTime();
        float[] vector = model.embedTexts(List.of(text), language)[0];
        stats.texts(1, System.nanoTime() - start);
        return vector;
    }

    /** Refuses a text longer than {@link #MAX_TEXT_CHARS}, whichever way it came in. */
    public static void checkLength(String text) {
        if (text.length() > MAX_TEXT_CHARS) {
            throw new IllegalArgumentException("text of " + text.length() + " characters is longer than the limit of " + MAX_TEXT_CHARS);
        }
    }

    /** The L2-normalised embedding of one query text, encoded on the query pool. */
    public void embedText(String model, String text, String language, ActionListener<float[]> listener) {
        TextKey key = new TextKey(resolve(model), text, language);
        float[] cached = textCache.get(key);
        // only while the model is served: a registered model that was deleted must fail by name, not answer from the cache
        if (cached != null && models.ifLoaded(key.model()) != null) {
            listener.onResponse(cached);
            return;
        }
        executeForQuery(key.model(), m -> encodeText(m, text, language), ActionListener.wrap(vector -> {
            textCache.put(key, vector);
            listener.onResponse(vector);
        }, listener::onFailure));
    }
}
