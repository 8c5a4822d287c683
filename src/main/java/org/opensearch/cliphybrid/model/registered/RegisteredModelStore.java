package org.opensearch.cliphybrid.model.registered;

import org.opensearch.ExceptionsHelper;
import org.opensearch.OpenSearchStatusException;
import org.opensearch.ResourceAlreadyExistsException;
import org.opensearch.ResourceNotFoundException;
import org.opensearch.action.DocWriteRequest;
import org.opensearch.action.admin.indices.create.CreateIndexRequest;
import org.opensearch.action.bulk.BulkRequest;
import org.opensearch.action.bulk.BulkResponse;
import org.opensearch.action.delete.DeleteRequest;
import org.opensearch.action.get.GetRequest;
import org.opensearch.action.get.GetResponse;
import org.opensearch.action.index.IndexRequest;
import org.opensearch.action.search.SearchRequest;
import org.opensearch.action.support.WriteRequest;
import org.opensearch.common.settings.Settings;
import org.opensearch.common.unit.TimeValue;
import org.opensearch.common.util.concurrent.ThreadContext;
import org.opensearch.core.rest.RestStatus;
import org.opensearch.index.IndexNotFoundException;
import org.opensearch.index.engine.VersionConflictEngineException;
import org.opensearch.index.query.QueryBuilders;
import org.opensearch.search.SearchHit;
import org.opensearch.search.builder.SearchSourceBuilder;
import org.opensearch.search.sort.SortOrder;
import org.opensearch.transport.client.Client;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Registered models in the plugin's system index: one metadata document per model (id: the name) and one document per
 * chunk of its zip (id: {@code <name>#<n>}), whose bytes sit in a {@code binary} field that is neither indexed nor has doc
 * values. Every call runs in a stashed thread context, since the index belongs to the plugin; the named REST actions check
 * the caller's right first.
 * <p>
 * The calls block, with a timeout: they run on the generic pool (REST handlers) or on the thread that loads a model, never
 * on a transport thread, and moving a model's chunks one after the other is simpler to bound that way.
 */
public final class RegisteredModelStore {
    public static final String INDEX = ".plugins-clip-models";
    /** Chunk numbers stay below this, so that one search lists all of a model's chunks. */
    public static final int MAX_CHUNKS = 10_000;
    static final TimeValue TIMEOUT = TimeValue.timeValueSeconds(60);
    private static final String MAPPING = """
        {"dynamic": false, "properties": {"type": {"type": "keyword"}, "name": {"type": "keyword"}, "model": {"type": "keyword"},
         "state": {"type": "keyword"}, "n": {"type": "integer"}, "created_millis": {"type": "long"},
         "data": {"type": "binary"}, "files": {"type": "object", "enabled": false}}}""";

    private final Client client;

    public RegisteredModelStore(Client client) {
        this.client = client;
    }

    /** The metadata of a model, or null when none of that name is registered. */
    public RegisteredModel get(String name) {
        GetResponse response;
        try {
            response = asPlugin(() -> client.get(new GetRequest(INDEX, name)).actionGet(TIMEOUT));
        } catch (RuntimeException e) {
            if (ExceptionsHelper.unwrapCause(e) instanceof IndexNotFoundException) {
                return null;
            }
            throw e;
        }
        return response.isExists() ? RegisteredModel.fromSource(response.getSourceAsMap()) : null;
    }

    /** Starts a registration: 409 when the name is taken, by an upload in progress or by a registered model. */
    public void create(RegisteredModel model) {
        ensureIndex();
        try {
            asPlugin(() -> client.index(new IndexRequest(INDEX).id(model.name()).opType(DocWriteRequest.OpType.CREATE)
                .source(model.toSource()).setRefreshPolicy(WriteRequest.RefreshPolicy.IMMEDIATE)).actionGet(TIMEOUT));
        } catch (RuntimeException e) {
            if (ExceptionsHelper.unwrapCause(e) instanceof VersionConflictEngineException) {
                throw new OpenSearchStatusException("CLIP model [" + model.name() + "] is registered already (or being uploaded);"
                    + " DELETE _plugins/clip/models/" + model.name() + " first", RestStatus.CONFLICT);
            }
            throw e;
        }
    }

    /** Replaces the metadata document, as {@code _register/_complete} does once the zip passed its checks. */
    public void update(RegisteredModel model) {
        asPlugin(() -> client.index(new IndexRequest(INDEX).id(model.name()).source(model.toSource())
            .setRefreshPolicy(WriteRequest.RefreshPolicy.IMMEDIATE)).actionGet(TIMEOUT));
    }

    public void putChunk(String name, int number, byte[] bytes) {
        asPlugin(() -> client.index(new IndexRequest(INDEX).id(name + "#" + number)
            .source(Map.of("type", "chunk", "model", name, "n", number, "data", bytes))
            .setRefreshPolicy(WriteRequest.RefreshPolicy.IMMEDIATE)).actionGet(TIMEOUT));
    }

    /** The chunk's bytes, or null when it was never uploaded. */
    public byte[] chunk(String name, int number) {
        GetResponse response = asPlugin(() -> client.get(new GetRequest(INDEX, name + "#" + number)).actionGet(TIMEOUT));
        if (response.isExists() == false) {
            return null;
        }
        return Base64.getDecoder().decode((String) response.getSourceAsMap().get("data"));
    }

    /** The numbers of the chunks uploaded for a model, in order. */
    public List<Integer> chunkNumbers(String name) {
        SearchSourceBuilder source = new SearchSourceBuilder().size(MAX_CHUNKS).fetchSource(new String[] { "n" }, null)
            .query(QueryBuilders.boolQuery().filter(QueryBuilders.termQuery("type", "chunk")).filter(QueryBuilders.termQuery("model", name)))
            .sort("n", SortOrder.ASC);
        List<Integer> numbers = new ArrayList<>();
        for (SearchHit hit : asPlugin(() -> client.search(new SearchRequest(INDEX).source(source)).actionGet(TIMEOUT)).getHits()) {
            numbers.add(((Number) hit.getSourceAsMap().get("n")).intValue());
        }
        return numbers;
    }

    /** Every registered model (uploads in progress included), by name; none when the index does not exist yet. */
    public List<RegisteredModel> list() {
        SearchSourceBuilder source = new SearchSourceBuilder().size(1000).query(QueryBuilders.termQuery("type", "model")).sort("name", SortOrder.ASC);
        try {
            List<RegisteredModel> models = new ArrayList<>();
            for (SearchHit hit : asPlugin(() -> client.search(new SearchRequest(INDEX).source(source)).actionGet(TIMEOUT)).getHits()) {
                models.add(RegisteredModel.fromSource(hit.getSourceAsMap()));
            }
            return models;
        } catch (RuntimeException e) {
            if (ExceptionsHelper.unwrapCause(e) instanceof IndexNotFoundException) {
                return List.of();
            }
            throw e;
        }
    }

    /** Deletes the model's chunks, then its metadata; 404 naming the model when none of that name is registered. */
    public void delete(String name) {
        if (get(name) == null) {
            throw notFound(name);
        }
        List<Integer> numbers = chunkNumbers(name);
        if (numbers.isEmpty() == false) {
            BulkRequest bulk = new BulkRequest().setRefreshPolicy(WriteRequest.RefreshPolicy.IMMEDIATE);
            numbers.forEach(n -> bulk.add(new DeleteRequest(INDEX, name + "#" + n)));
            BulkResponse response = asPlugin(() -> client.bulk(bulk).actionGet(TIMEOUT));
            if (response.hasFailures()) {
                throw new IllegalStateException("deleting the chunks of CLIP model [" + name + "] failed: " + response.buildFailureMessage());
            }
        }
        asPlugin(() -> client.delete(new DeleteRequest(INDEX, name).setRefreshPolicy(WriteRequest.RefreshPolicy.IMMEDIATE)).actionGet(TIMEOUT));
    }

    public static ResourceNotFoundException notFound(String name) {
        return new ResourceNotFoundException("CLIP model [" + name + "] is not registered; POST _plugins/clip/models/" + name
            + "/_register starts a registration");
    }

    private void ensureIndex() {
        CreateIndexRequest create = new CreateIndexRequest(INDEX).mapping(MAPPING)
            .settings(Settings.builder().put("index.number_of_shards", 1).put("index.auto_expand_replicas", "0-1").put("index.hidden", true));
        try {
            asPlugin(() -> client.admin().indices().create(create).actionGet(TIMEOUT));
        } catch (RuntimeException e) {
            if ((ExceptionsHelper.unwrapCause(e) instanceof ResourceAlreadyExistsException) == false) {
                throw e;
            }
        }
    }

    private <T> T asPlugin(Supplier<T> work) {
        ThreadContext context = client.threadPool().getThreadContext();
        try (ThreadContext.StoredContext ignored = context.stashContext()) {
            return work.get();
        }
    }
}
