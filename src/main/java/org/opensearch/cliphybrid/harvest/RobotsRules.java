package org.opensearch.cliphybrid.harvest;

import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Each site's robots.txt as one harvest reads it: once per {@code scheme://host:port}, its rules, or why it could not be
 * read (then nothing there is fetched). Both harvesters check pages and images through it; how robots.txt is fetched is
 * theirs. Safe to share between the harvest's thread and a browser's callbacks.
 *
 * @param <E> what the harvester's fetch may throw besides {@link InterruptedException} (a cancellation)
 */
public final class RobotsRules<E extends Exception> {
    /** A site's robots.txt as read: its rules, or why it could not be read. */
    public record Site(RobotsTxt rules, String unreadable) {
        public static Site unreadable(String why) {
            return new Site(null, "robots.txt unreadable, so nothing on the host is fetched: " + why);
        }

        public static Site of(RobotsTxt rules) {
            return new Site(rules, null);
        }
    }

    /** Reads one site's {@code robots.txt}, following RFC 9309: a 4xx means no rules, any other failure disallows all. */
    public interface Reader<E extends Exception> {
        Site read(URI robotsUrl) throws InterruptedException, E;
    }

    private final Reader<E> reader;
    private final Map<String, Site> sites = new HashMap<>();

    public RobotsRules(Reader<E> reader) {
        this.reader = reader;
    }

    /** Null when allowed, empty when robots.txt disallows it, otherwise why robots.txt could not be read. */
    public String refusal(URI url) throws InterruptedException, E {
        String site = site(url);
        Site rules;
        synchronized (sites) {
            rules = sites.get(site);
        }
        if (rules == null) {
            rules = reader.read(URI.create(site + "/robots.txt"));
            synchronized (sites) {
                sites.put(site, rules);
            }
        }
        if (rules.unreadable() != null) {
            return rules.unreadable();
        }
        return rules.rules().allows(target(url)) ? null : "";
    }

    /** Whether what is known so far allows {@code url}: a site whose robots.txt was not read yet is not refused here. */
    public boolean knownToAllow(URI url) {
        Site rules;
        synchronized (sites) {
            rules = sites.get(site(url));
        }
        return rules == null || rules.rules() == null || rules.rules().allows(target(url));
    }

    /** The images robots.txt lets the harvest fetch; the others are counted as skipped or failed, with the reason. */
    public List<HarvestedImage> allowedImages(List<HarvestedImage> images, HarvestProgress progress) throws InterruptedException, E {
        List<HarvestedImage> allowed = new ArrayList<>();
        for (HarvestedImage image : images) {
            URI uri;
            try {
                uri = URI.create(image.url());
            } catch (IllegalArgumentException e) {
                progress.imageFailed(image.url(), "malformed URL: " + e.getMessage());
                continue;
            }
            String refusal = refusal(uri);
            if (refusal == null) {
                allowed.add(image);
            } else if (refusal.isEmpty()) {
                progress.imageSkippedByRobots();
            } else {
                progress.imageFailed(image.url(), refusal);
            }
        }
        return allowed;
    }

    private static String site(URI url) {
        return url.getScheme().toLowerCase(Locale.ROOT) + "://" + url.getRawAuthority();
    }

    private static String target(URI url) {
        String path = url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath();
        return url.getRawQuery() == null ? path : path + "?" + url.getRawQuery();
    }
}
