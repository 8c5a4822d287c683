package org.opensearch.cliphybrid.harvest;

import org.opensearch.ExceptionsHelper;
import org.opensearch.action.bulk.BulkItemResponse;
import org.opensearch.action.bulk.BulkRequest;
import org.opensearch.action.bulk.BulkResponse;
import org.opensearch.action.index.IndexRequest;
import org.opensearch.cliphybrid.ErrorReason;
import org.opensearch.cliphybrid.net.FetchLimits;
import org.opensearch.cliphybrid.net.Fetched;
import org.opensearch.cliphybrid.net.GuardedHttpClient;
import org.opensearch.cliphybrid.net.HttpStatusException;
import org.opensearch.core.tasks.TaskId;
import org.opensearch.transport.client.Client;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Crawls pages breadth-first up to a same-site link depth, and indexes each image found through the ingest pipeline, where
 * {@code clip_embedding} fetches and embeds it. Every fetch goes through the {@link GuardedHttpClient} (address guard, byte cap,
 * timeouts, redirects), every page and image is checked against its host's robots.txt, and each host is asked at most once at
 * a time with a pause between requests: pages one by one, images in bulks that hold at most one image per host.
 */
public final class Harvester {
    /** Our product token in robots.txt and the User-Agent header GuardedHttpClient sends. */
    public static final String AGENT = "clip-hybrid-search";
    private static final int MAX_BULK = 50;
    /** Distinct image URLs one harvest keeps per page it may visit; a page full of images beyond that is not a gallery to index. */
    static final int MAX_IMAGES_PER_PAGE = 100;

    /** The node's defaults for what a request leaves out. */
    public record Defaults(long hostDelayMillis, int maxPages) {}

    private final GuardedHttpClient http;
    private final Supplier<FetchLimits> limits;
    private final Supplier<Defaults> defaults;
    private final Client client;

    public Harvester(GuardedHttpClient http, Supplier<FetchLimits> limits, Supplier<Defaults> defaults, Client client) {
        this.http = http;
        this.limits = limits;
        this.defaults = defaults;
        this.client = client;
    }

    public HarvestResponse run(HarvestRequest request, HarvestTask task, TaskId taskId) {
        long start = System.nanoTime();
        Defaults d = defaults.get();
        // the request was validated against these bounds; the node settings were not, as they predate them
        long delay = request.hostDelay() != null
            ? request.hostDelay().millis()
            : Math.min(Math.max(d.hostDelayMillis(), HarvestRequest.MIN_HOST_DELAY.millis()), HarvestRequest.MAX_HOST_DELAY.millis());
        int maxPages = Math.min(request.maxPages() != null ? request.maxPages() : d.maxPages(), HarvestRequest.MAX_PAGES);
        Crawl crawl = new Crawl(request, task, taskId, HostPacer.realTime(delay, task::sleepUnlessCancelled), limits.get(), maxPages);
        try {
            crawl.run();
            task.progress().phase(task.isCancelled() ? "cancelled" : "done");
        } catch (Cancelled e) {
            task.progress().phase("cancelled");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            task.progress().phase("interrupted");
        }
        return new HarvestResponse(task.progress().snapshot(), (System.nanoTime() - start) / 1_000_000);
    }

    private record QueuedPage(URI url, int depth, String site) {}

    /** The task was cancelled while the harvest waited its turn at a host: it ends without asking the host. */
    private static final class Cancelled extends Exception {
        Cancelled() {
            super(null, null, false, false);
        }
    }

    /** The state of one harvest: what was seen, each host's robots.txt, and the pacing. */
    private final class Crawl {
        private final HarvestRequest request;
        private final HarvestTask task;
        private final TaskId taskId;
        private final HostPacer pacer;
        private final FetchLimits fetchLimits;
        private final int maxPages;
        private final HarvestProgress progress;
        private final Set<String> seenPages = new HashSet<>();
        private final Set<String> seenImages = new HashSet<>();
        private final RobotsRules<Cancelled> robots = new RobotsRules<>(this::readRobots);

        Crawl(HarvestRequest request, HarvestTask task, TaskId taskId, HostPacer pacer, FetchLimits fetchLimits, int maxPages) {
            this.request = request;
            this.task = task;
            this.taskId = taskId;
            this.pacer = pacer;
            this.fetchLimits = fetchLimits;
            this.maxPages = maxPages;
            this.progress = task.progress();
        }

