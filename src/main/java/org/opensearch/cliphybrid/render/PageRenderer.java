package org.opensearch.cliphybrid.render;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Renders pages in one tab of the browser: navigate, wait for the network to settle, scroll to the bottom a viewport at a time
 * (so that IntersectionObserver and scroll listeners load what they hold back) waiting for the network after each step, and
 * read {@code document.documentElement.outerHTML}. Every request the tab makes is paused by the Fetch domain and only those
 * {@code allowed} lets through go on; the rest fail as blocked by the client, so the browser reaches the harvested hosts only.
 */
final class PageRenderer {
    private static final Duration CALL = Duration.ofSeconds(10);
    private static final String SCROLL = """
        (() => { const before = document.scrollingElement ? document.scrollingElement.scrollHeight : 0;
          window.scrollBy(0, Math.max(200, window.innerHeight - 50));
          const el = document.scrollingElement || document.documentElement;
          return JSON.stringify({atBottom: window.scrollY + window.innerHeight >= el.scrollHeight - 2, height: el.scrollHeight}); })()""";
    private static final String STATE = """
        JSON.stringify({href: location.href, contentType: document.contentType,
          status: (performance.getEntriesByType('navigation')[0] || {}).responseStatus || 0,
          length: document.documentElement ? document.documentElement.outerHTML.length : 0})""";

    private final CdpSession cdp;
    private final String session;
    private final NetworkIdle network = new NetworkIdle(() -> System.nanoTime() / 1_000_000);
    private final RenderLimits limits;
    private volatile long blocked;

    private PageRenderer(CdpSession cdp, String session, RenderLimits limits) {
        this.cdp = cdp;
        this.session = session;
        this.limits = limits;
    }

    /** Opens a tab in the browser behind {@code cdp} and sets it up: network events, request interception, viewport. */
    static PageRenderer open(CdpSession cdp, Predicate<URI> allowed, RenderLimits limits) throws IOException {
        String target = (String) cdp.call(null, "Target.createTarget", Map.of("url", "about:blank"), CALL).get("targetId");
        String session = (String) cdp.call(null, "Target.attachToTarget", Map.of("targetId", target, "flatten", true), CALL)
            .get("sessionId");
        PageRenderer r = new PageRenderer(cdp, session, limits);
        cdp.onEvent(m -> r.onEvent(m, allowed));
        cdp.call(session, "Network.enable", Map.of(), CALL);
        cdp.call(session, "Page.enable", Map.of(), CALL);
        cdp.call(session, "Fetch.enable", Map.of("patterns", List.of(Map.of("urlPattern", "*"))), CALL);
        return r;
    }

    @SuppressWarnings("unchecked")
    private void onEvent(CdpMessage m, Predicate<URI> allowed) {
        if (session.equals(m.sessionId()) == false) {
            return;
        }
        if ("Fetch.requestPaused".equals(m.method())) {
            String url = String.valueOf(((Map<String, Object>) m.params().getOrDefault("request", Map.of())).get("url"));
            Object id = m.params().get("requestId");
            boolean ok;
            try {
                ok = allowed.test(URI.create(url));
            } catch (IllegalArgumentException e) {
                ok = false;
            }
            if (ok) {
                cdp.send(session, "Fetch.continueRequest", Map.of("requestId", id));
            } else {
                blocked++;
                cdp.send(session, "Fetch.failRequest", Map.of("requestId", id, "errorReason", "BlockedByClient"));
            }
        } else if (m.method() != null && m.method().startsWith("Network.")) {
            network.onEvent(m.method(), m.params());
        }
    }

    /** Requests the tab made that were refused because their host is not being harvested. */
    long blockedRequests() {
        return blocked;
    }

    /** Renders one page; an IOException says why it could not be (navigation error, HTTP status, not HTML, DOM too large). */
    RenderedPage render(URI url) throws IOException, InterruptedException {
        long deadline = now() + limits.pageTimeout().toMillis();
        network.reset();
        Map<String, Object> nav = cdp.call(session, "Page.navigate", Map.of("url", url.toString()), left(deadline));
        if (nav.get("errorText") != null) {
            throw new IOException("browser could not load [" + url + "]: " + nav.get("errorText"));
        }
        boolean settled = network.await(limits.quietMillis(), deadline);
        Map<String, Object> state = evaluateJson(STATE, deadline);
        int status = ((Number) state.getOrDefault("status", 0)).intValue();
        if (status >= 400) {
            throw new IOException("HTTP " + status + " from [" + url + "]");
        }
        String type = String.valueOf(state.get("contentType")).toLowerCase(Locale.ROOT);
        if (type.startsWith("text/html") == false && type.startsWith("application/xhtml+xml") == false) {
            throw new IOException("not an HTML page (content type [" + state.get("contentType") + "])");
        }
        int steps = 0;
        while (steps < limits.maxScrollSteps() && now() < deadline) {
            Map<String, Object> s = evaluateJson(SCROLL, deadline);
            steps++;
            // a step waits for what it started; at the bottom, a page that grew (infinite scroll) gets another step
            settled = network.await(limits.quietMillis(), deadline) && settled;
            if (Boolean.TRUE.equals(s.get("atBottom"))) {
                Map<String, Object> after = evaluateJson(SCROLL, deadline);
                settled = network.await(limits.quietMillis(), deadline) && settled;
                if (Boolean.TRUE.equals(after.get("atBottom")) && after.get("height").equals(s.get("height"))) {
                    break;
                }
            }
        }
        state = evaluateJson(STATE, deadline);
        int length = ((Number) state.get("length")).intValue();
        if (length > limits.maxDomChars()) {
            throw new IOException("rendered DOM of [" + url + "] is " + length + " characters, over the limit of " + limits.maxDomChars());
        }
        String html = (String) evaluate("document.documentElement.outerHTML", deadline);
        URI finalUrl;
        try {
            finalUrl = URI.create(String.valueOf(state.get("href")));
        } catch (IllegalArgumentException e) {
            finalUrl = url;
        }
        return new RenderedPage(finalUrl, html == null ? "" : html, settled, steps);
    }

    private Map<String, Object> evaluateJson(String expression, long deadline) throws IOException {
        Object v = evaluate(expression, deadline);
        if (v instanceof String s) {
            return Json.parse(s);
        }
        throw new IOException("the page's script state could not be read (got [" + v + "])");
    }

    @SuppressWarnings("unchecked")
    private Object evaluate(String expression, long deadline) throws IOException {
        Map<String, Object> r = cdp.call(
            session,
            "Runtime.evaluate",
            Map.of("expression", expression, "returnByValue", true, "awaitPromise", false),
            left(deadline)
        );
        Map<String, Object> details = (Map<String, Object>) r.get("exceptionDetails");
        if (details != null) {
            throw new IOException("script error in the page: " + details.get("text"));
        }
        return ((Map<String, Object>) r.getOrDefault("result", Map.of())).get("value");
    }

    private static Duration left(long deadline) {
        // a call still gets a moment after the page's time is up, so the last read of the DOM is not lost to a rounding
        return Duration.ofMillis(Math.max(2000, deadline - now()));
    }

    private static long now() {
        return System.nanoTime() / 1_000_000;
    }

}
