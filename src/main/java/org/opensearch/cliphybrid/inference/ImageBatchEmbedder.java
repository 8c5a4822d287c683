package org.opensearch.cliphybrid.inference;

import org.opensearch.cliphybrid.image.ImageFailure;
import org.opensearch.cliphybrid.model.ClipModel;
import org.opensearch.cliphybrid.pipeline.BytesInFlight;
import org.opensearch.cliphybrid.pipeline.ImagePipeline;
import org.opensearch.cliphybrid.stats.ClipStats;
import org.opensearch.common.CheckedFunction;
import org.opensearch.core.action.ActionListener;
import org.opensearch.threadpool.ThreadPool;

import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Embeds a batch of images: each image is read, fetched, decoded and preprocessed as a task of its own on the
 * {@code clip_fetch} pool (so a batch's slow URLs overlap, and the pool's size bounds how many run at once on the node), and
 * the images that made it run through the image encoder as one batch on the {@code clip_inference} pool. Nothing waits on a
 * thread: the last preparation to finish hands the batch on. Each image gets its own outcome, so one bad image fails alone.
 */
public final class ImageBatchEmbedder {
    public static final String FETCH_POOL = "clip_fetch";

    /** The vector of one image, or why it has none. */
    public record Outcome(float[] vector, Exception failure) {}

    private final InferenceService inference;
    private final ImagePipeline images;
    private final ThreadPool threadPool;
    private final ClipStats stats;

    public ImageBatchEmbedder(InferenceService inference, ImagePipeline images, ThreadPool threadPool, ClipStats stats) {
        this.inference = inference;
        this.images = images;
        this.threadPool = threadPool;
        this.stats = stats;
    }

    /**
     * Calls {@code done} once, with one outcome per input in the same order, on whichever thread finished last; the images hold
     * their bytes on behalf of {@code share}, the request they belong to.
     */
    public void embed(String model, List<ImagePipeline.Input> inputs, BytesInFlight.Share share, Consumer<Outcome[]> done) {
        int size = inputs.size();
        Outcome[] outcomes = new Outcome[size];
        ImagePipeline.Prepared[] prepared = new ImagePipeline.Prepared[size];
        // the decrement that reaches zero publishes every slot written before it to the thread that runs the batch
        AtomicInteger pending = new AtomicInteger(size);
        Runnable oneDone = () -> {
            if (pending.decrementAndGet() == 0) {
                infer(model, prepared, outcomes, done);
            }
        };
        for (int i = 0; i < size; i++) {
            int slot = i;
            onFetchPool(() -> {
                try {
                    prepared[slot] = images.prepare(inputs.get(slot), inference.model(model), share);
                } catch (Exception e) {
                    outcomes[slot] = new Outcome(null, e);
                } finally {
                    oneDone.run();
                }
            }, e -> {
                outcomes[slot] = new Outcome(null, e);
                oneDone.run();
            });
        }
    }

    /** Runs {@code task} on the fetch pool; a full queue is counted as a rejected image and handed to {@code rejected}. */
    private void onFetchPool(Runnable task, Consumer<RejectedExecutionException> rejected) {
        try {
            threadPool.executor(FETCH_POOL).execute(task);
        } catch (RejectedExecutionException e) {
            stats.failed(ImageFailure.REJECTED);
            rejected.accept(e);
        }
    }

    /**
     * One image of a request ({@code _embed}, {@code query_image}) encoded alone, as ingest does with {@code batch_size} 1, so
     * the vector equals a stored one bit for bit. Reading, fetching and decoding run on the fetch pool, as for ingest, so that a
     * slow URL never holds an inference or query thread; the encoding runs on the query pool when {@code forQuery}, else on the
     * inference pool. Failures name {@code where} and the image; a full queue or a spent byte budget stays a rejection (429).
     */
    public void embedAlone(String where, String model, ImagePipeline.Input input, boolean forQuery, ActionListener<float[]> listener) {
        BytesInFlight.Share share = images.share();
        onFetchPool(() -> {
            ClipModel loaded;
            try {
                loaded = inference.model(model);
            } catch (Exception e) {
                listener.onFailure(e);
                return;
            }
            ImagePipeline.Prepared prepared;
            try {
                prepared = images.prepare(input, loaded, share);
            } catch (RejectedExecutionException e) {
                listener.onFailure(e);
                return;
            } catch (Exception e) {
                listener.onFailure(ImagePipeline.failure(where, input.source(), e));
                return;
            }
            CheckedFunction<ClipModel, float[], Exception> encode = m -> inference.encodeImages(m, List.of(prepared.pixelValues()))[0];
            ActionListener<float[]> closing = ActionListener.runAfter(listener, prepared::close);
            if (forQuery) {
                inference.executeForQuery(model, encode, closing);
            } else {
                inference.execute(model, encode, closing);
            }
        }, listener::onFailure);
    }

    private void infer(String model, ImagePipeline.Prepared[] prepared, Outcome[] outcomes, Consumer<Outcome[]> done) {
        List<Integer> slots = new ArrayList<>();
        List<FloatBuffer> pixels = new ArrayList<>();
        for (int i = 0; i < prepared.length; i++) {
            if (prepared[i] != null) {
                slots.add(i);
                pixels.add(prepared[i].pixelValues());
            }
        }
        if (slots.isEmpty()) {
            done.accept(outcomes);
            return;
        }
        inference.execute(model, m -> inference.encodeImages(m, pixels), ActionListener.runAfter(ActionListener.wrap(vectors -> {
            for (int k = 0; k < slots.size(); k++) {
                outcomes[slots.get(k)] = new Outcome(vectors[k], null);
            }
        }, e -> {
            for (int slot : slots) {
                stats.failed(ImageFailure.of(e));
                outcomes[slot] = new Outcome(null, e);
            }
        }), () -> {
            for (int slot : slots) {
                prepared[slot].close();
            }
            done.accept(outcomes);
        }));
    }
}
