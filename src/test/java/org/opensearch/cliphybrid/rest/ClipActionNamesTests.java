package org.opensearch.cliphybrid.rest;

import org.opensearch.cliphybrid.ClipHybridPlugin;
import org.opensearch.cliphybrid.calibrate.TransportCalibrateAction;
import org.opensearch.cliphybrid.calibrate.TransportDeleteProfileAction;
import org.opensearch.cliphybrid.calibrate.TransportGetProfileAction;
import org.opensearch.cliphybrid.harvest.HarvestAction;
import org.opensearch.cliphybrid.model.nodes.TransportDeployModelAction;
import org.opensearch.cliphybrid.model.nodes.TransportModelNodesAction;
import org.opensearch.cliphybrid.model.registered.TransportDeleteModelAction;
import org.opensearch.cliphybrid.model.registered.TransportModelChunkAction;
import org.opensearch.cliphybrid.model.registered.TransportRegisterModelAction;
import org.opensearch.cliphybrid.harvest.TransportHarvestAction;
import org.opensearch.cliphybrid.model.settings.TransportMeasureBandAction;
import org.opensearch.cliphybrid.stats.ClipStatsAction;
import org.opensearch.cliphybrid.stats.TransportClipStatsAction;
import org.opensearch.cliphybrid.ui.ImageFileAction;
import org.opensearch.cliphybrid.ui.TransportImageFileAction;
import org.opensearch.common.regex.Regex;
import org.opensearch.common.settings.Settings;
import org.opensearch.common.xcontent.yaml.YamlXContent;
import org.opensearch.core.xcontent.DeprecationHandler;
import org.opensearch.core.xcontent.NamedXContentRegistry;
import org.opensearch.core.xcontent.XContentParser;
import org.opensearch.plugins.ActionPlugin.ActionHandler;
import org.opensearch.rest.NamedRoute;
import org.opensearch.rest.RestHandler;
import org.opensearch.test.OpenSearchTestCase;
import org.opensearch.transport.TransportService;
import org.opensearch.cliphybrid.query.names.TransportWordStatsAction;
import org.opensearch.cliphybrid.query.names.WordStatsAction;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Every route the plugin registers is reachable only through a name a security role can grant, and docs/security.md lists
 * exactly those names: the table is read from the file, so the two cannot drift apart.
 */
public class ClipActionNamesTests extends OpenSearchTestCase {
    private static final Path DOC = Path.of("docs", "security.md");
    private static final Pattern ROW = Pattern.compile("^\\| `([A-Z]+)` \\| `([^`]+)` \\| `([^`]+)` \\|", Pattern.MULTILINE);
    private static final Pattern ROLE = Pattern.compile("```yaml\\n(.*?)```", Pattern.DOTALL);

    private final ClipHybridPlugin plugin = new ClipHybridPlugin(Settings.EMPTY);

    private List<RestHandler> handlers() {
        // the handlers keep suppliers of the services and read none of the arguments, so nulls stand in for a node here
        return plugin.getRestHandlers(Settings.EMPTY, null, null, null, null, null, null);
    }

    /** "METHOD path" to the name of its route, for every route of every handler. */
    private Map<String, String> registered() {
        Map<String, String> names = new TreeMap<>();
        for (RestHandler handler : handlers()) {
            for (RestHandler.Route route : handler.routes()) {
                String key = route.getMethod() + " " + route.getPath();
                assertTrue(key + " of " + handler.getClass().getSimpleName() + " is not a NamedRoute", route instanceof NamedRoute);
                assertNull(key + " is registered twice", names.put(key, ((NamedRoute) route).name()));
                assertTrue(key + " has legacy action names", ((NamedRoute) route).actionNames().isEmpty());
            }
            assertTrue(handler.getClass().getSimpleName() + " has deprecated routes", handler.deprecatedRoutes().isEmpty());
            assertTrue(handler.getClass().getSimpleName() + " has replaced routes", handler.replacedRoutes().isEmpty());
        }
        return names;
    }

    private static String doc() throws IOException {
        return Files.readString(DOC);
    }

    private static Map<String, String> documented() throws IOException {
        Map<String, String> names = new TreeMap<>();
        Matcher row = ROW.matcher(doc());
        while (row.find()) {
            assertNull(row.group() + " is listed twice", names.put(row.group(1) + " " + row.group(2), row.group(3)));
        }
        return names;
    }

    public void testEveryRouteIsANamedRouteWithTheNameTheDocumentationGives() throws IOException {
        Map<String, String> documented = documented();
        assertEquals("the table in " + DOC + " has no rows", false, documented.isEmpty());
        assertEquals(documented, registered());
    }

    public void testEachHandlerHasOneNameAndNoTwoHandlersShareOne() {
        Map<String, String> owner = new HashMap<>();
        for (RestHandler handler : handlers()) {
            Set<String> names = new HashSet<>();
            handler.routes().forEach(route -> names.add(((NamedRoute) route).name()));
            // GET and POST of _embed, or the page and its script, are one operation: a role grants all of it or none
            assertEquals(handler.getClass().getSimpleName() + " " + names, 1, names.size());
            String name = names.iterator().next();
            String previous = owner.put(name, handler.getClass().getSimpleName());
            assertNull(name + " names both " + previous + " and " + handler.getClass().getSimpleName(), previous);
        }
        assertEquals(15, owner.size());
    }

