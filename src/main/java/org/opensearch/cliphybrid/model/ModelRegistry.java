package org.opensearch.cliphybrid.model;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.opensearch.common.unit.TimeValue;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import java.util.stream.Stream;

/**
 * The CLIP models of this node: folders under {@code <config>/clip-models/}, each loaded on first use and kept until the node
 * stops. Loading is slow (seconds for ViT-B/32), so it happens once per model and never on a transport thread.
 * <p>
 * Each model loads under its own lock: a slow or stuck load delays only the requests for that model. A load that fails is
 * remembered for {@code plugins.clip.model.load_retry_interval}: requests in that window fail at once with the same reason instead of
 * each loading the broken model again; changing a file of the model folder ends the window early.
 */
public final class ModelRegistry implements Closeable {
    public static final String MODELS_FOLDER = "clip-models";
    public static final TimeValue DEFAULT_RETRY_INTERVAL = TimeValue.timeValueSeconds(60);

    private static final Logger logger = LogManager.getLogger(ModelRegistry.class);

    private final Path modelsDir;
    private final boolean quantized;
    private final TimeValue retryInterval;
    private final LongSupplier nanoClock;
    private final Loader loader;
    private final Map<String, Slot> slots = new ConcurrentHashMap<>();
    private final AtomicInteger loadAttempts = new AtomicInteger();
    private volatile Source source;
    private volatile long recheckNanos = TimeValue.timeValueSeconds(10).nanos();
    private boolean closed;

    /** Turns a checked model folder into a loaded model; tests put a slow or counting one in. */
    @FunctionalInterface
    interface Loader {
        ClipModel load(ModelFolder folder) throws Exception;
    }

    /**
     * Where the models that are no folder of this node come from: those registered through the cluster
     * ({@code model/registered}). A folder of the same name wins, so that what an operator put on the node is what it serves.
     */
    public interface Source {
        /**
         * The local folder of the registered model, fetched and verified first if need be, or null when no model of that name
         * is registered. Blocks (reads the cluster): called only on the thread that loads the model.
         */
        Path folder(String name) throws Exception;

        /** Asks, without blocking, whether the model served from {@code folder} is still registered; runs {@code gone} if not. */
        void checkStillRegistered(String name, Path folder, Runnable gone);

        /** The registry dropped the model it loaded from {@code folder}: the local copy can go. */
        default void dropped(String name, Path folder) {}
    }

    /** One model name: its lock, and the model or the last failure to load it. */
    private static final class Slot {
        volatile ClipModel model;
        volatile Failure failure;
        /** The cache folder a registered model was loaded from, else null; and when the source last confirmed it. */
        volatile Path registered;
        volatile long checkedNanos;
    }

    /**
     * A failed load: what the client is told (no absolute paths), of which type, when, and the folder's state then.
     * @param stamp the newest modification time in the folder, so that fixing a file is noticed
     */
    private record Failure(String reason, boolean badRequest, long atNanos, long stamp) {}

    public ModelRegistry(Path modelsDir, boolean quantized, OrtThreads threads, InferenceDevice device) {
        this(modelsDir, quantized, threads, device, DEFAULT_RETRY_INTERVAL);
    }

    public ModelRegistry(Path modelsDir, boolean quantized, OrtThreads threads, InferenceDevice device, TimeValue retryInterval) {
        this(modelsDir, quantized, retryInterval, System::nanoTime, folder -> DjlRuntime.call(() -> ClipModel.load(folder, threads, device)));
    }

    ModelRegistry(Path modelsDir, boolean quantized, TimeValue retryInterval, LongSupplier nanoClock, Loader loader) {
        this.modelsDir = modelsDir;
        this.quantized = quantized;
        this.retryInterval = retryInterval;
        this.nanoClock = nanoClock;
        this.loader = loader;
    }

    /**
     * Serves registered models too; {@code recheck} is how often a loaded one is checked to be still registered (on use, in
     * the background), so that a model deleted through another node is dropped here soon after.
     */
    public void registeredModels(Source source, TimeValue recheck) {
        this.source = source;
        this.recheckNanos = recheck.nanos();
    }

