package org.opensearch.cliphybrid.model;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Field;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Direct memory that is given back to the operating system when freed, not when a garbage collection happens to run the
 * buffer's cleaner: a collector that sees a small heap object has no reason to hurry, while the native memory behind it may
 * be megabytes. On Java 22 and later each block is a confined-to-nothing shared {@code Arena} of its own, freed by closing it;
 * on Java 21, where that API is still a preview the plugin does not enable, {@code Unsafe.invokeCleaner} frees it (the method
 * Lucene used to unmap files for the same reason). Both are looked up reflectively because the plugin compiles for Java 21.
 */
final class OffHeap {
    private static final Logger logger = LogManager.getLogger(OffHeap.class);
    private static final Allocator ALLOCATOR = allocator();

    private OffHeap() {}

    /** Native-order direct bytes and how to free them; free at most once, and never while native code still reads them. */
    record Block(ByteBuffer bytes, Object owner) {
        void free() {
            ALLOCATOR.free(this);
        }
    }

    static Block allocate(int bytes) {
        return ALLOCATOR.allocate(bytes);
    }

    private interface Allocator {
        Block allocate(int bytes);

        void free(Block block);
    }

    private static Allocator allocator() {
        try {
            if (Runtime.version().feature() >= 22) {
                return arenas();
            }
            return cleaner();
        } catch (ReflectiveOperationException | RuntimeException e) {
            logger.warn("cannot free direct memory explicitly on this JVM; model input buffers are left to the garbage collector", e);
            return new Allocator() {
                @Override
                public Block allocate(int bytes) {
                    return new Block(ByteBuffer.allocateDirect(bytes).order(ByteOrder.nativeOrder()), null);
                }

                @Override
                public void free(Block block) {}
            };
        }
    }

    private static Allocator arenas() throws ReflectiveOperationException {
        MethodHandles.Lookup lookup = MethodHandles.publicLookup();
        Class<?> arenaClass = Class.forName("java.lang.foreign.Arena");
        Class<?> segmentClass = Class.forName("java.lang.foreign.MemorySegment");
        MethodHandle ofShared = lookup.findStatic(arenaClass, "ofShared", MethodType.methodType(arenaClass));
        MethodHandle allocate = lookup.findVirtual(arenaClass, "allocate", MethodType.methodType(segmentClass, long.class, long.class));
        MethodHandle asByteBuffer = lookup.findVirtual(segmentClass, "asByteBuffer", MethodType.methodType(ByteBuffer.class));
        MethodHandle close = lookup.findVirtual(arenaClass, "close", MethodType.methodType(void.class));
        return new Allocator() {
            @Override
            public Block allocate(int bytes) {
                try {
                    Object arena = ofShared.invoke();
                    try {
                        // 64: a cache line, which is also what ONNX Runtime aligns its own tensors to
                        ByteBuffer buffer = (ByteBuffer) asByteBuffer.invoke(allocate.invoke(arena, (long) bytes, 64L));
                        return new Block(buffer.order(ByteOrder.nativeOrder()), arena);
                    } catch (Throwable t) {
                        close.invoke(arena);
                        throw t;
                    }
                } catch (Error | RuntimeException e) {
                    throw e;
                } catch (Throwable t) {
                    throw new IllegalStateException("cannot allocate " + bytes + " bytes of direct memory", t);
                }
            }

            @Override
            public void free(Block block) {
                try {
                    close.invoke(block.owner());
                } catch (Error | RuntimeException e) {
                    throw e;
                } catch (Throwable t) {
                    throw new IllegalStateException(t);
                }
            }
        };
    }

    private static Allocator cleaner() throws ReflectiveOperationException {
        Class<?> unsafeClass = Class.forName("sun.misc.Unsafe");
        Field field = unsafeClass.getDeclaredField("theUnsafe");
        field.setAccessible(true);
        MethodHandle invokeCleaner = MethodHandles.lookup()
            .findVirtual(unsafeClass, "invokeCleaner", MethodType.methodType(void.class, ByteBuffer.class))
            .bindTo(field.get(null));
        return new Allocator() {
            @Override
            public Block allocate(int bytes) {
                return new Block(ByteBuffer.allocateDirect(bytes).order(ByteOrder.nativeOrder()), null);
            }

            @Override
            public void free(Block block) {
                try {
                    invokeCleaner.invokeExact(block.bytes());
                } catch (Error | RuntimeException e) {
                    throw e;
                } catch (Throwable t) {
                    throw new IllegalStateException(t);
                }
            }
        };
    }
}
