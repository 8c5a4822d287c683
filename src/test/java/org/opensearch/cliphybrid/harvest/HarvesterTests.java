package org.opensearch.cliphybrid.harvest;

import com.sun.net.httpserver.HttpServer;

import org.opensearch.cliphybrid.net.FetchLimits;
import org.opensearch.cliphybrid.net.GuardedHttpClient;
import org.opensearch.core.tasks.TaskId;
import org.opensearch.test.OpenSearchTestCase;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The harvester against a site on 127.0.0.1 whose pages hold links and no images, so that no bulk (and no client) is needed:
 * cancelling ends its pauses at once, and its link queue stays within what max_pages lets it visit.
 */
public class HarvesterTests extends OpenSearchTestCase {
    private static final int LINKS = 50;

    private HttpServer server;
    private final List<String> paths = new CopyOnWriteArrayList<>();

    private String startSite() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
        server.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            paths.add(path);
            if (path.equals("/robots.txt")) {
                exchange.sendResponseHeaders(404, -1);
            } else {
                StringBuilder html = new StringBuilder("<html><body>");
                for (int i = 0; i < LINKS; i++) {
                    html.append("<a href=\"/page").append(i).append(".html\">").append(i).append("</a>");
                }
                byte[] body = html.append("</body></html>").toString().getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
            }
            exchange.close();
        });
        server.start();
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @Override
    public void tearDown() throws Exception {
        if (server != null) {
            server.stop(0);
        }
        super.tearDown();
    }

    private static Harvester harvester() {
        // loopback is where the test site is; the client is never used, as no page has images
        return new Harvester(
            new GuardedHttpClient(),
            () -> new FetchLimits(1 << 20, 2000, 2000, 5000, true),
            () -> new Harvester.Defaults(1000, 100),
            null
        );
    }

    private static HarvestTask task() {
        return new HarvestTask(1, "transport", HarvestAction.NAME, "test harvest", TaskId.EMPTY_TASK_ID, Map.of());
    }

    public void testCancelEndsTheHostPauseAtOnce() throws Exception {
        String site = startSite();
        HarvestRequest request = new HarvestRequest(List.of(site + "/"), 1, "images", null, HarvestRequest.MAX_HOST_DELAY, 10);
        HarvestTask task = task();
        AtomicReference<HarvestResponse> response = new AtomicReference<>();
        Thread harvest = new Thread(() -> response.set(harvester().run(request, task, new TaskId("node", 1))), "test-harvest");
        harvest.start();
        // robots.txt is asked first; the page after it waits out the host delay of a minute
        assertBusy(() -> assertEquals(List.of("/robots.txt"), paths));
        Thread.sleep(200);
        long cancelledAt = System.nanoTime();
        task.cancel("test");
        harvest.join(5000);
        long tookMillis = (System.nanoTime() - cancelledAt) / 1_000_000;
        if (harvest.isAlive()) {
            harvest.interrupt();
            harvest.join();
            fail("the harvest still slept 5 s after the cancel");
        }
        assertTrue("ended " + tookMillis + " ms after the cancel", tookMillis < 1000);
        assertEquals("cancelled", response.get().status().phase());
        assertEquals("the host was not asked again after the cancel", List.of("/robots.txt"), paths);
    }

    public void testTheLinkQueueHoldsNoMoreThanMaxPagesLeaves() throws Exception {
        String site = startSite();
        int maxPages = 3;
        HarvestRequest request = new HarvestRequest(List.of(site + "/"), 2, "images", null, HarvestRequest.MIN_HOST_DELAY, maxPages);
        HarvestResponse response = harvester().run(request, task(), new TaskId("node", 1));
        HarvestStatus status = response.status();
        assertEquals("done", status.phase());
        assertEquals(maxPages, status.pagesFetched());
        assertEquals(0, status.pagesQueued());
        // the first page queues 2 of its 50 links (all that max_pages leaves after it); the two queued pages show the same 50,
        // of which the 48 not queued are dropped again each time
        assertEquals(3 * (LINKS - 2), status.pagesLinksDropped());
        assertEquals(List.of("/robots.txt", "/", "/page0.html", "/page1.html"), paths);
    }

    public void testNodeDefaultsAreHeldToTheRequestBounds() throws Exception {
        String site = startSite();
        Harvester harvester = new Harvester(
            new GuardedHttpClient(),
            () -> new FetchLimits(1 << 20, 2000, 2000, 5000, true),
            () -> new Harvester.Defaults(0, 1_000_000),
            null
        );
        HarvestRequest request = new HarvestRequest(List.of(site + "/"), 0, "images", null, null, null);
        long start = System.nanoTime();
        harvester.run(request, task(), new TaskId("node", 1));
        long tookMillis = (System.nanoTime() - start) / 1_000_000;
        assertTrue("robots.txt and the page with a pause of at least 100 ms between them, took " + tookMillis, tookMillis >= 100);
    }
}
