package org.opensearch.cliphybrid.render;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The command line, checked: each bad value is an error naming the option and its bounds, as the REST harvester's fields are. */
record RenderOptions(
    List<URI> urls,
    int depth,
    int maxPages,
    long hostDelayMillis,
    URI cluster,
    String index,
    String pipeline,
    Duration pageTimeout,
    Duration totalTimeout,
    long quietMillis,
    int maxScrollSteps,
    int maxDomChars,
    int maxImagesPerPage,
    List<String> allowHosts,
    String chromium
) {
    static final String USAGE = """
        usage: java -jar clip-harvest-render.jar --url URL [--url URL ...] --index INDEX [options]
          --url URL               start page (http or https), repeatable, at most 100
          --depth N               follow same-host links N levels deep (0-5, default 0)
          --max-pages N           pages to render at most (1-10000, default 100)
          --host-delay-ms N       pause between requests to one host (100-60000, default 1000)
          --cluster URL           the OpenSearch cluster (default http://127.0.0.1:9200)
          --index NAME            index to write into (required)
          --pipeline NAME         ingest pipeline with clip_embedding, e.g. clip-images (default: the index's default)
          --page-timeout-s N      per page: navigation, settling and scrolling (1-300, default 30)
          --total-timeout-s N     the whole harvest (1-86400, default 3600)
          --quiet-ms N            the network counts as settled after N ms with no request in flight (100-10000, default 500)
          --max-scroll-steps N    viewport-high scroll steps per page (0-200, default 30)
          --max-dom-chars N       largest rendered DOM read (1000-50000000, default 10000000)
          --max-images-per-page N (1-1000, default 100)
          --allow-host HOST       another host the browser may load from (a CDN), repeatable
          --chromium PATH         the browser (default /usr/bin/chromium)
        """;

    static RenderOptions parse(String[] args) {
        List<URI> urls = new ArrayList<>();
        List<String> allow = new ArrayList<>();
        int depth = 0, maxPages = 100, pageTimeout = 30, scrollSteps = 30, maxDom = 10_000_000, maxImages = 100;
        long delay = 1000, quiet = 500, total = 3600;
        URI cluster = URI.create("http://127.0.0.1:9200");
        String index = null, pipeline = null, chromium = "/usr/bin/chromium";
        for (int i = 0; i < args.length; i++) {
            String name = args[i];
            if (name.equals("--help") || name.equals("-h")) {
                throw new IllegalArgumentException("");
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("[" + name + "] needs a value");
            }
            String v = args[++i];
            switch (name) {
                case "--url" -> urls.add(httpUrl(name, v));
                case "--depth" -> depth = (int) number(name, v, 0, 5);
                case "--max-pages" -> maxPages = (int) number(name, v, 1, 10_000);
                case "--host-delay-ms" -> delay = number(name, v, 100, 60_000);
                case "--cluster" -> cluster = httpUrl(name, v);
                case "--index" -> index = v;
                case "--pipeline" -> pipeline = v;
                case "--page-timeout-s" -> pageTimeout = (int) number(name, v, 1, 300);
                case "--total-timeout-s" -> total = number(name, v, 1, 86_400);
                case "--quiet-ms" -> quiet = number(name, v, 100, 10_000);
                case "--max-scroll-steps" -> scrollSteps = (int) number(name, v, 0, 200);
                case "--max-dom-chars" -> maxDom = (int) number(name, v, 1000, 50_000_000);
                case "--max-images-per-page" -> maxImages = (int) number(name, v, 1, 1000);
                case "--allow-host" -> allow.add(v.toLowerCase(Locale.ROOT));
                case "--chromium" -> chromium = v;
                default -> throw new IllegalArgumentException("unknown option [" + name + "]");
            }
        }
        if (urls.isEmpty()) {
            throw new IllegalArgumentException("[--url] is required");
        }
        if (urls.size() > 100) {
            throw new IllegalArgumentException("[--url] is given " + urls.size() + " times, more than the limit of 100");
        }
        if (index == null || index.isBlank()) {
            throw new IllegalArgumentException("[--index] is required");
        }
        return new RenderOptions(
            List.copyOf(urls),
            depth,
            maxPages,
            delay,
            cluster,
            index,
            pipeline,
            Duration.ofSeconds(pageTimeout),
            Duration.ofSeconds(total),
            quiet,
            scrollSteps,
            maxDom,
            maxImages,
            List.copyOf(allow),
            chromium
        );
    }

    RenderLimits limits() {
        return new RenderLimits(pageTimeout, quietMillis, maxScrollSteps, maxDomChars);
    }

    private static long number(String name, String v, long min, long max) {
        long n;
        try {
            n = Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("[" + name + "] [" + v + "] is not a whole number");
        }
        if (n < min || n > max) {
            throw new IllegalArgumentException("[" + name + "] must be between " + min + " and " + max + ", got [" + v + "]");
        }
        return n;
    }

    private static URI httpUrl(String name, String v) {
        URI u;
        try {
            u = new URI(v);
        } catch (Exception e) {
            throw new IllegalArgumentException("[" + name + "] [" + v + "]: not a URL: " + e.getMessage());
        }
        String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
        if ((scheme.equals("http") || scheme.equals("https")) == false || u.getHost() == null) {
            throw new IllegalArgumentException("[" + name + "] [" + v + "]: only http and https URLs with a host");
        }
        if (v.length() > 2048) {
            throw new IllegalArgumentException("[" + name + "] is " + v.length() + " characters long, over the limit of 2048");
        }
        return u;
    }
}
