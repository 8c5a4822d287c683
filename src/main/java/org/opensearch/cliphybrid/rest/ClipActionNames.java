package org.opensearch.cliphybrid.rest;

import org.opensearch.cliphybrid.calibrate.CalibrateAction;
import org.opensearch.cliphybrid.calibrate.DeleteProfileAction;
import org.opensearch.cliphybrid.calibrate.GetProfileAction;
import org.opensearch.cliphybrid.harvest.HarvestAction;
import org.opensearch.cliphybrid.model.nodes.DeployModelAction;
import org.opensearch.cliphybrid.model.nodes.ModelNodesAction;
import org.opensearch.cliphybrid.model.settings.MeasureBandAction;
import org.opensearch.cliphybrid.model.registered.ModelStoreActions;
import org.opensearch.cliphybrid.stats.ClipStatsAction;
import org.opensearch.rest.NamedRoute;
import org.opensearch.rest.RestRequest;

/**
 * The action names a security role grants or denies to reach each {@code _plugins/clip} endpoint; docs/security.md lists
 * them. Every route is a {@link NamedRoute}, which the security plugin checks at the REST layer as a cluster permission.
 * Where a transport action does the work, the route carries that action's name, so that one grant passes both the REST
 * check and the transport check. {@code cluster:monitor/} holds the read-only views of node state, as in core;
 * {@code cluster:admin/} holds the rest, as in ml-commons (inference is {@code cluster:admin/opensearch/ml/predict} there).
 */
public final class ClipActionNames {
    /** Runs model inference on texts and images the caller gives (image URLs are fetched by the node). */
    public static final String EMBED = "cluster:admin/clip/embed";
    /** Lists the model folders and which of them this node has loaded. */
    public static final String MODELS = "cluster:monitor/clip/models";
    /**
     * Each node's loaded models, which {@code GET _plugins/clip/models} gathers: a role that lists models needs it too (no
     * route of its own).
     */
    public static final String MODELS_NODES = ModelNodesAction.NAME;
    /** The search page and its script and style; the page searches through {@code _search} with the caller's own rights. */
    public static final String UI_PAGE = "cluster:admin/clip/ui/page";
    /** Image files under {@code plugins.clip.images.path}, for the page's thumbnails. */
    public static final String UI_IMAGE = "cluster:admin/clip/ui/image";
    /** Fetches web pages and writes their images into an index (the writes also need the index's write permission). */
    public static final String HARVEST = HarvestAction.NAME;
    /** Every node's counters, latencies and queues. */
    public static final String STATS = ClipStatsAction.NAME;
    /** Runs judged queries on an index (with the caller's search rights) and may store the fitted profile. */
    public static final String CALIBRATE = CalibrateAction.NAME;
    /** Reads a stored calibration profile. */
    public static final String PROFILE_GET = GetProfileAction.NAME;
    /** Deletes a stored calibration profile. */
    public static final String PROFILE_DELETE = DeleteProfileAction.NAME;
    /** Measures a model's cosine band on an index's documents (searched with the caller's rights) and may store it. */
    public static final String MEASURE_BAND = MeasureBandAction.NAME;
    /** A model's effective per-model settings and where each came from. */
    public static final String MODEL_SETTINGS = "cluster:monitor/clip/models/settings";

    /** Uploads one chunk of a model folder's zip into the plugin's system index. */
    public static final String MODEL_CHUNK = ModelStoreActions.CHUNK.name();
    /** Checks the uploaded chunks as a model folder and registers it for every node. */
    public static final String MODEL_REGISTER = ModelStoreActions.REGISTER.name();
    /** Deletes a registered model and its chunks. */
    public static final String MODEL_DELETE = ModelStoreActions.DELETE.name();

    /** Loads a model on every node asked (a registered one is fetched from the cluster first). */
    public static final String MODEL_DEPLOY = DeployModelAction.NAME;

    private ClipActionNames() {}

    public static NamedRoute route(RestRequest.Method method, String path, String name) {
        return new NamedRoute.Builder().method(method).path(path).uniqueName(name).build();
    }
}
