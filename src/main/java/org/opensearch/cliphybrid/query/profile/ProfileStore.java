package org.opensearch.cliphybrid.query.profile;

import org.opensearch.ExceptionsHelper;
import org.opensearch.ResourceAlreadyExistsException;
import org.opensearch.ResourceNotFoundException;
import org.opensearch.action.admin.indices.create.CreateIndexRequest;
import org.opensearch.action.delete.DeleteRequest;
import org.opensearch.action.get.GetRequest;
import org.opensearch.action.index.IndexRequest;
import org.opensearch.action.support.ContextPreservingActionListener;
import org.opensearch.action.support.WriteRequest;
import org.opensearch.common.cache.Cache;
import org.opensearch.common.cache.CacheBuilder;
import org.opensearch.common.settings.Settings;
import org.opensearch.common.unit.TimeValue;
import org.opensearch.common.util.concurrent.ThreadContext;
import org.opensearch.common.xcontent.XContentFactory;
import org.opensearch.core.action.ActionListener;
import org.opensearch.core.rest.RestStatus;
import org.opensearch.core.xcontent.ToXContent;
import org.opensearch.index.IndexNotFoundException;
import org.opensearch.index.engine.DocumentMissingException;
import org.opensearch.transport.client.Client;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.function.Consumer;

/**
 * Profiles live in the plugin's own system index, one document per name. Reads and writes run in a stashed thread context:
 * the index belongs to the plugin, not to the caller, whose right to calibrate or to read profiles the named actions check.
 * A node keeps what it read for a few seconds, since every {@code clip_hybrid} query with a profile reads it; a write or a
 * delete through this node forgets it at once, other nodes within {@link #CACHE_TTL}.
 */
public final class ProfileStore {
    public static final String INDEX = ".plugins-clip-profiles";
    public static final TimeValue CACHE_TTL = TimeValue.timeValueSeconds(10);
    private static final String MAPPING = """
        {"dynamic": false, "properties": {"name": {"type": "keyword"}, "index": {"type": "keyword"}, "model": {"type": "keyword"},
         "metric": {"type": "keyword"}, "created_millis": {"type": "long"}, "parameters": {"type": "object", "enabled": false},
         "train": {"type": "object", "enabled": false}, "holdout": {"type": "object", "enabled": false}}}""";

    private final Cache<String, Profile> cache = CacheBuilder.<String, Profile>builder()
        .setMaximumWeight(1000)
        .setExpireAfterWrite(CACHE_TTL)
        .build();

    public void get(Client client, String name, ActionListener<Profile> listener) {
        Profile cached = cache.get(name);
        if (cached != null) {
            listener.onResponse(cached);
            return;
        }
        asPlugin(client, listener, l -> client.get(new GetRequest(INDEX, name), ActionListener.wrap(response -> {
            if (response.isExists() == false) {
                l.onFailure(notFound(name));
                return;
            }
            Profile profile = Profile.fromSource(response.getSourceAsMap());
            cache.put(name, profile);
            l.onResponse(profile);
        }, e -> l.onFailure(ExceptionsHelper.unwrapCause(e) instanceof IndexNotFoundException ? notFound(name) : e))));
    }

    /** Stores (or replaces) the profile, visible to searches once this answers. */
    public void put(Client client, Profile profile, ActionListener<Void> listener) {
        cache.invalidate(profile.name());
        asPlugin(client, listener, l -> {
            CreateIndexRequest create = new CreateIndexRequest(INDEX).mapping(MAPPING)
                .settings(Settings.builder().put("index.number_of_shards", 1).put("index.auto_expand_replicas", "0-1").put("index.hidden", true));
            client.admin().indices().create(create, ActionListener.wrap(created -> index(client, profile, l), e -> {
                if (ExceptionsHelper.unwrapCause(e) instanceof ResourceAlreadyExistsException) {
                    index(client, profile, l);
                } else {
                    l.onFailure(e);
                }
            }));
        });
    }

    private void index(Client client, Profile profile, ActionListener<Void> listener) {
        IndexRequest request;
        try {
            request = new IndexRequest(INDEX).id(profile.name())
                .source(profile.toXContent(XContentFactory.jsonBuilder(), ToXContent.EMPTY_PARAMS))
                .setRefreshPolicy(WriteRequest.RefreshPolicy.IMMEDIATE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        client.index(request, ActionListener.wrap(r -> {
            cache.invalidate(profile.name());
            listener.onResponse(null);
        }, listener::onFailure));
    }

    /** Deletes the profile; an unknown name fails with 404. */
    public void delete(Client client, String name, ActionListener<Void> listener) {
        cache.invalidate(name);
        asPlugin(client, listener, l -> client.delete(new DeleteRequest(INDEX, name).setRefreshPolicy(WriteRequest.RefreshPolicy.IMMEDIATE), ActionListener.wrap(r -> {
            cache.invalidate(name);
            if (r.status() == RestStatus.NOT_FOUND) {
                l.onFailure(notFound(name));
            } else {
                l.onResponse(null);
            }
        }, e -> {
            Throwable cause = ExceptionsHelper.unwrapCause(e);
            l.onFailure(cause instanceof IndexNotFoundException || cause instanceof DocumentMissingException ? notFound(name) : e);
        })));
    }

    static ResourceNotFoundException notFound(String name) {
        return new ResourceNotFoundException("clip profile [" + name + "] does not exist; _plugins/clip/_calibrate with [profile] stores one");
    }

    /** Runs {@code work} without the caller's headers, and answers the listener in the caller's context again. */
    private static <T> void asPlugin(Client client, ActionListener<T> listener, Consumer<ActionListener<T>> work) {
        ThreadContext context = client.threadPool().getThreadContext();
        ActionListener<T> restoring = ContextPreservingActionListener.wrapPreservingContext(listener, context);
        try (ThreadContext.StoredContext ignored = context.stashContext()) {
            work.accept(restoring);
        }
    }
}
