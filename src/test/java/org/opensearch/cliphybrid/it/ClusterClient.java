package org.opensearch.cliphybrid.it;

import org.opensearch.common.xcontent.XContentHelper;
import org.opensearch.common.xcontent.json.JsonXContent;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** Plain HTTP to the node that test-cluster/start started for the integration tests (-Dtests.cluster). */
public final class ClusterClient {
    public record Response(int status, Map<String, Object> body, String raw) {
        @SuppressWarnings("unchecked")
        public <T> T path(String dotted) {
            Object current = body;
            for (String part : dotted.split("\\.")) {
                if (current instanceof Map<?, ?> m) {
                    current = m.get(part);
                } else if (current instanceof List<?> l) {
                    current = l.get(Integer.parseInt(part));
                } else {
                    return null;
                }
            }
            return (T) current;
        }
    }

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final String base = System.getProperty("tests.cluster", "http://127.0.0.1:9200");

    public Response get(String path) throws IOException {
        return send("GET", path, null);
    }

    public Response delete(String path) throws IOException {
        return send("DELETE", path, null);
    }

    public Response put(String path, String json) throws IOException {
        return send("PUT", path, json);
    }

    public Response post(String path, String json) throws IOException {
        return send("POST", path, json);
    }

    /** PUTs one of the JSON files users PUT, as it is in the repository. */
    public Response putFile(String path, String repoFile) throws IOException {
        return put(path, Files.readString(Path.of(repoFile)));
    }

    public Response send(String method, String path, String json) throws IOException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(120));
        String contentType = path.contains("_bulk") ? "application/x-ndjson" : "application/json";
        request.header("Content-Type", contentType);
        request.method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            String raw = response.body();
            Map<String, Object> body = raw == null || raw.isBlank() || raw.startsWith("{") == false
                ? Map.of()
                : XContentHelper.convertToMap(JsonXContent.jsonXContent, raw, false);
            return new Response(response.statusCode(), body, raw);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    /** The cosine of two vectors as a response's JSON gives them (lists of numbers). */
    static double cosine(List<?> a, List<?> b) {
        double dot = 0, na = 0, nb = 0;
        for (int i = 0; i < a.size(); i++) {
            double x = ((Number) a.get(i)).doubleValue(), y = ((Number) b.get(i)).doubleValue();
            dot += x * y;
            na += x * x;
            nb += y * y;
        }
        return dot / Math.sqrt(na * nb);
    }
}
