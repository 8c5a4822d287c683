package org.opensearch.cliphybrid.it;

import org.junit.Test;
import org.opensearch.cliphybrid.testing.SharedFixtures;

import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

/**
 * The compressed index templates (7-bit and 1-bit scalar quantization of k-NN's lucene engine): clip_hybrid reads the exact
 * cosines of the raw vectors they keep, so its hits and scores are those of the float index; and a 1-bit index that k-NN
 * would search through its missing native library gets a 400 that says what to change, the node staying up.
 */
public class CompressedVectorsIT {
    private static final List<String> INDICES = List.of("clip-images-float-it", "clip-images-7bit-it", "clip-images-1bit-it");
    private final ClusterClient cluster = new ClusterClient();

    private void load(String index, List<String> images) throws IOException {
        cluster.delete("/" + index);
        StringBuilder bulk = new StringBuilder();
        for (String image : images) {
            bulk.append("{\"index\": {\"_index\": \"").append(index).append("\", \"_id\": \"").append(image).append("\"}}\n");
            bulk.append("{\"image\": \"").append(image).append("\"}\n");
        }
        ClusterClient.Response r = cluster.post("/_bulk?refresh=true", bulk.toString());
        assertEquals(r.raw(), Boolean.FALSE, r.path("errors"));
    }

    private List<Map<String, Object>> hits(String index, String fusion) throws IOException {
        ClusterClient.Response r = cluster.post("/" + index + "/_search", "{\"size\": 10, \"_source\": false, \"query\": {\"clip_hybrid\":"
            + " {\"query_text\": \"a dog runs through the grass\", \"vector_field\": \"image_vector\", \"text_fields\": [\"title\"],"
            + " \"fusion\": \"" + fusion + "\"}}}");
        assertEquals(r.raw(), 200, r.status());
        return r.path("hits.hits");
    }

    @Test
    public void quantizedIndicesGiveTheFloatIndexsHits() throws IOException {
        cluster.putFile("/_ingest/pipeline/clip-images", "ingest-pipelines/clip-images.pipeline.json");
        cluster.putFile("/_index_template/clip-images", "ingest-pipelines/clip-images.index-template.json");
        cluster.putFile("/_index_template/clip-images-7bit", "ingest-pipelines/clip-images-7bit.index-template.json");
        cluster.putFile("/_index_template/clip-images-1bit", "ingest-pipelines/clip-images-1bit.index-template.json");
        List<String> images;
        try (Stream<java.nio.file.Path> files = Files.list(SharedFixtures.flickrImages())) {
            images = files.map(p -> p.getFileName().toString()).sorted().limit(150).toList();
        }
        for (String index : INDICES) {
            load(index, images);
        }
        Map<String, Object> mapping = cluster.get("/clip-images-1bit-it/_mapping").path("clip-images-1bit-it.mappings.properties.image_vector");
        assertTrue(String.valueOf(mapping), String.valueOf(mapping).contains("bits=1"));
        for (String fusion : List.of("calibrated", "rrf")) {
            List<Map<String, Object>> expected = hits(INDICES.get(0), fusion);
            assertEquals(10, expected.size());
            for (String index : INDICES.subList(1, 3)) {
                List<Map<String, Object>> got = hits(index, fusion);
                if (fusion.equals("calibrated")) {
                    // calibrated scores the exact cosine of each candidate's raw vector, whatever the graph holds
                    assertEquals(index, expected.stream().map(h -> h.get("_id")).toList(), got.stream().map(h -> h.get("_id")).toList());
                    for (int i = 0; i < expected.size(); i++) {
                        // the same cosines and BM25; the sum may round apart in the last bit, as segment layouts differ
                        double want = ((Number) expected.get(i).get("_score")).doubleValue(), have = ((Number) got.get(i).get("_score")).doubleValue();
                        assertEquals(index + " score " + i, want, have, 1e-6);
                    }
                } else {
                    // rank modes rank the graph's own (quantized) scores: the same pictures, nearly in the same order
                    long same = got.stream().map(h -> h.get("_id")).filter(expected.stream().map(h -> h.get("_id")).toList()::contains).count();
                    assertTrue(index + " shares " + same + " of 10", same >= 8);
                }
            }
        }
    }

    /** The store k-NN 3.6.0.0 needs for 1-bit vectors without its native library: memory-mapped, they must not end the node. */
    @Test
    public void aMemoryMapped1BitIndexIsARequestErrorNotTheNodesEnd() throws IOException {
        String index = "one-bit-mmap-it";
        cluster.delete("/" + index);
        ClusterClient.Response created = cluster.put("/" + index, """
            {"settings": {"index.knn": true, "number_of_replicas": 0},
             "mappings": {"properties": {"title": {"type": "text"}, "image_vector": {"type": "knn_vector", "dimension": 256,
               "space_type": "cosinesimil", "method": {"name": "hnsw", "engine": "lucene",
                 "parameters": {"encoder": {"name": "sq", "parameters": {"bits": 1}}}}}}}}""");
        assertEquals(created.raw(), 200, created.status());
        StringBuilder bulk = new StringBuilder();
        for (int i = 0; i < 40; i++) {
            StringBuilder v = new StringBuilder();
            for (int d = 0; d < 256; d++) {
                v.append(d == 0 ? "" : ",").append((float) Math.sin(i * 7.1 + d));
            }
            bulk.append("{\"index\": {\"_index\": \"").append(index).append("\"}}\n{\"title\": \"a photo\", \"image_vector\": [").append(v).append("]}\n");
        }
        assertEquals(Boolean.FALSE, cluster.post("/_bulk?refresh=true", bulk.toString()).path("errors"));
        ClusterClient.Response r = cluster.post("/" + index + "/_search", "{\"query\": {\"clip_hybrid\": {\"query_text\": \"a dog\","
            + " \"vector_field\": \"image_vector\", \"text_fields\": [\"title\"]}}}");
        // where the node has k-NN's native library the search simply works; the build on Maven Central does not have it
        if (r.status() != 200) {
            assertEquals(r.raw(), 400, r.status());
            assertTrue(r.raw(), r.raw().contains("needs a native library that this node lacks"));
            assertTrue(r.raw(), r.raw().contains("\\\"index.store.type\\\": \\\"niofs\\\""));
        }
        assertEquals(200, cluster.get("/_cluster/health").status());
    }
}
