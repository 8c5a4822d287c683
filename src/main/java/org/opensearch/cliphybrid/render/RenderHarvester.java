package org.opensearch.cliphybrid.render;

import org.opensearch.cliphybrid.harvest.HarvestProgress;
import org.opensearch.cliphybrid.harvest.HarvestResponse;
import org.opensearch.cliphybrid.harvest.HarvestedImage;
import org.opensearch.cliphybrid.harvest.Harvester;
import org.opensearch.cliphybrid.harvest.HostPacer;
import org.opensearch.cliphybrid.harvest.PageExtractor;
import org.opensearch.cliphybrid.harvest.RobotsRules;
import org.opensearch.cliphybrid.harvest.RobotsTxt;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The REST harvester's crawl with a browser in place of the HTTP fetch: breadth-first over same-host links up to a depth, each
 * page checked against its host's robots.txt and paced per host, rendered by {@link PageRenderer}, extracted by
 * {@link PageExtractor} from the rendered DOM, and its new images sent to the cluster in bulks of at most one image per host
 * (the pipeline fetches each image, so the pause between requests to a host holds for the cluster's fetches too).
 */
final class RenderHarvester {
    private static final int MAX_BULK = 50;
    private static final int MAX_ROBOTS_BYTES = 500 * 1024;

    private final RenderOptions options;
    private final PageRenderer renderer;
    private final ClusterBulk cluster;
    private final ProgressBar bar;
    private final HarvestProgress progress = new HarvestProgress();
    private final HostPacer pacer;
    private final HttpClient http = HttpClient.newBuilder()
        .connectTimeout(Duration.ofSeconds(10))
        .followRedirects(HttpClient.Redirect.NORMAL)
        .build();
    private final Set<String> seenPages = new HashSet<>();
    private final Set<String> seenImages = new HashSet<>();
    private final RobotsRules<RuntimeException> robots = new RobotsRules<>(this::readRobots);

    private record QueuedPage(URI url, int depth, String site) {}

    RenderHarvester(RenderOptions options, PageRenderer renderer, ClusterBulk cluster, ProgressBar bar) {
        this.options = options;
        this.renderer = renderer;
        this.cluster = cluster;
        this.bar = bar;
        this.pacer = HostPacer.realTime(options.hostDelayMillis(), Thread::sleep);
    }

    HarvestResponse run() {
        long start = System.nanoTime();
        long deadline = start + options.totalTimeout().toNanos();
        try {
            boolean finished = crawl(deadline);
            progress.phase(finished ? "done" : "timed_out");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            progress.phase("interrupted");
        }
        bar.finish();
        return new HarvestResponse(progress.snapshot(), (System.nanoTime() - start) / 1_000_000);
    }

    /** Whether the crawl ended by itself rather than on the total time limit. */
    private boolean crawl(long deadline) throws InterruptedException {
        ArrayDeque<QueuedPage> queue = new ArrayDeque<>();
        for (URI uri : options.urls()) {
            if (seenPages.add(uri.toString())) {
                queue.add(new QueuedPage(uri, 0, host(uri)));
            }
        }
        int visited = 0, maxPages = options.maxPages();
        progress.pagesQueued(queue.size());
        while (queue.isEmpty() == false && visited < maxPages) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            QueuedPage page = queue.poll();
            progress.pagesQueued(queue.size());
            visited++;
            bar.show(progress.snapshot(), maxPages, page.url().toString());
            PageExtractor.Page found = renderPage(page.url());
            if (found != null) {
                if (page.depth() < options.depth()) {
                    long dropped = 0;
                    for (URI link : found.links()) {
                        if (host(link).equals(page.site()) && seenPages.contains(link.toString()) == false) {
                            if (queue.size() < maxPages - visited) {
                                seenPages.add(link.toString());
                                queue.add(new QueuedPage(link, page.depth() + 1, page.site()));
                            } else {
                                dropped++;
                            }
                        }
                    }
                    progress.pagesQueued(queue.size());
                    progress.linksDropped(dropped);
                }
                List<HarvestedImage> fresh = new ArrayList<>();
                long imagesDropped = 0;
                int onPage = 0;
                for (HarvestedImage image : found.images()) {
                    if (seenImages.contains(image.url())) {
                        continue;
                    }
                    if (onPage < options.maxImagesPerPage()) {
                        seenImages.add(image.url());
                        fresh.add(image);
                        onPage++;
                    } else {
                        imagesDropped++;
                    }
                }
                progress.imagesFound(fresh.size());
                progress.foundBy(fresh);
                progress.imagesDropped(imagesDropped + found.imagesDropped());
                index(robots.allowedImages(fresh, progress));
            }
            bar.show(progress.snapshot(), maxPages, null);
        }
        progress.pagesQueued(queue.size());
        return true;
    }

    private PageExtractor.Page renderPage(URI url) throws InterruptedException {
        String refusal = robots.refusal(url);
        if (refusal != null) {
            if (refusal.isEmpty()) {
                progress.pageSkippedByRobots();
            } else {
                progress.pageFailed(url.toString(), refusal);
            }
            return null;
        }
        RenderedPage rendered;
        String host = host(url);
        pacer.awaitTurn(host);
        try {
            rendered = renderer.render(url);
        } catch (IOException | RuntimeException e) {
            progress.pageFailed(url.toString(), String.valueOf(e.getMessage()));
            return null;
        } finally {
            pacer.done(host);
        }
        try {
            PageExtractor.Page page = PageExtractor.extract(rendered.html(), rendered.finalUrl());
            progress.pageFetched();
            return page;
        } catch (RuntimeException e) {
            progress.pageFailed(url.toString(), "cannot parse HTML: " + e.getMessage());
            return null;
        }
    }

    /** Whether the browser may load {@code uri}: a harvested or allowed host, and, where its robots.txt is known, allowed by it. */
    boolean browserMayLoad(URI uri) {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (scheme.equals("data") || scheme.equals("blob")) {
            return true;
        }
        if ((scheme.equals("http") || scheme.equals("https")) == false) {
            return false;
        }
        String host = host(uri);
        boolean harvested = options.urls().stream().anyMatch(u -> host(u).equals(host));
        if (harvested == false && options.allowHosts().contains(host) == false) {
            return false;
        }
        return robots.knownToAllow(uri);
    }

    private RobotsRules.Site readRobots(URI robotsUrl) throws InterruptedException {
        String host = host(robotsUrl);
        pacer.awaitTurn(host);
        try {
            HttpResponse<InputStream> r = http.send(
                HttpRequest.newBuilder(robotsUrl).timeout(Duration.ofSeconds(20)).header("User-Agent", Harvester.AGENT).GET().build(),
                HttpResponse.BodyHandlers.ofInputStream()
            );
            try (InputStream in = r.body()) {
                byte[] body = in.readNBytes(MAX_ROBOTS_BYTES);
                if (r.statusCode() >= 400 && r.statusCode() < 500) {
                    return RobotsRules.Site.of(RobotsTxt.ALLOW_ALL);
                }
                if (r.statusCode() != 200) {
                    return RobotsRules.Site.unreadable("HTTP " + r.statusCode() + " from [" + robotsUrl + "]");
                }
                return RobotsRules.Site.of(RobotsTxt.parse(new String(body, StandardCharsets.UTF_8), Harvester.AGENT));
            }
        } catch (IOException | RuntimeException e) {
            return RobotsRules.Site.unreadable(String.valueOf(e));
        } finally {
            pacer.done(host);
        }
    }

    private void index(List<HarvestedImage> images) throws InterruptedException {
        List<HarvestedImage> pending = images;
        while (pending.isEmpty() == false) {
            List<HarvestedImage> batch = new ArrayList<>(), later = new ArrayList<>();
            Set<String> hosts = new LinkedHashSet<>();
            for (HarvestedImage image : pending) {
                if (batch.size() < MAX_BULK && hosts.add(host(URI.create(image.url())))) {
                    batch.add(image);
                } else {
                    later.add(image);
                }
            }
            for (String host : hosts) {
                pacer.awaitTurn(host);
            }
            List<String> results;
            try {
                results = cluster.index(batch);
            } finally {
                hosts.forEach(pacer::done);
            }
            for (int i = 0; i < batch.size(); i++) {
                if (results.get(i) == null) {
                    progress.imageIndexed();
                } else {
                    progress.imageFailed(batch.get(i).url(), results.get(i));
                }
            }
            bar.show(progress.snapshot(), options.maxPages(), null);
            pending = later;
        }
    }

    private static String host(URI uri) {
        return uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT);
    }
}
