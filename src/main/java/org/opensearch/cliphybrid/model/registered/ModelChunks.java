package org.opensearch.cliphybrid.model.registered;

import org.opensearch.ExceptionsHelper;
import org.opensearch.ResourceAlreadyExistsException;
import org.opensearch.ResourceNotFoundException;
import org.opensearch.action.DocWriteRequest;
import org.opensearch.action.admin.indices.create.CreateIndexRequest;
import org.opensearch.action.bulk.BulkItemResponse;
import org.opensearch.action.bulk.BulkRequest;
import org.opensearch.action.bulk.BulkResponse;
import org.opensearch.action.delete.DeleteRequest;
import org.opensearch.action.get.GetRequest;
import org.opensearch.action.get.GetResponse;
import org.opensearch.action.index.IndexRequest;
import org.opensearch.action.support.WriteRequest;
import org.opensearch.common.settings.Settings;
import org.opensearch.core.common.bytes.BytesReference;
import org.opensearch.core.rest.RestStatus;
import org.opensearch.index.IndexNotFoundException;
import org.opensearch.transport.client.Client;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Model zips uploaded in chunks, and the models registered from them, in the plugin's system index: one document per chunk
 * ({@code <name>#<n>}) and, once registered, one metadata document ({@code <name>}) listing every file with its size and
 * SHA-256, so that each node can rebuild and verify the folder. Model bytes are too big for one HTTP request or one
 * document, hence chunks, as ml-commons keeps them.
 * <p>
 * The methods block: callers run them on the generic pool in a stashed thread context, since the index belongs to the
 * plugin and the named actions have already checked the caller's right to manage models.
 */
public final class ModelChunks {
    public static final String INDEX = ".plugins-clip-models";
    static final String KIND_CHUNK = "chunk", KIND_MODEL = "model";
    private static final String MAPPING = """
        {"dynamic": false, "properties": {"name": {"type": "keyword"}, "kind": {"type": "keyword"}, "n": {"type": "integer"},
         "data": {"type": "binary"}, "created_millis": {"type": "long"}, "bytes": {"type": "long"}, "chunks": {"type": "integer"},
         "zip_sha256": {"type": "keyword"}, "files": {"type": "object", "enabled": false}}}""";

    private final Client client;

    public ModelChunks(Client client) {
        this.client = client;
    }

    static String chunkId(String name, int n) {
        return name + "#" + n;
    }

    /** Stores chunk {@code n} of the model's zip, replacing an earlier upload of the same number. */
    public Map<String, Object> putChunk(String name, int n, BytesReference bytes, RegistrationLimits limits) throws IOException {
        limits.checkChunkNumber(n);
        if (bytes.length() == 0 || bytes.length() > limits.maxChunkBytes()) {
            throw new IllegalArgumentException(
                "chunk [" + n + "] of CLIP model [" + name + "] is " + bytes.length() + " bytes; a chunk holds 1 to "
                    + limits.maxChunkBytes() + " (" + RegistrationLimits.MAX_CHUNK_BYTES + ")"
            );
        }
        if (metadata(name) != null) {
            throw new IllegalArgumentException(
                "CLIP model [" + name + "] is registered already; DELETE _plugins/clip/models/" + name + " before uploading it again"
            );
        }
        createIndex();
        Map<String, Object> source = new LinkedHashMap<>();
        source.put("name", name);
        source.put("kind", KIND_CHUNK);
        source.put("n", n);
        source.put("data", BytesReference.toBytes(bytes));
        client.index(new IndexRequest(INDEX).id(chunkId(name, n)).source(source).setRefreshPolicy(WriteRequest.RefreshPolicy.IMMEDIATE))
            .actionGet();
        return Map.of("name", name, "chunk", n, "bytes", bytes.length());
    }

    /**
     * Joins chunks 0, 1, ... up to the first missing number into one zip, checks and extracts it into {@code work} (which the
     * caller deletes), and stores the metadata; the model is usable from then on. {@code expectedSha256}, when not null, is
     * what the joined zip must hash to.
     */
    public Map<String, Object> register(String name, Path work, long nowMillis, RegistrationLimits limits, String expectedSha256)
        throws IOException {
        if (metadata(name) != null) {
            throw new IllegalArgumentException(
                "CLIP model [" + name + "] is registered already; DELETE _plugins/clip/models/" + name + " to register it again"
            );
        }
        Path zip = work.resolve("model.zip");
        Assembled assembled = assemble(name, zip, -1, limits.maxZipBytes(), limits.maxChunks());
        if (assembled.chunks == 0) {
            throw new IllegalArgumentException(
                "CLIP model [" + name + "] has no uploaded chunks; PUT _plugins/clip/models/" + name + "/_chunk/0 with the first part of"
                    + " the model folder's zip"
            );
        }
        if (expectedSha256 != null && expectedSha256.equals(assembled.sha256) == false) {
            throw new IllegalStateException(
                "CLIP model [" + name + "]: its chunks in [" + INDEX + "] have SHA-256 " + assembled.sha256 + ", not the " + expectedSha256
                    + " stored; another registration of this name wrote chunks meanwhile"
            );
        }
        ModelZip.Extracted extracted = ModelZip.extract(name, zip, work.resolve("model"), limits.zip());
        List<Map<String, Object>> files = new ArrayList<>();
        for (ModelZip.FileEntry f : extracted.files()) {
            files.add(Map.of("path", f.path(), "size", f.size(), "sha256", f.sha256()));
        }
        Map<String, Object> source = new LinkedHashMap<>();
        source.put("name", name);
        source.put("kind", KIND_MODEL);
        source.put("family", extracted.folder().family().displayName());
        source.put("chunks", assembled.chunks);
        source.put("zip_bytes", assembled.bytes);
        source.put("zip_sha256", assembled.sha256);
        source.put("bytes", extracted.bytes());
        source.put("files", files);
        source.put("created_millis", nowMillis);
        try {
            client.index(
                new IndexRequest(INDEX).id(name)
                    .source(source)
                    .opType(DocWriteRequest.OpType.CREATE)
                    .setRefreshPolicy(WriteRequest.RefreshPolicy.IMMEDIATE)
            ).actionGet();
        } catch (RuntimeException e) {
            if (ExceptionsHelper.status(e) == RestStatus.CONFLICT) {
                throw new IllegalArgumentException("CLIP model [" + name + "] was registered by another request meanwhile");
            }
            throw e;
        }
        return source;
    }

    /** The registered model's metadata document, or null when none is registered under that name. */
    public Map<String, Object> metadata(String name) {
        GetResponse response;
        try {
            response = client.get(new GetRequest(INDEX, name)).actionGet();
        } catch (RuntimeException e) {
            if (ExceptionsHelper.unwrapCause(e) instanceof IndexNotFoundException) {
                return null;
            }
            throw e;
        }
        return response.isExists() ? response.getSourceAsMap() : null;
    }

    /** Every registered model's metadata, by name (at most {@code max}). */
    public List<Map<String, Object>> registered(int max) {
        try {
            var response = client.prepareSearch(INDEX)
                .setQuery(org.opensearch.index.query.QueryBuilders.termQuery("kind", KIND_MODEL))
                .setSize(max)
                .addSort("name", org.opensearch.search.sort.SortOrder.ASC)
                .get();
            List<Map<String, Object>> out = new ArrayList<>();
            response.getHits().forEach(hit -> out.add(hit.getSourceAsMap()));
            return out;
        } catch (RuntimeException e) {
            if (ExceptionsHelper.unwrapCause(e) instanceof IndexNotFoundException) {
                return List.of();
            }
            throw e;
        }
    }

    /** What {@link #assemble} wrote: how many chunks, how many bytes, their SHA-256. */
    record Assembled(int chunks, long bytes, String sha256) {}

    /**
     * Writes chunks 0.. in order into {@code zip}: up to the first missing one, or exactly {@code expected} of them (a
     * missing one then fails, since the registered model needs every chunk it was made from), at most {@code maxChunks}
     * chunks and {@code maxBytes} bytes.
     */
    Assembled assemble(String name, Path zip, int expected, long maxBytes, int maxChunks) throws IOException {
        MessageDigest sha = ModelZip.sha256();
        long total = 0;
        int n = 0;
        try (OutputStream out = Files.newOutputStream(zip)) {
            for (; n < maxChunks && (expected < 0 || n < expected); n++) {
                byte[] bytes = chunk(name, n);
                if (bytes == null) {
                    if (expected >= 0) {
                        throw new IllegalStateException(
                            "registered CLIP model [" + name + "] lacks chunk [" + n + "] of " + expected + " in [" + INDEX + "]"
                        );
                    }
                    break;
                }
                total += bytes.length;
                if (total > maxBytes) {
                    throw new IllegalArgumentException(
                        "CLIP model [" + name + "]: the uploaded chunks exceed " + maxBytes + " bytes (" + RegistrationLimits.MAX_ZIP_BYTES
                            + ")"
                    );
                }
                sha.update(bytes);
                out.write(bytes);
            }
        }
        return new Assembled(n, total, HexFormat.of().formatHex(sha.digest()));
    }

    private byte[] chunk(String name, int n) {
        GetResponse response;
        try {
            response = client.get(new GetRequest(INDEX, chunkId(name, n))).actionGet();
        } catch (RuntimeException e) {
            if (ExceptionsHelper.unwrapCause(e) instanceof IndexNotFoundException) {
                return null;
            }
            throw e;
        }
        if (response.isExists() == false) {
            return null;
        }
        Object data = response.getSourceAsMap().get("data");
        return data instanceof String s ? Base64.getDecoder().decode(s) : null;
    }

    /** Deletes the model's metadata and every chunk; 404 naming the model when there was neither. */
    public Map<String, Object> delete(String name) {
        BulkRequest bulk = new BulkRequest().setRefreshPolicy(WriteRequest.RefreshPolicy.IMMEDIATE);
        bulk.add(new DeleteRequest(INDEX, name));
        // looked up, not counted up to the limit: the limit may have been lower or higher when they were uploaded
        for (String id : chunkIds(name)) {
            bulk.add(new DeleteRequest(INDEX, id));
        }
        BulkResponse response;
        try {
            response = client.bulk(bulk).actionGet();
        } catch (RuntimeException e) {
            if (ExceptionsHelper.unwrapCause(e) instanceof IndexNotFoundException) {
                throw notFound(name);
            }
            throw e;
        }
        boolean registered = false;
        int chunks = 0;
        for (BulkItemResponse item : response.getItems()) {
            if (item.isFailed()) {
                if (ExceptionsHelper.unwrapCause(item.getFailure().getCause()) instanceof IndexNotFoundException) {
                    throw notFound(name);
                }
                throw new IllegalStateException("deleting CLIP model [" + name + "] failed: " + item.getFailureMessage());
            }
            if (item.getResponse().getResult() == org.opensearch.action.DocWriteResponse.Result.DELETED) {
                if (item.getId().equals(name)) {
                    registered = true;
                } else {
                    chunks++;
                }
            }
        }
        if (registered == false && chunks == 0) {
            throw notFound(name);
        }
        return Map.of("name", name, "deleted", true, "was_registered", registered, "chunks_deleted", chunks);
    }

    /** Deletes the model's chunks only, as a failed URL registration leaves them; returns how many there were. */
    public int deleteChunks(String name) {
        List<String> ids = chunkIds(name);
        if (ids.isEmpty()) {
            return 0;
        }
        BulkRequest bulk = new BulkRequest().setRefreshPolicy(WriteRequest.RefreshPolicy.IMMEDIATE);
        ids.forEach(id -> bulk.add(new DeleteRequest(INDEX, id)));
        BulkResponse response = client.bulk(bulk).actionGet();
        if (response.hasFailures()) {
            throw new IllegalStateException("deleting the chunks of CLIP model [" + name + "] failed: " + response.buildFailureMessage());
        }
        return ids.size();
    }

    /** The ids of the model's chunks (every chunk is indexed with an immediate refresh, so a search sees them all). */
    List<String> chunkIds(String name) {
        try {
            var response = client.prepareSearch(INDEX)
                .setQuery(
                    org.opensearch.index.query.QueryBuilders.boolQuery()
                        .filter(org.opensearch.index.query.QueryBuilders.termQuery("name", name))
                        .filter(org.opensearch.index.query.QueryBuilders.termQuery("kind", KIND_CHUNK))
                )
                .setFetchSource(false)
                .setSize(RegistrationLimits.MAX_MAX_CHUNKS)
                .get();
            List<String> ids = new ArrayList<>();
            response.getHits().forEach(hit -> ids.add(hit.getId()));
            return ids;
        } catch (RuntimeException e) {
            if (ExceptionsHelper.unwrapCause(e) instanceof IndexNotFoundException) {
                return List.of();
            }
            throw e;
        }
    }

    public static ResourceNotFoundException notFound(String name) {
        return new ResourceNotFoundException(
            "CLIP model [" + name + "] is not registered (no folder of that name either); POST _plugins/clip/models/" + name
                + "/_register registers uploaded chunks"
        );
    }

    private void createIndex() {
        CreateIndexRequest create = new CreateIndexRequest(INDEX).mapping(MAPPING)
            .settings(Settings.builder().put("index.number_of_shards", 1).put("index.auto_expand_replicas", "0-1").put("index.hidden", true));
        try {
            client.admin().indices().create(create).actionGet();
        } catch (RuntimeException e) {
            if (ExceptionsHelper.unwrapCause(e) instanceof ResourceAlreadyExistsException == false) {
                throw e;
            }
        }
    }
}
