package org.opensearch.cliphybrid.model.registered;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.HexFormat;

/**
 * Writes a registered model's chunks, in order, into one zip file on the node, counting and hashing as it goes, so that a
 * chunk over the limit or a total over {@code plugins.clip.model.max_register_bytes} stops the copy at once and a zip that
 * was changed in the index since its registration is noticed by its SHA-256.
 */
public final class ChunkAssembly implements AutoCloseable {
    private final String name;
    private final long maxChunkBytes;
    private final long maxTotalBytes;
    private final OutputStream out;
    private final MessageDigest sha = ModelZip.sha256();
    private long total;
    private int next;

    public ChunkAssembly(String name, Path zip, long maxChunkBytes, long maxTotalBytes) throws IOException {
        this.name = name;
        this.maxChunkBytes = maxChunkBytes;
        this.maxTotalBytes = maxTotalBytes;
        this.out = Files.newOutputStream(zip, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    }

    /** Appends chunk {@code number}, which must be the next one: a gap means a chunk was never uploaded. */
    public void append(int number, byte[] bytes) throws IOException {
        if (number != next) {
            throw new IllegalArgumentException("registered CLIP model [" + name + "]: chunk [" + next + "] is missing (next chunk found is ["
                + number + "]); upload it with PUT _plugins/clip/models/" + name + "/_chunk/" + next);
        }
        checkChunkSize(name, number, bytes.length, maxChunkBytes);
        total += bytes.length;
        if (total > maxTotalBytes) {
            throw new IllegalArgumentException("registered CLIP model [" + name + "]: the chunks add up to more than the limit of "
                + maxTotalBytes + " bytes [plugins.clip.model.max_register_bytes]");
        }
        sha.update(bytes);
        out.write(bytes);
        next++;
    }

    public static void checkChunkSize(String name, int number, long size, long maxChunkBytes) {
        if (size == 0) {
            throw new IllegalArgumentException("registered CLIP model [" + name + "]: chunk [" + number + "] is empty");
        }
        if (size > maxChunkBytes) {
            throw new IllegalArgumentException("registered CLIP model [" + name + "]: chunk [" + number + "] is " + size
                + " bytes, over the limit of " + maxChunkBytes + " [plugins.clip.model.max_chunk_bytes]");
        }
    }

    public int chunks() {
        return next;
    }

    public long bytes() {
        return total;
    }

    /** The SHA-256 of the bytes appended so far, in hex; call once, after the last chunk. */
    public String sha256() {
        return HexFormat.of().formatHex(sha.digest());
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}
