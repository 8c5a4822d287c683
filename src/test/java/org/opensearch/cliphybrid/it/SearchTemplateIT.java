package org.opensearch.cliphybrid.it;

import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

import java.io.IOException;
import java.util.List;
import java.util.Map;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

/** ingest-pipelines/clip-hybrid.search-template.json, PUT as users PUT it, run on the demo index through _search/template. */
public class SearchTemplateIT {
    private static final String TEMPLATE = "/" + DemoSearchIT.INDEX + "/_search/template";
    private static final String QUERY = "a dog runs across the grass";
    private static final ClusterClient cluster = new ClusterClient();

    @BeforeClass
    public static void putTemplate() throws IOException {
        ClusterClient.Response r = cluster.putFile("/_scripts/clip-hybrid", "ingest-pipelines/clip-hybrid.search-template.json");
        assertEquals(r.raw(), 200, r.status());
    }

    @AfterClass
    public static void dropTemplate() throws IOException {
        cluster.delete("/_scripts/clip-hybrid");
    }

    private static List<Map<String, Object>> hits(ClusterClient.Response r) {
        assertEquals(r.raw(), 200, r.status());
        return r.path("hits.hits");
    }

    private static List<Map<String, Object>> template(String params) throws IOException {
        return hits(cluster.send("GET", TEMPLATE, "{\"id\": \"clip-hybrid\", \"params\": " + params + "}"));
    }

    private static List<Map<String, Object>> direct(String options, int from, int size) throws IOException {
        return hits(cluster.post("/" + DemoSearchIT.INDEX + "/_search", "{\"from\": " + from + ", \"size\": " + size
            + ", \"_source\": {\"excludes\": [\"image_vector\"]}, \"query\": {\"clip_hybrid\": {\"query_text\": \"" + QUERY
            + "\", \"vector_field\": \"image_vector\", \"k\": 100, " + options + "}}}"));
    }

    @Test
    public void defaultsGiveTheSameHitsAsTheQueryWrittenOut() throws IOException {
        List<Map<String, Object>> viaTemplate = template("{\"query_text\": \"" + QUERY + "\"}");
        assertEquals(10, viaTemplate.size());
        SameHits.assertSameHits(direct("\"text_fields\": [\"title^2\", \"caption\", \"alt\", \"tags\"]", 0, 10), viaTemplate);
        assertFalse(((Map<?, ?>) viaTemplate.get(0).get("_source")).containsKey("image_vector"));
    }

    @Test
    public void fromAndSizePage() throws IOException {
        List<Map<String, Object>> all = template("{\"query_text\": \"" + QUERY + "\", \"size\": 6}");
        List<Map<String, Object>> page = template("{\"query_text\": \"" + QUERY + "\", \"from\": 2, \"size\": 3}");
        SameHits.assertSameHits(all.subList(2, 5), page);
    }

    @Test
    public void filterAndTextFieldsReachTheQuery() throws IOException {
        String filter = "{\"bool\": {\"must_not\": {\"exists\": {\"field\": \"title\"}}}}";
        List<Map<String, Object>> untitled = template(
            "{\"query_text\": \"" + QUERY + "\", \"size\": 5, \"text_fields\": [\"title\"], \"filter\": " + filter + "}"
        );
        assertEquals(5, untitled.size());
        for (Map<String, Object> hit : untitled) {
            assertFalse(hit.toString(), ((Map<?, ?>) hit.get("_source")).containsKey("title"));
        }
        assertEquals(direct("\"text_fields\": [\"title\"], \"filter\": " + filter, 0, 5), untitled);
    }

    @Test
    public void quotesInTheQueryTextAreEscaped() throws IOException {
        assertEquals(3, template("{\"query_text\": \"a \\\"dog\\\" \\\\ } running\", \"size\": 3}").size());
    }

    @Test
    public void aMissingQueryTextIsA400NamingIt() throws IOException {
        ClusterClient.Response r = cluster.send("GET", TEMPLATE, "{\"id\": \"clip-hybrid\", \"params\": {\"size\": 3}}");
        assertEquals(r.raw(), 400, r.status());
        assertTrue(r.raw(), r.raw().contains("[query_text] must not be empty"));
    }
}
