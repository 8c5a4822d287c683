package org.opensearch.cliphybrid.model.nodes;

import org.opensearch.cliphybrid.model.ClipModel;
import org.opensearch.cliphybrid.model.InferenceDevice;
import org.opensearch.cliphybrid.model.ModelRegistry;
import org.opensearch.cliphybrid.model.OrtThreads;
import org.opensearch.test.OpenSearchTestCase;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** What a node reports of its models: a loaded one with its load time, when and its ONNX files' bytes; a failed one with why. */
public class ModelNodeStatesTests extends OpenSearchTestCase {

    private static void copy(Path from, Path to) throws Exception {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Path target = to.resolve(from.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(target);
                } else if (f.getFileName().toString().equals("golden.json") == false) {
                    Files.copy(f, target);
                }
            }
        }
    }

    public void testLoadedAndFailedModelsAreReportedAndOthersNot() throws Exception {
        Path models = createTempDir();
        copy(Path.of(getClass().getResource("/families/siglip-tiny").toURI()), models.resolve("siglip"));
        Files.createDirectories(models.resolve("empty"));
        Files.createDirectories(models.resolve("unused"));
        try (ModelRegistry registry = new ModelRegistry(models, false, OrtThreads.intraOp(1), InferenceDevice.CPU)) {
            assertEquals("nothing is loaded by asking", List.of(), TransportModelNodesAction.states(registry));
            long before = System.currentTimeMillis();
            ClipModel model = registry.get("siglip");
            expectThrows(IllegalArgumentException.class, () -> registry.get("empty"));

            List<ModelNodeState> states = TransportModelNodesAction.states(registry);
            assertEquals(states.toString(), List.of("empty", "siglip"), states.stream().map(ModelNodeState::name).toList());
            ModelNodeState failed = states.get(0);
            assertFalse(failed.loaded());
            assertEquals("folder", failed.source());
            assertNotNull(failed.loadError());
            assertTrue(failed.loadError(), failed.loadError().contains("empty"));

            ModelNodeState loaded = states.get(1);
            assertTrue(loaded.loaded());
            assertEquals("folder", loaded.source());
            assertEquals(model.loadMillis(), loaded.loadMillis());
            assertTrue(loaded.loadedAtMillis() >= before && loaded.loadedAtMillis() <= System.currentTimeMillis());
            long onnx = Files.size(model.folder().textModel()) + Files.size(model.folder().visionModel());
            assertEquals(onnx, loaded.onnxBytes());
            assertNull(loaded.loadError());

            // a file gone since the load: the figure is unknown, not wrong
            Files.delete(model.folder().visionModel());
            assertEquals(-1, TransportModelNodesAction.onnxBytes(model));
        }
    }
}
