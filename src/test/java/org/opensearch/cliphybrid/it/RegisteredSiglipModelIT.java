package org.opensearch.cliphybrid.it;

import org.junit.Test;
import org.opensearch.cliphybrid.model.ModelFolder;
import org.opensearch.cliphybrid.testing.FolderZip;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;

/**
 * The SigLIP fixture folder, zipped here as a client would, uploaded in two chunks and registered under a name of its own,
 * embeds as the golden made outside Java says and exactly as the folder copy the IT cluster serves ({@code siglip-tiny});
 * the registration's refusals (twice, a folder's name) and the error once it is deleted name the model.
 */
public class RegisteredSiglipModelIT {
    private static final Path FOLDER = Path.of("src/test/resources/families/siglip-tiny");
    private static final String NAME = "siglip-registered-it";
    private final ClusterClient cluster = new ClusterClient();

    private ClusterClient.Response putChunk(String name, int n, byte[] part) throws IOException {
        return cluster.put(
            "/_plugins/clip/models/" + name + "/_chunk/" + n,
            "{\"data\": \"" + Base64.getEncoder().encodeToString(part) + "\"}"
        );
    }

    private ClusterClient.Response embedText(String model, String text) throws IOException {
        return cluster.post("/_plugins/clip/_embed", "{\"model\": \"" + model + "\", \"texts\": [\"" + text.replace("\"", "\\\"") + "\"]}");
    }


    @Test
    @SuppressWarnings("unchecked")
    public void uploadRegisterEmbedDelete() throws Exception {
        cluster.delete("/_plugins/clip/models/" + NAME); // a run that stopped halfway left it behind; 404 otherwise
        byte[] zip = FolderZip.of(FOLDER);
        int half = zip.length / 2;
        ClusterClient.Response first = putChunk(NAME, 0, Arrays.copyOfRange(zip, 0, half));
        assertEquals(first.raw(), 200, first.status());
        ClusterClient.Response second = putChunk(NAME, 1, Arrays.copyOfRange(zip, half, zip.length));
        assertEquals(second.raw(), 200, second.status());

        ClusterClient.Response registered = cluster.post("/_plugins/clip/models/" + NAME + "/_register", null);
        assertEquals(registered.raw(), 200, registered.status());
        assertEquals(registered.raw(), 2, registered.<Number>path("chunks").intValue());
        assertEquals(registered.raw(), zip.length, registered.<Number>path("zip_bytes").intValue());
        List<Map<String, Object>> files = registered.path("files");
        Map<String, Object> text = files.stream()
            .filter(f -> "onnx/text_model.onnx".equals(f.get("path")))
            .findFirst()
            .orElseThrow(() -> new AssertionError(registered.raw()));
        assertEquals(Files.size(FOLDER.resolve("onnx/text_model.onnx")), ((Number) text.get("size")).longValue());
        assertEquals(64, ((String) text.get("sha256")).length());

        // registering again, or under the name of a folder model, is refused with the reason
        ClusterClient.Response again = cluster.post("/_plugins/clip/models/" + NAME + "/_register", null);
        assertEquals(again.raw(), 400, again.status());
        assertTrue(again.raw(), again.raw().contains("registered already"));
        ClusterClient.Response clash = putChunk("siglip-tiny", 0, Arrays.copyOfRange(zip, 0, 10));
        assertEquals(clash.raw(), 400, clash.status());
        assertTrue(clash.raw(), clash.raw().contains("is a model folder"));

        ClusterClient.Response models = cluster.get("/_plugins/clip/models");
        Map<String, Object> listed = models.<List<Map<String, Object>>>path("models")
            .stream()
            .filter(m -> NAME.equals(m.get("name")))
            .findFirst()
            .orElseThrow(() -> new AssertionError(models.raw()));
        assertEquals(models.raw(), "registered", listed.get("source"));

        Map<String, Object> golden = ModelFolder.readJson(FOLDER.resolve("golden.json"));
        Map<String, Object> goldenText = ((List<Map<String, Object>>) golden.get("texts")).get(0);
        ClusterClient.Response embedded = embedText(NAME, (String) goldenText.get("text"));
        assertEquals(embedded.raw(), 200, embedded.status());
        double c = ClusterClient.cosine((List<?>) goldenText.get("embedding"), embedded.path("texts.0.embedding"));
        assertTrue("registered siglip text cosine " + c, c >= 0.9999);
        // the folder copy of the same files gives the same vector
        ClusterClient.Response folder = embedText("siglip-tiny", (String) goldenText.get("text"));
        assertEquals(folder.raw(), 200, folder.status());
        assertEquals(folder.<List<?>>path("texts.0.embedding"), embedded.<List<?>>path("texts.0.embedding"));

        ClusterClient.Response deleted = cluster.delete("/_plugins/clip/models/" + NAME);
        assertEquals(deleted.raw(), 200, deleted.status());
        ClusterClient.Response twice = cluster.delete("/_plugins/clip/models/" + NAME);
        assertEquals(twice.raw(), 404, twice.status());
        assertTrue(twice.raw(), twice.raw().contains("[" + NAME + "]"));

        // the node that deleted it drops it at once; another that loaded it, within plugins.clip.model.registered_recheck_interval
        ClusterClient.Response gone = embedText(NAME, "a cat");
        for (int i = 0; i < 60 && gone.status() == 200; i++) {
            Thread.sleep(500);
            gone = embedText(NAME, "a cat");
        }
        assertNotEquals(gone.raw(), 200, gone.status());
        assertTrue(gone.raw(), gone.status() == 404 || gone.status() == 400);
        assertTrue(gone.raw(), gone.raw().contains("[" + NAME + "]"));
        assertTrue(gone.raw(), gone.raw().contains("registered"));
    }
}
