package org.opensearch.cliphybrid.testing;

import org.opensearch.cliphybrid.image.ImageLoader;
import org.opensearch.cliphybrid.inference.ImageBatchEmbedder;
import org.opensearch.cliphybrid.inference.InferenceService;
import org.opensearch.cliphybrid.model.InferenceDevice;
import org.opensearch.cliphybrid.model.ModelRegistry;
import org.opensearch.cliphybrid.model.OrtThreads;
import org.opensearch.cliphybrid.net.FetchLimits;
import org.opensearch.cliphybrid.net.GuardedHttpClient;
import org.opensearch.cliphybrid.pipeline.BytesInFlight;
import org.opensearch.cliphybrid.pipeline.ImagePipeline;
import org.opensearch.cliphybrid.stats.ClipStats;
import org.opensearch.common.settings.Settings;
import org.opensearch.threadpool.FixedExecutorBuilder;
import org.opensearch.threadpool.TestThreadPool;
import org.opensearch.threadpool.ThreadPool;

import java.io.Closeable;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The ingest path as the plugin wires it, on real pools, with the real mini-clip model as the default and the Flickr8k
 * images as {@code plugins.clip.images.path}. One fetch thread, so that a batch's images are prepared in order.
 */
public final class InferenceFixture implements Closeable {
    public final ThreadPool threadPool;
    public final ModelRegistry models;
    public final ClipStats stats = new ClipStats();
    public final InferenceService inference;
    public final BytesInFlight budget = new BytesInFlight(100L << 20);
    public final ImagePipeline pipeline;
    public final ImageBatchEmbedder embedder;

    public InferenceFixture(String name, int fetchQueueSize) {
        threadPool = new TestThreadPool(
            name,
            new FixedExecutorBuilder(Settings.EMPTY, InferenceService.THREAD_POOL, 1, 10, "plugins.clip.inference"),
            new FixedExecutorBuilder(Settings.EMPTY, InferenceService.QUERY_THREAD_POOL, 1, 10, "plugins.clip.query"),
            new FixedExecutorBuilder(Settings.EMPTY, ImageBatchEmbedder.FETCH_POOL, 1, fetchQueueSize, "plugins.clip.fetch")
        );
        Path miniClip = SharedFixtures.miniClip();
        models = new ModelRegistry(miniClip.getParent(), false, OrtThreads.intraOp(1), InferenceDevice.CPU);
        inference = new InferenceService(models, threadPool, stats, miniClip.getFileName().toString());
        Path images = SharedFixtures.flickrImages();
        pipeline = new ImagePipeline(
            new ImageLoader(new GuardedHttpClient()),
            () -> new ImageLoader.Limits(images, new FetchLimits(20 << 20, 1000, 1000, FetchLimits.DEFAULT_FETCH_TIMEOUT_MILLIS, false)),
            () -> 40_000_000L,
            budget,
            stats
        );
        embedder = new ImageBatchEmbedder(inference, pipeline, threadPool, stats);
    }

    @Override
    public void close() {
        ThreadPool.terminate(threadPool, 10, TimeUnit.SECONDS);
        models.close();
    }
}
