package org.opensearch.cliphybrid.rest;

import org.opensearch.cliphybrid.model.ModelRegistry;
import org.opensearch.cliphybrid.model.nodes.DeployModelAction;
import org.opensearch.cliphybrid.model.nodes.DeployModelRequest;
import org.opensearch.cliphybrid.model.nodes.ModelNodesResponse;
import org.opensearch.core.common.Strings;
import org.opensearch.core.rest.RestStatus;
import org.opensearch.core.xcontent.XContentBuilder;
import org.opensearch.rest.BaseRestHandler;
import org.opensearch.rest.BytesRestResponse;
import org.opensearch.rest.RestRequest;
import org.opensearch.rest.RestResponse;
import org.opensearch.rest.action.RestBuilderListener;
import org.opensearch.transport.client.node.NodeClient;

import java.util.List;

/**
 * {@code POST _plugins/clip/models/<name>/_deploy[?nodes=...]}: loads the model on every node (or those {@code nodes}
 * names), as each node's first use would, so that no first document or query waits for it ({@link DeployModelAction}).
 * 200 when at least one node has it loaded, with every node's state; 400 with the same body when none could load it.
 */
public final class RestDeployModelAction extends BaseRestHandler {
    public static final String PATH = RestModelsAction.PATH + "/{name}/_deploy";

    @Override
    public String getName() {
        return "clip_deploy_model_action";
    }

    @Override
    public List<Route> routes() {
        return List.of(ClipActionNames.route(RestRequest.Method.POST, PATH, ClipActionNames.MODEL_DEPLOY));
    }

    @Override
    protected RestChannelConsumer prepareRequest(RestRequest request, NodeClient client) {
        String name = request.param("name");
        ModelRegistry.checkName(name);
        String[] nodes = Strings.splitStringByCommaToArray(request.param("nodes"));
        return channel -> client.execute(DeployModelAction.INSTANCE, new DeployModelRequest(name, nodes), new RestBuilderListener<>(channel) {
            @Override
            public RestResponse buildResponse(ModelNodesResponse response, XContentBuilder builder) throws Exception {
                builder.startObject().field("name", name);
                response.modelOnNodes(builder, name);
                response.failures(builder);
                builder.endObject();
                return new BytesRestResponse(response.loadedAnywhere(name) ? RestStatus.OK : RestStatus.BAD_REQUEST, builder);
            }
        });
    }
}
