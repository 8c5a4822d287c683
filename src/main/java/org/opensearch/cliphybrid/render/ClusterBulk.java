package org.opensearch.cliphybrid.render;

import org.opensearch.cliphybrid.harvest.HarvestedImage;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Writes images to a cluster with {@code _bulk}: the ids and sources that {@link HarvestedImage} gives, so a document is the
 * same whichever harvester found it, and optionally through an ingest pipeline, where {@code clip_embedding} fetches and
 * embeds each image.
 */
final class ClusterBulk {
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final URI cluster;
    private final String index;
    private final String pipeline;

    ClusterBulk(URI cluster, String index, String pipeline) {
        this.cluster = cluster;
        this.index = index;
        this.pipeline = pipeline;
    }

    /** Per image in order, null when it was indexed, otherwise why not. */
    List<String> index(List<HarvestedImage> images) {
        StringBuilder body = new StringBuilder();
        for (HarvestedImage image : images) {
            body.append(Json.write(Map.of("index", Map.of("_index", index, "_id", image.documentId())))).append('\n');
            body.append(Json.write(image.document())).append('\n');
        }
        String path = "/_bulk" + (pipeline == null ? "" : "?pipeline=" + URLEncoder.encode(pipeline, StandardCharsets.UTF_8));
        List<String> out = new ArrayList<>();
        try {
            HttpResponse<String> r = http.send(
                HttpRequest.newBuilder(cluster.resolve(path))
                    .timeout(Duration.ofMinutes(5))
                    .header("Content-Type", "application/x-ndjson")
                    .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
                    .build(),
                HttpResponse.BodyHandlers.ofString()
            );
            if (r.statusCode() != 200) {
                String why = "bulk to [" + cluster + "] failed with HTTP " + r.statusCode() + ": " + CdpMessage.abbreviate(r.body());
                images.forEach(i -> out.add(why));
                return out;
            }
            List<?> items = (List<?>) Json.parse(r.body()).get("items");
            for (int i = 0; i < images.size(); i++) {
                Map<?, ?> item = (Map<?, ?>) ((Map<?, ?>) items.get(i)).values().iterator().next();
                out.add(item.get("error") == null ? null : reason(item.get("error")));
            }
        } catch (IOException | RuntimeException e) {
            String why = "bulk to [" + cluster + "] failed: " + (e.getMessage() == null ? e.toString() : e.getMessage());
            images.forEach(i -> out.add(why));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            images.forEach(i -> out.add("interrupted"));
        }
        return out;
    }

    private static String reason(Object error) {
        return error instanceof Map<?, ?> m ? String.valueOf(m.get("reason")) : String.valueOf(error);
    }
}
