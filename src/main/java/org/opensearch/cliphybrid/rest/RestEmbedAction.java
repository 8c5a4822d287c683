package org.opensearch.cliphybrid.rest;

import org.opensearch.cliphybrid.image.ImageSource;
import org.opensearch.cliphybrid.inference.ImageInputs;
import org.opensearch.cliphybrid.inference.InferenceService;
import org.opensearch.cliphybrid.model.ClipModel;
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
 * the request, so that clients can compute, compare or store them themselves. All of the work, image loading included, runs as
 * one task on the inference pool; the netty thread only parses the JSON.
 */
public final class RestEmbedAction extends BaseRestHandler {
    public static final String PATH = "/_plugins/clip/_embed";

    private final Supplier<InferenceService> inference;
    private final Supplier<ImageInputs> images;

    public RestEmbedAction(Supplier<InferenceService> inference, Supplier<ImageInputs> images) {
        this.inference = inference;
        this.images = images;
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
        ImageInputs inputs = images.get();
        return channel -> service.execute(embed.model(), model -> embed(embed, service, inputs, model), new RestToXContentListener<>(channel));
    }

    private static EmbedResponse embed(EmbedRequest request, InferenceService service, ImageInputs inputs, ClipModel model)
        throws Exception {
        // one at a time, as ingest and the query encode: a padded batch can differ in the last bits, and clients compare these
        // vectors with stored ones; it also keeps a single image's pixels in memory at a time
        float[][] textVectors = new float[request.texts().size()][];
        for (int i = 0; i < textVectors.length; i++) {
            textVectors[i] = service.encodeText(model, request.texts().get(i));
        }
        List<ImageSource> sources = new ArrayList<>(request.images().size());
        float[][] imageVectors = new float[request.images().size()][];
        for (int i = 0; i < imageVectors.length; i++) {
            ImageInputs.Input input;
            try {
                input = inputs.parse(request.images().get(i));
            } catch (IllegalArgumentException e) {
                throw ImageInputs.failure("images[" + i + "]", null, e);
            }
            sources.add(input.source());
            imageVectors[i] = inputs.embedAlone("images[" + i + "]", input, model, service);
        }
        return new EmbedResponse(model.name(), model.dimension(), request.texts(), textVectors, sources, imageVectors);
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
