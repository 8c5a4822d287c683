package org.opensearch.cliphybrid.render;

import org.opensearch.cliphybrid.harvest.HarvestStatus;

import java.io.PrintStream;
import java.util.Locale;

/**
 * One line on stderr, redrawn in place on a terminal: pages done of those known (visited plus queued, at most max pages),
 * images found and indexed. Without a terminal (a log, a test) it prints one line per page instead.
 */
final class ProgressBar {
    private static final int WIDTH = 30;
    private final PrintStream out;
    private final boolean redraw;

    ProgressBar(PrintStream out, boolean redraw) {
        this.out = out;
        this.redraw = redraw;
    }

    void show(HarvestStatus s, int maxPages, String current) {
        long done = s.pagesFetched() + s.pagesFailed() + s.pagesSkippedByRobots();
        // the page being rendered is neither done nor queued any more, yet belongs to the total
        long inProgress = current == null ? 0 : 1;
        long total = Math.max(done + inProgress, Math.min(maxPages, done + inProgress + s.pagesQueued()));
        out.print(line(done, total, s.imagesFound(), s.imagesIndexed(), s.imagesFailed(), current) + (redraw ? "\r" : "\n"));
        out.flush();
    }

    void finish() {
        if (redraw) {
            out.println();
        }
    }

    static String line(long done, long total, long found, long indexed, long failed, String current) {
        int filled = total == 0 ? 0 : (int) (WIDTH * done / total);
        String bar = "#".repeat(filled) + ".".repeat(WIDTH - filled);
        String tail = current == null ? "" : " " + (current.length() > 60 ? current.substring(0, 57) + "..." : current);
        return String.format(Locale.ROOT, "[%s] pages %d/%d  images %d found, %d indexed, %d failed%s", bar, done, total, found, indexed, failed, tail);
    }
}
