package org.opensearch.cliphybrid.model;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * The CLIP models of this node: folders under {@code <config>/clip-models/}, each loaded on first use and kept until the node
 * stops. Loading is slow (seconds for ViT-B/32), so it happens once per model and never on a transport thread.
 */
public final class ModelRegistry implements Closeable {
    public static final String MODELS_FOLDER = "clip-models";

    private final Path modelsDir;
    private final boolean quantized;
    private final int intraOpThreads;
    private final InferenceDevice device;
    private final Map<String, ClipModel> loaded = new ConcurrentHashMap<>();

    public ModelRegistry(Path modelsDir, boolean quantized, int intraOpThreads, InferenceDevice device) {
        this.modelsDir = modelsDir;
        this.quantized = quantized;
        this.intraOpThreads = intraOpThreads;
        this.device = device;
    }

    /** Throws IllegalArgumentException naming the models this node has when {@code name} is not one of them. */
    public ClipModel get(String name) {
        ClipModel model = loaded.get(name);
        if (model != null) {
            return model;
        }
        synchronized (this) {
            return loaded.computeIfAbsent(name, this::load);
        }
    }

    private ClipModel load(String name) {
        if (name.isEmpty() || name.contains("/") || name.contains("\\") || name.startsWith(".")) {
            throw new IllegalArgumentException("invalid CLIP model name [" + name + "]");
        }
        Path dir = modelsDir.resolve(name);
        if (Files.isDirectory(dir) == false) {
            throw new IllegalArgumentException(
                // the folder's absolute path stays in the node's own logs: this message reaches HTTP clients
                "unknown CLIP model [" + name + "]: no such folder under <config>/" + MODELS_FOLDER + "; models on this node: " + available()
            );
        }
        ModelFolder folder = ModelFolder.open(name, dir, quantized);
        try {
            return DjlRuntime.call(() -> ClipModel.load(folder, intraOpThreads, device));
        } catch (IllegalArgumentException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("CLIP model [" + name + "] failed to load: " + e.getMessage(), e);
        }
    }

    /** Names of the model folders on this node, loaded or not. */
    public List<String> available() {
        List<String> names = new ArrayList<>();
        if (Files.isDirectory(modelsDir)) {
            try (Stream<Path> children = Files.list(modelsDir)) {
                children.filter(Files::isDirectory).forEach(p -> names.add(p.getFileName().toString()));
            } catch (IOException e) {
                throw new IllegalStateException("cannot list [" + modelsDir + "]", e);
            }
        }
        names.sort(null);
        return names;
    }

    public Map<String, ClipModel> loaded() {
        return Map.copyOf(loaded);
    }

    @Override
    public void close() {
        loaded.values().forEach(ClipModel::close);
        loaded.clear();
    }
}
