package org.opensearch.cliphybrid.model.registered;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.opensearch.cliphybrid.model.ModelRegistry;
import org.opensearch.common.UUIDs;
import org.opensearch.common.util.concurrent.ThreadContext;
import org.opensearch.common.util.io.IOUtils;
import org.opensearch.threadpool.ThreadPool;
import org.opensearch.transport.client.Client;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * A node's copies of registered models, under {@code <node data>/clip-models-cache/<name>-<zip sha>/}: rebuilt once from the
 * chunks in the system index, checked file by file against the registration before every load (the disk is not the
 * cluster's), and removed once the model is deleted or registered anew.
 * <p>
 * {@link #folder} blocks on the system index: {@link ModelRegistry} calls it only on the thread that loads the model (an
 * inference pool thread), never on a transport thread.
 */
public final class ModelCache implements ModelRegistry.Source {
    public static final String FOLDER = "clip-models-cache";
    private static final Logger logger = LogManager.getLogger(ModelCache.class);

    private final ModelChunks store;
    private final Path root;
    private final ThreadPool threadPool;

    public ModelCache(Client client, Path root, ThreadPool threadPool) {
        this.store = new ModelChunks(client);
        this.root = root;
        this.threadPool = threadPool;
    }

    /** The registration, or null when no model of that name is registered; read with the plugin's rights. */
    public RegisteredModel registration(String name) throws Exception {
        Map<String, Object> source = asPlugin(() -> store.metadata(name));
        return source == null ? null : RegisteredModel.fromSource(source);
    }

    /** Every registered model, by name; read with the plugin's rights. Blocks: call it on the generic pool. */
    public java.util.List<RegisteredModel> registered() throws Exception {
        java.util.List<RegisteredModel> out = new java.util.ArrayList<>();
        for (Map<String, Object> source : asPlugin(() -> store.registered(1000))) {
            out.add(RegisteredModel.fromSource(source));
        }
        return out;
    }

    @Override
    public Path folder(String name) throws Exception {
        RegisteredModel model = registration(name);
        if (model == null) {
            return null;
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
        materialize(model, dir);
        removeOthers(name, dir);
        logger.info("CLIP model [{}] fetched from the cluster: {} files, {} bytes", name, model.files().size(), model.bytes());
        return dir;
    }

    /** Rebuilds the zip from its chunks, checks it and every file against the registration, then moves the folder in place. */
    private void materialize(RegisteredModel model, Path target) throws Exception {
        Files.createDirectories(root);
        // not <name>-*, so that removeOthers never takes a copy being written
        Path tmp = root.resolve(".fetch-" + model.name() + "-" + UUIDs.randomBase64UUID().replace('/', '_'));
        Files.createDirectories(tmp);
        try {
            Path zip = tmp.resolve("model.zip");
            ModelChunks.Assembled assembled = asPlugin(() -> store.assemble(model.name(), zip, model.chunks(), model.zipBytes(), model.chunks()));
            if (assembled.sha256().equals(model.zipSha256()) == false) {
                throw new IllegalStateException("registered CLIP model [" + model.name() + "] does not match its registration: its"
                    + " chunks have SHA-256 " + assembled.sha256() + ", registered as " + model.zipSha256());
            }
            Path folder = tmp.resolve("model");
            // held to what it was registered as, not to today's limits: a lowered limit must not unload the models it let in
            ModelZip.extract(
                model.name(),
                zip,
                folder,
                new ModelZip.Limits(model.zipBytes(), ModelZip.DEFAULT_MAX_INFLATED_BYTES, ModelZip.DEFAULT_MAX_ENTRIES)
            );
            FileCheck.verify(model.name(), folder, model.files());
            Files.move(folder, target, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            IOUtils.rm(tmp);
        }
    }

    @Override
    public void checkStillRegistered(String name, Path folder, Runnable gone) {
        threadPool.generic().execute(() -> {
            try {
                RegisteredModel model = registration(name);
                if (model == null || root.resolve(model.cacheFolder()).equals(folder) == false) {
                    gone.run();
                    IOUtils.rm(folder);
                }
            } catch (Exception e) {
                // the cluster may be busy: the model keeps serving, and the next use asks again
                logger.debug("checking that CLIP model [" + name + "] is still registered failed", e);
            }
        });
    }

    @Override
    public void dropped(String name, Path folder) {
        try {
            IOUtils.rm(folder);
        } catch (IOException e) {
            logger.warn("removing the cached copy of dropped CLIP model [" + name + "] failed", e);
        }
    }

    private void removeOthers(String name, Path keep) {
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

    private <T> T asPlugin(Callable<T> work) throws Exception {
        ThreadContext context = threadPool.getThreadContext();
        try (ThreadContext.StoredContext ignored = context.stashContext()) {
            return work.call();
        }
    }
}
