package org.opensearch.cliphybrid.model.registered;

import org.opensearch.OpenSearchStatusException;
import org.opensearch.common.UUIDs;
import org.opensearch.core.rest.RestStatus;
import org.opensearch.common.util.io.IOUtils;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * Moves a model's chunks out of the system index into one zip on this node and checks it: on {@code _register/_complete},
 * where the checked zip's files and hashes become the registration, and on a node that loads the model, where the zip and
 * every file must match that registration again.
 */
public final class Registration {
    private final RegisteredModelStore store;
    private final Path workDir;
    private final LongSupplier maxChunkBytes;
    private final LongSupplier maxRegisterBytes;

    public Registration(RegisteredModelStore store, Path workDir, LongSupplier maxChunkBytes, LongSupplier maxRegisterBytes) {
        this.store = store;
        this.workDir = workDir;
        this.maxChunkBytes = maxChunkBytes;
        this.maxRegisterBytes = maxRegisterBytes;
    }

    public RegisteredModelStore store() {
        return store;
    }

    /** Checks the uploaded chunks of an upload in progress and records the model as registered. */
    public RegisteredModel complete(String name) throws IOException {
        RegisteredModel upload = store.get(name);
        if (upload == null) {
            throw RegisteredModelStore.notFound(name);
        }
        if (upload.complete()) {
            throw new OpenSearchStatusException("CLIP model [" + name + "] is registered already", RestStatus.CONFLICT);
        }
        Path tmp = tmpDir(name);
        try {
            Assembled assembled = assemble(name, store.chunkNumbers(name), tmp);
            ModelZip.Extracted extracted = ModelZip.extract(name, assembled.zip, tmp.resolve("folder"), limits());
            RegisteredModel model = new RegisteredModel(
                name,
                RegisteredModel.REGISTERED,
                upload.createdMillis(),
                assembled.chunks,
                assembled.bytes,
                assembled.sha256,
                extracted.bytes(),
                extracted.folder().family().displayName(),
                extracted.files()
            );
            store.update(model);
            return model;
        } finally {
            IOUtils.rm(tmp);
        }
    }

    /**
     * Writes the registered model's folder to {@code target} (which must not exist) after checking the zip's hash and every
     * file against {@code model}; a model changed in the index since it was registered fails here.
     */
    public void materialize(RegisteredModel model, Path target) throws IOException {
        Path tmp = tmpDir(model.name());
        try {
            List<Integer> numbers = java.util.stream.IntStream.range(0, model.chunks()).boxed().toList();
            Assembled assembled = assemble(model.name(), numbers, tmp);
            if (assembled.sha256.equals(model.zipSha256()) == false) {
                throw new IllegalStateException("registered CLIP model [" + model.name() + "] does not match its registration: its zip has"
                    + " SHA-256 " + assembled.sha256 + ", registered as " + model.zipSha256());
            }
            Path folder = tmp.resolve("folder");
            ModelZip.extract(model.name(), assembled.zip, folder, limits());
            FileCheck.verify(model.name(), folder, model.files());
            Files.createDirectories(target.getParent());
            Files.move(folder, target, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } finally {
            IOUtils.rm(tmp);
        }
    }

    private record Assembled(Path zip, int chunks, long bytes, String sha256) {}

    private Assembled assemble(String name, List<Integer> numbers, Path tmp) throws IOException {
        if (numbers.isEmpty()) {
            throw new IllegalArgumentException("registered CLIP model [" + name + "]: no chunks were uploaded; PUT _plugins/clip/models/"
                + name + "/_chunk/0 first");
        }
        Path zip = tmp.resolve("model.zip");
        try (ChunkAssembly assembly = new ChunkAssembly(name, zip, maxChunkBytes.getAsLong(), maxRegisterBytes.getAsLong())) {
            for (int n : numbers) {
                byte[] bytes = store.chunk(name, n);
                if (bytes == null) {
                    throw new IllegalStateException("registered CLIP model [" + name + "]: chunk [" + n + "] has gone from the index");
                }
                assembly.append(n, bytes);
            }
            assembly.close();
            return new Assembled(zip, assembly.chunks(), assembly.bytes(), assembly.sha256());
        }
    }

    private ModelZip.Limits limits() {
        long max = maxRegisterBytes.getAsLong();
        // weights barely compress: an inflated size far beyond the zip's is a bomb, not a model
        return new ModelZip.Limits(max, max > Long.MAX_VALUE / 4 ? max : 4 * max, ModelZip.DEFAULT_MAX_ENTRIES);
    }

    private Path tmpDir(String name) throws IOException {
        Path tmp = workDir.resolve(".upload-" + name + "-" + UUIDs.randomBase64UUID().replace('/', '_'));
        Files.createDirectories(tmp);
        return tmp;
    }
}