        void run() throws InterruptedException, Cancelled {
            ArrayDeque<QueuedPage> queue = new ArrayDeque<>();
            for (String url : request.urls()) {
                URI uri = URI.create(url);
                if (seenPages.add(uri.toString())) {
                    queue.add(new QueuedPage(uri, 0, host(uri)));
                }
            }
            int visited = 0;
            while (queue.isEmpty() == false && visited < maxPages && task.isCancelled() == false) {
                QueuedPage page = queue.poll();
                progress.pagesQueued(queue.size());
                visited++;
                PageExtractor.Page found = fetchPage(page.url());
                if (found == null) {
                    continue;
                }
                if (page.depth() < request.depth()) {
                    long dropped = 0;
                    for (URI link : found.links()) {
                        if (host(link).equals(page.site()) && seenPages.contains(link.toString()) == false) {
                            // each page polled counts towards max_pages, so the queue never needs more than what is left of it;
                            // past that, a link would never be visited, and keeping it would only grow the queue and the seen set
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
                for (HarvestedImage image : found.images()) {
                    if (seenImages.contains(image.url())) {
                        continue;
                    }
                    if (seenImages.size() < (long) maxPages * MAX_IMAGES_PER_PAGE) {
                        seenImages.add(image.url());
                        fresh.add(image);
                    } else {
                        imagesDropped++;
                    }
                }
                progress.imagesFound(fresh.size());
                progress.foundBy(fresh);
                progress.imagesDropped(imagesDropped + found.imagesDropped());
                index(robots.allowedImages(fresh, progress));
            }
            progress.pagesQueued(queue.size());
        }

        /** Null when the page was skipped or failed; the progress says which and why. */
        private PageExtractor.Page fetchPage(URI url) throws InterruptedException, Cancelled {
            String refusal = robots.refusal(url);
            if (refusal != null) {
                if (refusal.isEmpty()) {
                    progress.pageSkippedByRobots();
                } else {
                    progress.pageFailed(url.toString(), refusal);
                }
                return null;
            }
            Fetched fetched;
            try {
                fetched = get(url);
            } catch (IOException | RuntimeException e) {
                progress.pageFailed(url.toString(), message(e));
                return null;
            }
            String type = fetched.contentType() == null ? "" : fetched.contentType().toLowerCase(Locale.ROOT);
            if (type.startsWith("text/html") == false && type.startsWith("application/xhtml+xml") == false) {
                progress.pageFailed(url.toString(), "not an HTML page (content type [" + fetched.contentType() + "])");
                return null;
            }
            try {
                PageExtractor.Page page = PageExtractor.extract(fetched.bytes(), fetched.contentType(), fetched.finalUri());
                progress.pageFetched();
                return page;
            } catch (IOException | RuntimeException e) {
                progress.pageFailed(url.toString(), "cannot parse HTML: " + message(e));
                return null;
            }
        }

        private RobotsRules.Site readRobots(URI robotsUrl) throws InterruptedException, Cancelled {
            try {
                return RobotsRules.Site.of(RobotsTxt.parse(new String(get(robotsUrl).bytes(), StandardCharsets.UTF_8), AGENT));
            } catch (HttpStatusException e) {
                return e.status() >= 400 && e.status() < 500 ? RobotsRules.Site.of(RobotsTxt.ALLOW_ALL) : RobotsRules.Site.unreadable(message(e));
            } catch (IOException | RuntimeException e) {
                return RobotsRules.Site.unreadable(message(e));
            }
        }

        private Fetched get(URI url) throws IOException, InterruptedException, Cancelled {
            String host = host(url);
            pacer.awaitTurn(host);
            if (task.isCancelled()) {
                throw new Cancelled();
            }
            try {
                return http.get(url, fetchLimits);
            } finally {
                pacer.done(host);
            }
        }

        private void index(List<HarvestedImage> images) throws InterruptedException {
            List<HarvestedImage> pending = images;
            while (pending.isEmpty() == false && task.isCancelled() == false) {
                progress.phase("indexing");
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
                if (task.isCancelled()) {
                    // a cancel that came during the pause: the bulk, a child of this task, would only fail for it
                    break;
                }
                try {
                    bulk(batch);
                } finally {
                    hosts.forEach(pacer::done);
                }
                pending = later;
            }
            progress.phase("crawling");
        }

        private void bulk(List<HarvestedImage> batch) {
            BulkRequest bulk = new BulkRequest();
            bulk.setParentTask(taskId);
            for (HarvestedImage image : batch) {
                IndexRequest index = new IndexRequest(request.index()).id(image.documentId()).source(image.document());
                if (request.pipeline() != null) {
                    index.setPipeline(request.pipeline());
                }
                bulk.add(index);
            }
            BulkResponse response;
            try {
                response = client.bulk(bulk).actionGet();
            } catch (RuntimeException e) {
                batch.forEach(image -> progress.imageFailed(image.url(), message(e)));
                return;
            }
            BulkItemResponse[] items = response.getItems();
            for (int i = 0; i < items.length; i++) {
                if (items[i].isFailed()) {
                    progress.imageFailed(batch.get(i).url(), message(items[i].getFailure().getCause()));
                } else {
                    progress.imageIndexed();
                }
            }
        }
    }

    private static String host(URI uri) {
        return uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT);
    }

    private static String message(Throwable e) {
        return ErrorReason.of(ExceptionsHelper.unwrapCause(e));
    }
}
