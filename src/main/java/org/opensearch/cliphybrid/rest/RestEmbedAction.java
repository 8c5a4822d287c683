package org.opensearch.cliphybrid.rest;

import org.opensearch.cliphybrid.image.ImageSource;
import org.opensearch.cliphybrid.inference.ImageBatchEmbedder;
import org.opensearch.cliphybrid.inference.InferenceService;
import org.opensearch.cliphybrid.model.ClipModel;
import org.opensearch.cliphybrid.model.settings.ModelSettingsService;
import org.opensearch.cliphybrid.pipeline.ImagePipeline;
import org.opensearch.core.action.ActionListener;
import org.opensearch.core.xcontent.ToXContentObject;
import org.opensearch.core.xcontent.XContentBuilder;
import org.opensearch.core.xcontent.XContentParser;
import org.opensearch.rest.BaseRestHandler;
import org.opensearch.rest.RestRequest;
import org.opensearch.rest.action.RestToXContentListener;
import org.opensearch.transport.client.node.NodeClient;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * {@code _plugins/clip/_embed}: the vectors that ingest writes and {@code clip_hybrid} searches, for texts and images given in
 * the request, so that clients can compute, compare or store them themselves. The texts are encoded as one task on the
 * inference pool; then the images, one at a time, each read, fetched and decoded on the fetch pool as ingest does, so that a
 * slow URL never holds an inference thread. The netty thread only parses the JSON.
 */
public final class RestEmbedAction extends BaseRestHandler {
    public static final String PATH = "/_plugins/clip/_embed";

    private final Supplier<InferenceService> inference;
    private final Supplier<ImagePipeline> images;
    private final Supplier<ImageBatchEmbedder> embedder;
    private final Supplier<ModelSettingsService> modelSettings;

    public RestEmbedAction(
        Supplier<InferenceService> inference,
        Supplier<ImagePipeline> images,
        Supplier<ImageBatchEmbedder> embedder,
        Supplier<ModelSettingsService> modelSettings
    ) {
        this.inference = inference;
        this.images = images;
        this.embedder = embedder;
        this.modelSettings = modelSettings;
    }

    @Override
    public String getName() {
        return "clip_embed_action";
    }

    @Override
    public List<Route> routes() {
        return List.of(
            ClipActionNames.route(RestRequest.Method.POST, PATH, ClipActionNames.EMBED),
            ClipActionNames.route(RestRequest.Method.GET, PATH, ClipActionNames.EMBED)
        );
    }

    @Override
    protected RestChannelConsumer prepareRequest(RestRequest request, NodeClient client) throws IOException {
        EmbedRequest embed;
        try (XContentParser parser = request.contentParser()) {
            embed = EmbedRequest.parse(parser);
        }
        InferenceService service = inference.get();
        return channel -> {
            ActionListener<EmbedResponse> reply = new RestToXContentListener<>(channel);
            ModelSettingsService settings = modelSettings.get();
            service.execute(embed.model(), model -> new Texts(model, encodeTexts(embed, settings, service, model)), ActionListener.wrap(texts -> {
                ClipModel model = texts.model();
                float[][] imageVectors = new float[embed.images().size()][];
                List<ImageSource> sources = new ArrayList<>(imageVectors.length);
                embedImages(0, embed, model.name(), sources, imageVectors, ActionListener.wrap(done -> reply.onResponse(
                    new EmbedResponse(model.name(), model.dimension(), embed.texts(), texts.vectors(), sources, imageVectors)
                ), reply::onFailure));
            }, reply::onFailure));
        };
    }

    private record Texts(ClipModel model, float[][] vectors) {}

    private static float[][] encodeTexts(EmbedRequest request, ModelSettingsService settings, InferenceService service, ClipModel model)
        throws Exception {
        String language = request.language() != null ? request.language() : settings.language(model.name());
        // one at a time, as ingest and the query encode: a padded batch can differ in the last bits, and clients compare these
        // vectors with stored ones
        float[][] vectors = new float[request.texts().size()][];
        for (int i = 0; i < vectors.length; i++) {
            vectors[i] = service.encodeText(model, request.texts().get(i), language);
        }
        return vectors;
    }

    /** Image {@code i} and then the rest, one after the other, so that a request holds a single image's pixels at a time. */
    private void embedImages(
        int i,
        EmbedRequest request,
        String model,
        List<ImageSource> sources,
        float[][] vectors,
        ActionListener<Void> done
    ) {
        if (i == vectors.length) {
            done.onResponse(null);
            return;
        }
        String where = "images[" + i + "]";
        ImagePipeline.Input input;
        try {
            input = images.get().parse(request.images().get(i));
        } catch (IllegalArgumentException e) {
            done.onFailure(ImagePipeline.failure(where, null, e));
            return;
        }
        sources.add(input.source());
        embedder.get().embedAlone(where, model, input, false, ActionListener.wrap(vector -> {
            vectors[i] = vector;
            embedImages(i + 1, request, model, sources, vectors, done);
        }, done::onFailure));
    }

    record EmbedResponse(String model, int dimension, List<String> texts, float[][] textVectors, List<ImageSource> images, float[][] imageVectors)
        implements
            ToXContentObject {

        @Override
        public XContentBuilder toXContent(XContentBuilder builder, Params params) throws IOException {
            builder.startObject().field("model", model).field("dimension", dimension);
            builder.startArray("texts");
            for (int i = 0; i < texts.size(); i++) {
                builder.startObject().field("text", texts.get(i)).array("embedding", textVectors[i]).endObject();
            }
            builder.endArray().startArray("images");
            for (int i = 0; i < images.size(); i++) {
                builder.startObject().field("source", images.get(i).describe()).array("embedding", imageVectors[i]).endObject();
            }
            return builder.endArray().endObject();
        }
    }
}
