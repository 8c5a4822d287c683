package org.opensearch.cliphybrid.model;

import org.opensearch.common.lease.Releasable;
import org.opensearch.core.concurrency.OpenSearchRejectedExecutionException;

import java.io.Closeable;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Off-heap float buffers for model inputs, reused rather than allocated per image. An image's {@code pixel_values} are
 * 600 KB at 224x224: on the heap each one is a humongous object for G1's 1 MB regions, and an ingest of many images at
 * once tripped the parent circuit breaker at 1 GB heap. Here they live in direct memory, which ONNX Runtime reads in
 * place. A lease hands its buffer to one holder at a time; when none is spare a new one is allocated, and of those
 * given back at most {@code maxSpare} are kept, the rest freed at once (see {@link OffHeap}).
 */
public final class DirectFloatPool implements Closeable {
    private final int maxSpare;
    /** Guarded by this. */
    private final List<OffHeap.Block> spare = new ArrayList<>();
    /** Guarded by this. */
    private boolean closed;
    private final AtomicLong allocations = new AtomicLong();

    public DirectFloatPool(int maxSpare) {
        if (maxSpare < 0) {
            throw new IllegalArgumentException("maxSpare must be >= 0, but was " + maxSpare);
        }
        this.maxSpare = maxSpare;
    }

    /** A buffer of exactly {@code floats} floats (capacity, and limit from position 0), native order, contents undefined. */
    public Lease acquire(int floats) {
        if (floats < 1 || floats > Integer.MAX_VALUE / Float.BYTES) {
            throw new IllegalArgumentException("cannot hold " + floats + " floats in one direct buffer");
        }
        int bytes = floats * Float.BYTES;
        OffHeap.Block block = take(bytes);
        if (block == null) {
            try {
                block = OffHeap.allocate(bytes);
            } catch (OutOfMemoryError e) {
                // native memory (or, on Java 21, -XX:MaxDirectMemorySize) ran out, not the heap: refuse this image as
                // retryable, and keep the error from a pool thread's uncaught handler, which would stop the node
                throw new OpenSearchRejectedExecutionException(
                    "no native memory left for " + bytes + " bytes of model input: " + e.getMessage()
                );
            }
            allocations.incrementAndGet();
        }
        return new Lease(block, floats);
    }

    /** The smallest spare that is large enough, so that a small request does not hold on to a large buffer. */
    private synchronized OffHeap.Block take(int bytes) {
        if (closed) {
            throw new IllegalStateException("the model's input buffers are closed");
        }
        int best = -1;
        for (int i = 0; i < spare.size(); i++) {
            int capacity = spare.get(i).bytes().capacity();
            if (capacity >= bytes && (best < 0 || capacity < spare.get(best).bytes().capacity())) {
                best = i;
            }
        }
        return best < 0 ? null : spare.remove(best);
    }

    private void giveBack(OffHeap.Block block) {
        OffHeap.Block drop = block;
        synchronized (this) {
            if (closed == false) {
                spare.add(block);
                drop = null;
                if (spare.size() > maxSpare) {
                    int smallest = 0;
                    for (int i = 1; i < spare.size(); i++) {
                        if (spare.get(i).bytes().capacity() < spare.get(smallest).bytes().capacity()) {
                            smallest = i;
                        }
                    }
                    drop = spare.remove(smallest);
                }
            }
        }
        if (drop != null) {
            drop.free();
        }
    }

    /** How many buffers this pool has allocated so far: what reuse saves. */
    public long allocations() {
        return allocations.get();
    }

    public synchronized int spare() {
        return spare.size();
    }

    /** Frees the spare buffers; buffers still leased are freed when given back. */
    @Override
    public void close() {
        List<OffHeap.Block> free;
        synchronized (this) {
            closed = true;
            free = new ArrayList<>(spare);
            spare.clear();
        }
        for (OffHeap.Block block : free) {
            block.free();
        }
    }

    /** One buffer, held until closed; closing twice gives it back once. */
    public final class Lease implements Releasable {
        private final OffHeap.Block block;
        private final FloatBuffer floats;
        private final AtomicBoolean released = new AtomicBoolean();

        private Lease(OffHeap.Block block, int floats) {
            this.block = block;
            // ByteBuffer.duplicate forgets the byte order, and ONNX Runtime reads the memory as native floats
            this.floats = block.bytes().duplicate().order(ByteOrder.nativeOrder()).limit(floats * Float.BYTES).asFloatBuffer();
        }

        /** A view of the buffer with its own position and limit (0 and the size asked for); not usable once closed. */
        public FloatBuffer floats() {
            if (released.get()) {
                throw new IllegalStateException("the buffer was given back");
            }
            return floats.duplicate();
        }

        @Override
        public void close() {
            if (released.compareAndSet(false, true)) {
                giveBack(block);
            }
        }
    }
}
