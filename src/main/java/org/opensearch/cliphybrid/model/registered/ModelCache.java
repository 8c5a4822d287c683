package org.opensearch.cliphybrid.model.registered;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.opensearch.cliphybrid.model.ModelRegistry;
import org.opensearch.common.util.io.IOUtils;
import org.opensearch.threadpool.ThreadPool;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A node's copies of registered models, under {@code <node data>/clip-models-cache/<name>-<zip sha>/}: written once from the
 * system index, checked file by file against the registration before every load (the disk is not the cluster's), and
 * removed when the model is deleted or registered anew.
 */
public final class ModelCache implements ModelRegistry.Source {
    public static final String FOLDER = "clip-models-cache";
    private static final Logger logger = LogManager.getLogger(ModelCache.class);

    private final Registration registration;
    private final Path root;
    private final ThreadPool threadPool;

    public ModelCache(Registration registration, Path root, ThreadPool threadPool) {
        this.registration = registration;
        this.root = root;
        this.threadPool = threadPool;
    }

    @Override
    public Path folder(String name) throws IOException {
        RegisteredModel model = registration.store().get(name);
        if (model == null) {
            return null;
        }
        if (model.complete() == false) {
            throw new IllegalArgumentException("CLIP model [" + name + "] is being registered: its upload is not complete;"
                + " POST _plugins/clip/models/" + name + "/_register/_complete ends it");
        }
        Path dir = root.resolve(model.cacheFolder());
        if (Files.isDirectory(dir)) {
            try {
                FileCheck.verify(name, dir, model.files());
                return dir;
            } catch (IllegalStateException | IOException e) {
                logger.warn("the cached copy of CLIP model [" + name + "] in [" + dir + "] is damaged; fetching it again", e);
                IOUtils.rm(dir);
            }
        }
        Files.createDirectories(root);
        registration.materialize(model, dir);
        removeOthers(name, dir);
        logger.info("CLIP model [{}] fetched from the cluster: {} files, {} bytes", name, model.files().size(), model.inflatedBytes());
        return dir;
    }

    @Override
    public void checkStillRegistered(String name, Path folder, Runnable gone) {
        threadPool.generic().execute(() -> {
            try {
                RegisteredModel model = registration.store().get(name);
                if (model == null || model.complete() == false || root.resolve(model.cacheFolder()).equals(folder) == false) {
                    gone.run();
                    IOUtils.rm(folder);
                }
            } catch (Exception e) {
                // the cluster may be busy: the model keeps serving, and the next use asks again
                logger.debug("checking that CLIP model [" + name + "] is still registered failed", e);
            }
        });
    }

    /** Removes the cached copy of the model, as the node that runs a delete does at once. */
    public void evict(String name) {
        removeOthers(name, null);
    }

    private void removeOthers(String name, Path keep) {
        if (Files.isDirectory(root) == false) {
            return;
        }
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(root, name + "-*")) {
            for (Path d : dirs) {
                String rest = d.getFileName().toString().substring(name.length() + 1);
                // only <name>-<16 hex>: another model's name may start with this one's
                if (d.equals(keep) == false && rest.matches("[0-9a-f]{16}")) {
                    IOUtils.rm(d);
                }
            }
        } catch (IOException e) {
            logger.warn("removing old cached copies of CLIP model [" + name + "] failed", e);
        }
    }
}
