package org.opensearch.cliphybrid.model.nodes;

import org.opensearch.Version;
import org.opensearch.action.FailedNodeException;
import org.opensearch.cluster.ClusterName;
import org.opensearch.cluster.node.DiscoveryNode;
import org.opensearch.common.io.stream.BytesStreamOutput;
import org.opensearch.common.xcontent.XContentHelper;
import org.opensearch.common.xcontent.json.JsonXContent;
import org.opensearch.core.common.bytes.BytesReference;
import org.opensearch.core.common.io.stream.StreamInput;
import org.opensearch.core.xcontent.XContentBuilder;
import org.opensearch.test.OpenSearchTestCase;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The per-node model states survive the transport layer unchanged, whatever they hold, and render one entry per node. */
public class ModelNodesWireTests extends OpenSearchTestCase {

    private static ModelNodeState randomState() {
        String name = randomAlphaOfLengthBetween(1, 20).toLowerCase(java.util.Locale.ROOT);
        String source = randomFrom("folder", "registered");
        if (randomBoolean()) {
            return ModelNodeState.loaded(name, source, randomNonNegativeLong(), randomNonNegativeLong(), randomLongBetween(-1, Long.MAX_VALUE));
        }
        return randomBoolean()
            ? ModelNodeState.failed(name, source, randomUnicodeOfLengthBetween(0, 200))
            : new ModelNodeState(name, source, false, -1, -1, -1, null);
    }

    private static DiscoveryNode randomNode() {
        return new DiscoveryNode(randomAlphaOfLength(8), randomAlphaOfLength(10), buildNewFakeTransportAddress(), Map.of(), DiscoveryNode.getRolesFromSettings(org.opensearch.common.settings.Settings.EMPTY), Version.CURRENT);
    }

    private static ModelNodeResponse randomNodeResponse() {
        List<ModelNodeState> states = new ArrayList<>();
        for (int i = randomIntBetween(0, 5); i > 0; i--) {
            states.add(randomState());
        }
        return new ModelNodeResponse(randomNode(), states);
    }

    private static StreamInput roundTrip(org.opensearch.core.common.io.stream.Writeable w) throws IOException {
        BytesStreamOutput out = new BytesStreamOutput();
        w.writeTo(out);
        return out.bytes().streamInput();
    }

    public void testStateRoundTrips() throws IOException {
        for (int i = 0; i < 100; i++) {
            ModelNodeState state = randomState();
            assertEquals(state, new ModelNodeState(roundTrip(state)));
        }
    }

    public void testDeployRequestsRoundTrip() throws IOException {
        for (int i = 0; i < 20; i++) {
            String model = randomAlphaOfLengthBetween(1, 100).toLowerCase(java.util.Locale.ROOT);
            String[] nodes = randomArray(0, 4, String[]::new, () -> randomAlphaOfLength(6));
            DeployModelRequest request = new DeployModelRequest(model, nodes);
            DeployModelRequest read = new DeployModelRequest(roundTrip(request));
            assertEquals(model, read.model());
            assertArrayEquals(nodes, read.nodesIds());
            assertEquals(model, new DeployModelNodeRequest(roundTrip(new DeployModelNodeRequest(model))).model());
        }
    }

    public void testNodeResponseRoundTrips() throws IOException {
        for (int i = 0; i < 20; i++) {
            ModelNodeResponse response = randomNodeResponse();
            ModelNodeResponse read = new ModelNodeResponse(roundTrip(response));
            assertEquals(response.getNode(), read.getNode());
            assertEquals(response.models(), read.models());
        }
    }

    public void testNodesResponseRoundTripsWithFailures() throws IOException {
        List<ModelNodeResponse> nodes = new ArrayList<>();
        for (int i = randomIntBetween(0, 4); i > 0; i--) {
            nodes.add(randomNodeResponse());
        }
        List<FailedNodeException> failures = new ArrayList<>();
        for (int i = randomIntBetween(0, 2); i > 0; i--) {
            failures.add(new FailedNodeException(randomAlphaOfLength(6), "node left", new IllegalStateException("gone")));
        }
        ModelNodesResponse response = new ModelNodesResponse(new ClusterName(randomAlphaOfLength(5)), nodes, failures);
        ModelNodesResponse read = new ModelNodesResponse(roundTrip(response));
        assertEquals(response.getClusterName(), read.getClusterName());
        assertEquals(nodes.size(), read.getNodes().size());
        for (int i = 0; i < nodes.size(); i++) {
            assertEquals(nodes.get(i).getNode(), read.getNodes().get(i).getNode());
            assertEquals(nodes.get(i).models(), read.getNodes().get(i).models());
        }
        assertEquals(failures.size(), read.failures().size());
        for (int i = 0; i < failures.size(); i++) {
            assertEquals(failures.get(i).nodeId(), read.failures().get(i).nodeId());
        }
    }

    @SuppressWarnings("unchecked")
    public void testEveryNodeGetsAnEntryForEveryModel() throws IOException {
        DiscoveryNode a = randomNode(), b = randomNode();
        ModelNodeResponse withIt = new ModelNodeResponse(a, List.of(ModelNodeState.loaded("m", "registered", 120, 1700000000000L, 4096)));
        ModelNodeResponse without = new ModelNodeResponse(b, List.of(ModelNodeState.failed("other", "folder", "broken")));
        ModelNodesResponse response = new ModelNodesResponse(new ClusterName("c"), List.of(withIt, without), List.of());
        XContentBuilder builder = JsonXContent.contentBuilder().startObject();
        response.modelOnNodes(builder, "m");
        response.failures(builder);
        builder.endObject();
        Map<String, Object> json = XContentHelper.convertToMap(BytesReference.bytes(builder), false, builder.contentType()).v2();
        List<Map<String, Object>> entries = (List<Map<String, Object>>) json.get("nodes");
        assertEquals(2, entries.size());
        assertEquals(a.getId(), entries.get(0).get("node"));
        assertEquals(true, entries.get(0).get("loaded"));
        assertEquals(120, ((Number) entries.get(0).get("load_millis")).intValue());
        assertEquals(1700000000000L, ((Number) entries.get(0).get("loaded_at_millis")).longValue());
        assertEquals(4096, ((Number) entries.get(0).get("onnx_bytes")).intValue());
        assertEquals(Map.of("node", b.getId(), "node_name", b.getName(), "loaded", false), entries.get(1));
        assertFalse("no failures, no node_failures", json.containsKey("node_failures"));
        assertEquals(Map.of("m", "registered"), response.sources());
    }
}