    /**
     * The loaded model, loading it first if need be. Throws IllegalArgumentException for a name that is not a model folder of
     * this node (naming those it has) and for a model folder whose files are invalid, IllegalStateException when the model
     * fails to load otherwise or the registry is closed. A remembered failure is thrown again, with its age, of the same type.
     */
    public ClipModel get(String name) {
        Slot slot = slots.get(name);
        if (slot != null && slot.model != null) {
            ClipModel model = slot.model;
            recheck(name, slot);
            return model;
        }
        Path dir = folderOf(name);
        synchronized (this) {
            if (closed) {
                throw new IllegalStateException("CLIP models are closed: the node is shutting down");
            }
            slot = slots.computeIfAbsent(name, n -> new Slot());
        }
        synchronized (slot) {
            if (slot.model != null) {
                return slot.model;
            }
            Path registered = null;
            Failure failure = slot.failure;
            if (dir == null) {
                // checked before fetching: a registered model's fetch reads and hashes all of its bytes
                long now = nanoClock.getAsLong();
                if (failure != null && now - failure.atNanos < retryInterval.nanos()) {
                    throw remembered(name, failure, now - failure.atNanos);
                }
                try {
                    registered = registeredFolder(name, slot);
                } catch (IllegalStateException e) {
                    slot.failure = new Failure(e.getMessage(), false, now, -1);
                    throw e;
                }
                dir = registered;
                failure = null;
            }
            if (failure != null) {
                long ageNanos = nanoClock.getAsLong() - failure.atNanos;
                if (ageNanos < retryInterval.nanos() && stamp(dir) == failure.stamp) {
                    throw remembered(name, failure, ageNanos);
                }
            }
            ClipModel model = load(name, dir, slot);
            slot.registered = registered;
            slot.checkedNanos = nanoClock.getAsLong();
            return model;
        }
    }

    /** The registered model's verified local folder, or the unknown-model failure naming the models there are. */
    private Path registeredFolder(String name, Slot slot) {
        Source registered = source;
        Path dir;
        try {
            dir = registered == null ? null : registered.folder(name);
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw e;
        } catch (Exception e) {
            logger.warn("CLIP model [" + name + "]: fetching the registered model failed", e);
            // an I/O message may hold the node's paths: the client gets the kind of failure, the log the rest
            throw new IllegalStateException("CLIP model [" + name + "]: fetching the registered model failed: " + e.getClass().getSimpleName());
        }
        if (dir == null) {
            slots.remove(name, slot);
            throw new IllegalArgumentException(
                // the folder's absolute path stays in the node's own logs: this message reaches HTTP clients
                "unknown CLIP model [" + name + "]: no such folder under <config>/" + MODELS_FOLDER + " and no model of that name"
                    + " registered through _plugins/clip/models; model folders on this node: " + available()
            );
        }
        return dir;
    }

    /** Starts a background check that a registered model is still registered, at most once per recheck interval. */
    private void recheck(String name, Slot slot) {
        Path folder = slot.registered;
        Source registered = source;
        long now = nanoClock.getAsLong();
        if (folder == null || registered == null || now - slot.checkedNanos < recheckNanos) {
            return;
        }
        slot.checkedNanos = now;
        registered.checkStillRegistered(name, folder, () -> drop(name, folder));
    }

    /**
     * Forgets the model if it was loaded from {@code folder} (any registered model when null) and closes it once its running
     * calls end; the next request loads the model anew or fails as unknown. Returns whether a model was dropped.
     */
    public boolean drop(String name, Path folder) {
        ClipModel model;
        synchronized (this) {
            Slot slot = slots.get(name);
            if (slot == null || slot.registered == null || (folder != null && folder.equals(slot.registered) == false)) {
                return false;
            }
            slots.remove(name, slot);
            model = slot.model;
            slot.model = null;
            folder = slot.registered;
        }
        if (model != null) {
            model.close();
            logger.info("CLIP model [{}] dropped: it is no longer registered", name);
        }
        Source registered = source;
        if (registered != null) {
            registered.dropped(name, folder);
        }
        return model != null;
    }

    /** Whether the loaded model of that name came from a registration, not a folder of this node. */
    public boolean isRegistered(String name) {
        Slot slot = slots.get(name);
        return slot != null && slot.registered != null;
    }

    private ClipModel load(String name, Path dir, Slot slot) {
        long stamp = stamp(dir);
        loadAttempts.incrementAndGet();
        ModelFolder folder = null;
        ClipModel model;
        try {
            folder = ModelFolder.open(name, dir, quantized);
            model = loader.load(folder);
        } catch (Exception | LinkageError | AssertionError e) {
            // natives that are missing or for another platform fail as errors (UnsatisfiedLinkError, DJL's AssertionError),
            // which on a pool thread would end the node: they are this model's load failure like any other
            boolean badRequest = e instanceof IllegalArgumentException;
            String reason = folder == null ? e.getMessage() : folder.redact(e.getMessage());
            if (badRequest == false) {
                reason = "CLIP model [" + name + "] failed to load: " + reason;
            }
            // the node's log keeps the whole story, absolute paths and causes included; the client gets the reason alone
            logger.warn("CLIP model [" + name + "] in [" + dir + "] failed to load; requests fail without a new attempt for " + retryInterval, e);
            Failure failure = new Failure(reason, badRequest, nanoClock.getAsLong(), stamp);
            slot.failure = failure;
            throw failure.badRequest ? new IllegalArgumentException(reason) : new IllegalStateException(reason);
        }
        synchronized (this) {
            if (closed) {
                model.close();
                throw new IllegalStateException("CLIP models are closed: the node is shutting down");
            }
            slot.failure = null;
            slot.model = model;
        }
        logger.info("CLIP model [{}] loaded in {} ms, {} dimensions", name, model.loadMillis(), model.dimension());
        return model;
    }

