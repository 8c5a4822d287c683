package org.opensearch.cliphybrid.rest;

import org.opensearch.cliphybrid.inference.InferenceService;
import org.opensearch.cliphybrid.model.ClipModel;
import org.opensearch.cliphybrid.model.settings.EffectiveSettings;
import org.opensearch.cliphybrid.model.settings.ModelSettings;
import org.opensearch.cliphybrid.model.settings.ModelSettingsService;
import org.opensearch.cliphybrid.query.fusion.Calibration;
import org.opensearch.core.xcontent.ToXContent;
import org.opensearch.core.rest.RestStatus;
import org.opensearch.core.xcontent.XContentBuilder;
import org.opensearch.rest.BaseRestHandler;
import org.opensearch.rest.BytesRestResponse;
import org.opensearch.rest.RestChannel;
import org.opensearch.rest.RestRequest;
import org.opensearch.core.action.ActionListener;
import org.opensearch.transport.client.node.NodeClient;

import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * {@code GET _plugins/clip/models/<name>/_settings}: the model's settings as queries use them, each with its source
 * ({@code setting}, {@code folder} or {@code default}). The folder's values need the model loaded, so it loads on first use, on
 * the inference pool; a model that cannot load shows the settings and the defaults, and the load error.
 */
public final class RestModelSettingsAction extends BaseRestHandler {
    public static final String PATH = "/_plugins/clip/models/{name}/_settings";

    private final Supplier<InferenceService> inference;
    private final Supplier<ModelSettingsService> settings;
    private final Supplier<Calibration> nodeCalibration;
    private final BooleanSupplier quantized;

    public RestModelSettingsAction(
        Supplier<InferenceService> inference,
        Supplier<ModelSettingsService> settings,
        Supplier<Calibration> nodeCalibration,
        BooleanSupplier quantized
    ) {
        this.inference = inference;
        this.settings = settings;
        this.nodeCalibration = nodeCalibration;
        this.quantized = quantized;
    }

    @Override
    public String getName() {
        return "clip_model_settings_action";
    }

    @Override
    public List<Route> routes() {
        return List.of(ClipActionNames.route(RestRequest.Method.GET, PATH, ClipActionNames.MODEL_SETTINGS));
    }

    @Override
    protected RestChannelConsumer prepareRequest(RestRequest request, NodeClient client) {
        String name = ModelSettings.checkModelName("name", request.param("name"));
        return channel -> inference.get().execute(name, model -> model, new ActionListener<ClipModel>() {
            @Override
            public void onResponse(ClipModel model) {
                reply(channel, name, model, null);
            }

            @Override
            public void onFailure(Exception e) {
                reply(channel, name, null, e);
            }
        });
    }

    private void reply(RestChannel channel, String name, ClipModel model, Exception loadError) {
        try {
            send(channel, effective(name, model), loadError);
        } catch (Exception e) {
            try {
                channel.sendResponse(new BytesRestResponse(channel, e));
            } catch (Exception inner) {
                e.addSuppressed(inner);
            }
        }
    }

    private EffectiveSettings effective(String name, ClipModel model) {
        Calibration node = nodeCalibration.get();
        return settings.get().effective(name, model, new float[] { node.cosineLow(), node.cosineHigh() }, quantized.getAsBoolean());
    }

    private static void send(RestChannel channel, EffectiveSettings effective, Exception loadError) throws Exception {
        XContentBuilder builder = channel.newBuilder();
        builder.startObject();
        builder.field("model", effective.model());
        builder.field("loaded", loadError == null);
        if (loadError != null) {
            builder.field("load_error", loadError.getMessage());
        }
        builder.field("effective");
        effective.toXContent(builder, ToXContent.EMPTY_PARAMS);
        builder.endObject();
        channel.sendResponse(new BytesRestResponse(RestStatus.OK, builder));
    }
}
