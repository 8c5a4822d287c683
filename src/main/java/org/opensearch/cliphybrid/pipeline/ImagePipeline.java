package org.opensearch.cliphybrid.pipeline;

import org.opensearch.cliphybrid.ErrorReason;
import org.opensearch.cliphybrid.image.ImageDecoder;
import org.opensearch.cliphybrid.image.ImageFailure;
import org.opensearch.cliphybrid.image.ImageLoadException;
import org.opensearch.cliphybrid.image.ImageLoader;
import org.opensearch.cliphybrid.image.ImageSource;
import org.opensearch.cliphybrid.model.ClipModel;
import org.opensearch.cliphybrid.model.DirectFloatPool;
import org.opensearch.cliphybrid.stats.ClipStats;
import org.opensearch.common.lease.Releasable;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.util.function.Supplier;

/**
 * The one way from an image reference, as a user writes it, to the {@code pixel_values} a model takes: parse, load (read,
 * fetch or take inline), reserve in the byte budget, decode, preprocess. Ingest, the REST API and queries all go through it, so that one image gives one vector and one error wording whichever way it came in; every image
 * is timed, counted and held within the node's {@link BytesInFlight} budget on the way.
 */
public final class ImagePipeline {
    /** A parsed reference with the limits in force when it arrived, so a settings change cannot apply halfway through. */
    public record Input(ImageSource source, ImageLoader.Limits limits, long maxPixels) {}

    /**
     * An image ready for the model, its {@code pixel_values} in a pooled direct buffer of the model's; closing it gives the
     * buffer and its share of the budget back, so close it once the model has run, and read nothing from it after.
     */
    public static final class Prepared implements Releasable {
        private final DirectFloatPool.Lease pixelValues;
        private final BytesInFlight budget;
        private final BytesInFlight.Share share;
        private long reserved;

        private Prepared(DirectFloatPool.Lease pixelValues, BytesInFlight budget, BytesInFlight.Share share, long reserved) {
            this.pixelValues = pixelValues;
            this.budget = budget;
            this.share = share;
            this.reserved = reserved;
        }

        /** The image's {@code channels x height x width} floats, as the buffer's remaining values. */
        public FloatBuffer pixelValues() {
            return pixelValues.floats();
        }

        @Override
        public synchronized void close() {
            pixelValues.close();
            budget.release(0, reserved, share);
            reserved = 0;
        }
    }

    private final ImageLoader loader;
    private final Supplier<ImageLoader.Limits> limits;
    private final Supplier<Long> maxPixels;
    private final BytesInFlight budget;
    private final ClipStats stats;

    public ImagePipeline(
        ImageLoader loader,
        Supplier<ImageLoader.Limits> limits,
        Supplier<Long> maxPixels,
        BytesInFlight budget,
        ClipStats stats
    ) {
        this.loader = loader;
        this.limits = limits;
        this.maxPixels = maxPixels;
        this.budget = budget;
        this.stats = stats;
    }

    /** Throws IllegalArgumentException when {@code value} is no image reference (bad base64, unsupported scheme, ...). */
    public Input parse(String value) {
        ImageLoader.Limits now = limits.get();
        try {
            // the byte cap applies to inline images before their base64 is decoded
            return new Input(ImageSource.parse(value, now.maxBytes()), now, maxPixels.get());
        } catch (ImageLoadException e) {
            stats.failed(e.failure());
            throw e;
        } catch (IllegalArgumentException e) {
            stats.failed(ImageFailure.INVALID);
            throw e;
        }
    }

    /**
     * Reads or fetches, decodes and preprocesses: slow and blocking, so it runs on the fetch pool, never on a transport,
     * write, inference or query thread. Holds its bytes on behalf of {@code share}, the request
     * it belongs to; fails with a 429 when the node's byte budget is spent by other requests.
     */
    public Prepared prepare(Input input, ClipModel model, BytesInFlight.Share share) throws IOException {
        try {
            long start = System.nanoTime();
            byte[] bytes = loader.load(input.source(), input.limits());
            long loaded = System.nanoTime();
            stats.fetched(bytes.length, loaded - start);
            // the model input is reserved up front with the encoded bytes, so an image that got this far is not refused later
            long modelInputBytes = (long) Float.BYTES * model.preprocessor().size();
            String what = input.source().describe();
            budget.reserve(bytes.length, modelInputBytes, 0, share, what);
            long[] decodedBytes = { 0 };
            try {
                BufferedImage image = ImageDecoder.decode(bytes, input.maxPixels(), (width, height, bytesHeld) -> {
                    // what the decoder says it will hold at its peak, worked out from the reader's image type and format
                    budget.reserve(bytesHeld, 0, bytes.length, share, what);
                    decodedBytes[0] += bytesHeld;
                });
                long decoded = System.nanoTime();
                stats.stage(ClipStats.Stage.DECODE, decoded - loaded);
                DirectFloatPool.Lease pixels = model.preprocess(image);
                stats.stage(ClipStats.Stage.PREPROCESS, System.nanoTime() - decoded);
                return new Prepared(pixels, budget, share, modelInputBytes);
            } catch (Exception e) {
                budget.release(0, modelInputBytes, share);
                throw e;
            } finally {
                budget.release(bytes.length + decodedBytes[0], 0, share);
            }
        } catch (Exception e) {
            stats.failed(ImageFailure.of(e));
            throw e;
        }
    }

    /** A new holder of budget bytes, for the images of one request. */
    public BytesInFlight.Share share() {
        return budget.share();
    }

    /** Names where the value was ({@code where}), which image it named when that is known, and the cause. */
    public static IllegalArgumentException failure(String where, ImageSource source, Exception cause) {
        return new IllegalArgumentException(where + describe(source) + ": " + ErrorReason.of(cause), cause);
    }

    public static String describe(ImageSource source) {
        return source == null ? "" : " " + source.describe();
    }
}