    private RuntimeException remembered(String name, Failure failure, long ageNanos) {
        long ageSeconds = ageNanos / 1_000_000_000L;
        long leftSeconds = Math.max(1, (retryInterval.nanos() - ageNanos + 999_999_999L) / 1_000_000_000L);
        String message = "CLIP model [" + name + "] failed to load " + ageSeconds + "s ago: " + failure.reason
            + "; it is tried again in " + leftSeconds + "s, or on the next request once a file in its folder changes";
        return failure.badRequest ? new IllegalArgumentException(message) : new IllegalStateException(message);
    }

    /**
     * The folder of a model name, or null when there is none (a registered model may have the name); a name that is no
     * folder and not registered is refused without being remembered, since it holds no lock.
     */
    private Path folderOf(String name) {
        checkName(name);
        Path dir = modelsDir.resolve(name);
        if (Files.isDirectory(dir) == false) {
            if (source == null) {
                throw new IllegalArgumentException(
                    // the folder's absolute path stays in the node's own logs: this message reaches HTTP clients
                    "unknown CLIP model [" + name + "]: no such folder under <config>/" + MODELS_FOLDER + "; models on this node: " + available()
                );
            }
            return null;
        }
        return dir;
    }

    /** Refuses names that could leave the models folder. */
    public static void checkName(String name) {
        if (name.isEmpty() || name.contains("/") || name.contains("\\") || name.startsWith(".")) {
            throw new IllegalArgumentException("invalid CLIP model name [" + name + "]");
        }
    }

    /** Whether this node has a model folder of that name. */
    public boolean hasFolder(String name) {
        return Files.isDirectory(modelsDir.resolve(name));
    }

    /** The newest modification time of the folder, its files and those under {@code onnx/}: a change means a fix may be in. */
    private static long stamp(Path dir) {
        long newest = mtime(dir);
        for (Path sub : List.of(dir, dir.resolve("onnx"))) {
            if (Files.isDirectory(sub)) {
                newest = Math.max(newest, mtime(sub));
                try (Stream<Path> files = Files.list(sub)) {
                    for (Path f : (Iterable<Path>) files::iterator) {
                        newest = Math.max(newest, mtime(f));
                    }
                } catch (IOException e) {
                    // an unreadable folder fails the load itself, with its reason
                }
            }
        }
        return newest;
    }

    private static long mtime(Path p) {
        try {
            return Files.getLastModifiedTime(p).toMillis();
        } catch (IOException e) {
            return -1;
        }
    }

    /** Names of the model folders on this node, loaded or not. */
    public List<String> available() {
        List<String> names = new ArrayList<>();
        if (Files.isDirectory(modelsDir)) {
            try (Stream<Path> children = Files.list(modelsDir)) {
                children.filter(Files::isDirectory).forEach(p -> names.add(p.getFileName().toString()));
            } catch (IOException e) {
                logger.warn("cannot list [" + modelsDir + "]", e);
                throw new IllegalStateException("cannot list the model folders under <config>/" + MODELS_FOLDER + ": " + e.getClass().getSimpleName());
            }
        }
        names.sort(null);
        return names;
    }

    /**
     * The model if it is loaded now, else null: never loads, so any thread may ask. Counts as a use of a registered model:
     * its check that it is still registered runs in the background when due.
     */
    public ClipModel ifLoaded(String name) {
        Slot slot = slots.get(name);
        if (slot == null) {
            return null;
        }
        ClipModel model = slot.model;
        if (model != null) {
            recheck(name, slot);
        }
        return model;
    }

    public Map<String, ClipModel> loaded() {
        Map<String, ClipModel> out = new HashMap<>();
        slots.forEach((name, slot) -> {
            ClipModel model = slot.model;
            if (model != null) {
                out.put(name, model);
            }
        });
        return Map.copyOf(out);
    }

    /** The reasons of the failed loads still remembered, by model name, as clients are told them. */
    public Map<String, String> failures() {
        Map<String, String> out = new HashMap<>();
        long now = nanoClock.getAsLong();
        slots.forEach((name, slot) -> {
            Failure failure = slot.failure;
            if (failure != null && now - failure.atNanos < retryInterval.nanos()) {
                out.put(name, failure.reason);
            }
        });
        return Map.copyOf(out);
    }

    /** How many loads were started, failed or not: for tests of the failure memory. */
    int loadAttempts() {
        return loadAttempts.get();
    }

    /** Refuses further loads, then closes every model, each after its running calls end (see {@link ClipModel#close()}). */
    @Override
    public void close() {
        List<ClipModel> models = new ArrayList<>();
        synchronized (this) {
            closed = true;
            slots.values().forEach(slot -> {
                ClipModel model = slot.model;
                if (model != null) {
                    models.add(model);
                }
                slot.model = null;
            });
            slots.clear();
        }
        models.forEach(ClipModel::close);
    }
}
