package org.opensearch.cliphybrid.harvest;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The live counts of one harvest. The harvest thread writes, {@code GET _tasks} reads from another thread, hence the locking.
 * Failures are grouped by their reason with the URLs taken out, so that a hundred 404s make one line, not a hundred.
 */
public final class HarvestProgress {
    static final int EXAMPLES = 3;
    private static final Pattern URL = Pattern.compile("https?://[^\\s\\]\\[]+");

    private String phase = "crawling";
    private long pagesFetched, pagesFailed, pagesSkipped, pagesQueued;
    private long imagesFound, imagesIndexed, imagesFailed, imagesSkipped;
    private long linksDropped, imagesDropped, renditions;
    private final Map<String, Long> foundBy = new LinkedHashMap<>();
    private final Map<String, long[]> failureCounts = new LinkedHashMap<>();
    private final Map<String, List<String>> failureExamples = new LinkedHashMap<>();

    public synchronized void phase(String phase) {
        this.phase = phase;
    }

    public synchronized void pageFetched() {
        pagesFetched++;
    }

    public synchronized void pageFailed(String url, String reason) {
        pagesFailed++;
        failure("page: " + reason, url);
    }

    public synchronized void pageSkippedByRobots() {
        pagesSkipped++;
    }

    public synchronized void pagesQueued(long queued) {
        pagesQueued = queued;
    }

    /** Same-site links left out because the queue already held as many pages as max_pages lets the harvest visit. */
    public synchronized void linksDropped(long n) {
        linksDropped += n;
    }

    /**
     * New image URLs left out because the harvest had seen max_pages x {@link Harvester#MAX_IMAGES_PER_PAGE} already, or
     * because a page's JSON-LD or scripts held more than {@link PageExtractor#MAX_URLS_PER_SOURCE}.
     */
    public synchronized void imagesDropped(long n) {
        imagesDropped += n;
    }

    public synchronized void imagesFound(long n) {
        imagesFound += n;
    }

    /** How each of {@code images}, new to the harvest, was found, and the renditions folded into them. */
    public synchronized void foundBy(Collection<HarvestedImage> images) {
        for (HarvestedImage image : images) {
            for (FoundBy how : image.foundBy()) {
                foundBy.merge(how.tag(), 1L, Long::sum);
            }
            renditions += image.renditions().size();
        }
    }

    public synchronized void imageIndexed() {
        imagesIndexed++;
    }

    public synchronized void imageFailed(String url, String reason) {
        imagesFailed++;
        failure("image: " + reason, url);
    }

    public synchronized void imageSkippedByRobots() {
        imagesSkipped++;
    }

    private void failure(String reason, String url) {
        String group = URL.matcher(reason).replaceAll("<url>");
        failureCounts.computeIfAbsent(group, k -> new long[1])[0]++;
        List<String> examples = failureExamples.computeIfAbsent(group, k -> new ArrayList<>());
        if (examples.size() < EXAMPLES) {
            examples.add(url);
        }
    }

    public synchronized HarvestStatus snapshot() {
        List<HarvestStatus.FailureGroup> failures = new ArrayList<>();
        for (Map.Entry<String, long[]> e : failureCounts.entrySet()) {
            failures.add(new HarvestStatus.FailureGroup(e.getKey(), e.getValue()[0], List.copyOf(failureExamples.get(e.getKey()))));
        }
        return new HarvestStatus(
            phase,
            pagesFetched,
            pagesFailed,
            pagesSkipped,
            pagesQueued,
            imagesFound,
            imagesIndexed,
            imagesFailed,
            imagesSkipped,
            failures,
            linksDropped,
            imagesDropped,
            foundBy,
            renditions
        );
    }
}