    public void testNamesAreActionNamesInTheClipNamespace() {
        for (String name : new HashSet<>(registered().values())) {
            assertTrue(name, TransportService.isValidActionName(name));
            assertTrue(name, name.matches("cluster:(admin|monitor)/clip/[a-z_]+(/[a-z_]+)?"));
        }
        // cluster_monitor (cluster:monitor/*) is granted widely, to monitoring users: only read-only views of node state in it
        assertEquals(
            Set.of(ClipActionNames.MODELS, ClipActionNames.STATS, ClipActionNames.MODEL_SETTINGS),
            registered().values().stream().filter(n -> n.startsWith("cluster:monitor/")).collect(java.util.stream.Collectors.toSet())
        );
    }

    public void testTransportActionsAreRegisteredUnderTheNamesTheirRoutesCarry() {
        Map<String, Class<?>> actions = new HashMap<>();
        for (ActionHandler<?, ?> handler : plugin.getActions()) {
            assertNull(handler.getAction().name() + " twice", actions.put(handler.getAction().name(), handler.getTransportAction()));
        }
        // clip_hybrid's own look-up has no route; it is an indices read action, granted with read on the target
        assertEquals(TransportWordStatsAction.class, actions.remove(WordStatsAction.NAME));
        // nor has the per-node model state: GET _plugins/clip/models gathers it as the caller, who needs it granted too
        assertEquals(TransportModelNodesAction.class, actions.remove(ClipActionNames.MODELS_NODES));
        assertEquals("cluster:monitor/clip/models/nodes", ClipActionNames.MODELS_NODES);
        // the deploy route and the nodes action it fans out with share a name: one grant passes both checks
        assertEquals(TransportDeployModelAction.class, actions.remove(ClipActionNames.MODEL_DEPLOY));
        assertTrue(registered().containsValue(ClipActionNames.MODEL_DEPLOY));
        assertEquals(
            Map.of(
                ClipActionNames.HARVEST,
                TransportHarvestAction.class,
                ClipActionNames.STATS,
                TransportClipStatsAction.class,
                ClipActionNames.UI_IMAGE,
                TransportImageFileAction.class,
                ClipActionNames.CALIBRATE,
                TransportCalibrateAction.class,
                ClipActionNames.PROFILE_GET,
                TransportGetProfileAction.class,
                ClipActionNames.PROFILE_DELETE,
                TransportDeleteProfileAction.class,
                ClipActionNames.MEASURE_BAND,
                TransportMeasureBandAction.class,
                ClipActionNames.MODEL_CHUNK,
                TransportModelChunkAction.class,
                ClipActionNames.MODEL_REGISTER,
                TransportRegisterModelAction.class,
                ClipActionNames.MODEL_DELETE,
                TransportDeleteModelAction.class
            ),
            actions
        );
        assertEquals("cluster:admin/clip/harvest", HarvestAction.INSTANCE.name());
        assertEquals("cluster:monitor/clip/stats", ClipStatsAction.INSTANCE.name());
        assertEquals("cluster:admin/clip/ui/image", ImageFileAction.INSTANCE.name());
        // one grant passes the REST check and the transport check alike
        assertTrue(registered().values().containsAll(actions.keySet()));
    }

    public void testTheExampleRoleAllowsSearchEmbedAndThePageButNotHarvest() throws IOException {
        Matcher block = ROLE.matcher(doc());
        assertTrue("no yaml role in " + DOC, block.find());
        Map<String, Object> roles;
        try (
            XContentParser parser = YamlXContent.yamlXContent.createParser(
                NamedXContentRegistry.EMPTY,
                DeprecationHandler.THROW_UNSUPPORTED_OPERATION,
                block.group(1)
            )
        ) {
            roles = parser.map();
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> role = (Map<String, Object>) roles.get("clip_search");
        @SuppressWarnings("unchecked")
        List<String> cluster = (List<String>) role.get("cluster_permissions");
        String[] patterns = cluster.toArray(String[]::new);
        for (String allowed : List.of(
            ClipActionNames.EMBED,
            ClipActionNames.UI_PAGE,
            ClipActionNames.UI_IMAGE,
            ClipActionNames.MODELS,
            ClipActionNames.MODELS_NODES
        )) {
            assertTrue(allowed + " not granted by " + cluster, Regex.simpleMatch(patterns, allowed));
        }
        assertFalse(Regex.simpleMatch(patterns, ClipActionNames.HARVEST));
        assertFalse(Regex.simpleMatch(patterns, ClipActionNames.STATS));
        assertTrue(role.get("index_permissions").toString(), role.get("index_permissions").toString().contains("indices:data/read/search*"));
    }
}
