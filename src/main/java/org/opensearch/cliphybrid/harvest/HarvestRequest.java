package org.opensearch.cliphybrid.harvest;

import org.opensearch.action.ActionRequest;
import org.opensearch.action.ActionRequestValidationException;
import org.opensearch.common.unit.TimeValue;
import org.opensearch.core.common.io.stream.StreamInput;
import org.opensearch.core.common.io.stream.StreamOutput;
import org.opensearch.core.tasks.TaskId;
import org.opensearch.core.xcontent.XContentParser;
import org.opensearch.tasks.Task;

import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import static org.opensearch.action.ValidateActions.addValidationError;

/** What to harvest and where to put it; see docs/harvester.md. Null options take the node's {@code plugins.clip.harvest.*} settings. */
public final class HarvestRequest extends ActionRequest {
    public static final int MAX_DEPTH = 5;
    /** Starting pages of one request; more belong in several harvests, which the pool of two threads runs in turn. */
    public static final int MAX_URLS = 100;
    public static final int MAX_URL_LENGTH = 2048;
    /** Pages of one harvest: its link queue, seen sets and status grow with it, and the harvest holds a pool thread throughout. */
    public static final int MAX_PAGES = 10_000;
    /** Below this a harvest asks one host more than ten times a second, more than a small site should take from one client. */
    public static final TimeValue MIN_HOST_DELAY = TimeValue.timeValueMillis(100);
    /** Above this a harvest of a few pages holds its pool thread for hours; a host that wants more should be left out. */
    public static final TimeValue MAX_HOST_DELAY = TimeValue.timeValueMinutes(1);
    private static final Set<String> FIELDS = Set.of("urls", "depth", "index", "pipeline", "host_delay", "max_pages");

    private final List<String> urls;
    private final int depth;
    private final String index;
    private final String pipeline;
    private final TimeValue hostDelay;
    private final Integer maxPages;
    private boolean storeResult;

    public HarvestRequest(List<String> urls, int depth, String index, String pipeline, TimeValue hostDelay, Integer maxPages) {
        this.urls = List.copyOf(urls);
        this.depth = depth;
        this.index = index;
        this.pipeline = pipeline;
        this.hostDelay = hostDelay;
        this.maxPages = maxPages;
    }

    public HarvestRequest(StreamInput in) throws IOException {
        super(in);
        urls = in.readStringList();
        depth = in.readVInt();
        index = in.readString();
        pipeline = in.readOptionalString();
        hostDelay = in.readOptionalTimeValue();
        maxPages = in.readOptionalVInt();
        storeResult = in.readBoolean();
    }

    @Override
    public void writeTo(StreamOutput out) throws IOException {
        super.writeTo(out);
        out.writeStringCollection(urls);
        out.writeVInt(depth);
        out.writeString(index);
        out.writeOptionalString(pipeline);
        out.writeOptionalTimeValue(hostDelay);
        out.writeOptionalVInt(maxPages);
        out.writeBoolean(storeResult);
    }

    /** Every error names the field and what is wrong with it; the REST layer turns it into a 400. */
    public static HarvestRequest parse(XContentParser parser) throws IOException {
        Map<String, Object> body = parser.map();
        for (String key : body.keySet()) {
            if (FIELDS.contains(key) == false) {
                throw new IllegalArgumentException("unknown field [" + key + "] in harvest request; known: " + FIELDS.stream().sorted().toList());
            }
        }
        List<String> urls = new ArrayList<>();
        Object rawUrls = body.get("urls");
        if (rawUrls instanceof String s) {
            urls.add(s);
        } else if (rawUrls instanceof List<?> list) {
            for (Object o : list) {
                if (o instanceof String s) {
                    urls.add(s);
                } else {
                    throw new IllegalArgumentException("[urls] must hold strings, got [" + o + "]");
                }
            }
        } else if (rawUrls != null) {
            throw new IllegalArgumentException("[urls] must be a string or a list of strings");
        }
        int depth = intField(body, "depth", 0, "between 0 and " + MAX_DEPTH);
        Integer maxPages = body.containsKey("max_pages") ? intField(body, "max_pages", 0, "between 1 and " + MAX_PAGES) : null;
        TimeValue hostDelay = null;
        if (body.get("host_delay") != null) {
            hostDelay = TimeValue.parseTimeValue(body.get("host_delay").toString(), "host_delay");
        }
        HarvestRequest request = new HarvestRequest(
            urls,
            depth,
            stringField(body, "index"),
            stringField(body, "pipeline"),
            hostDelay,
            maxPages
        );
        ActionRequestValidationException invalid = request.validate();
        if (invalid != null) {
            throw new IllegalArgumentException(String.join("; ", invalid.validationErrors()));
        }
        return request;
    }

    private static int intField(Map<String, Object> body, String name, int missing, String range) {
        Object v = body.get(name);
        if (v == null) {
            return missing;
        }
        if (v instanceof Integer i) {
            return i;
        }
        if (v instanceof Long || v instanceof java.math.BigInteger) {
            // a whole number too large for an int: refused for its size, not its type
            throw new IllegalArgumentException("[" + name + "] must be " + range + ", got " + v);
        }
        throw new IllegalArgumentException("[" + name + "] must be an integer, got [" + v + "]");
    }

    private static String stringField(Map<String, Object> body, String name) {
        Object v = body.get(name);
        if (v == null || v instanceof String) {
            return (String) v;
        }
        throw new IllegalArgumentException("[" + name + "] must be a string, got [" + v + "]");
    }

    @Override
    public ActionRequestValidationException validate() {
        ActionRequestValidationException e = null;
        if (urls.isEmpty()) {
            e = addValidationError("[urls] must name at least one page", e);
        }
        if (urls.size() > MAX_URLS) {
            e = addValidationError("[urls] must name at most " + MAX_URLS + " pages, got " + urls.size(), e);
        }
        for (int i = 0; i < Math.min(urls.size(), MAX_URLS); i++) {
            String problem = urlProblem(urls.get(i));
            if (problem != null) {
                e = addValidationError("[urls][" + i + "] " + problem, e);
            }
        }
        if (depth < 0 || depth > MAX_DEPTH) {
            e = addValidationError("[depth] must be between 0 and " + MAX_DEPTH + ", got " + depth, e);
        }
        if (index == null || index.isBlank()) {
            e = addValidationError("[index] is required", e);
        }
        if (maxPages != null && maxPages < 1) {
            e = addValidationError("[max_pages] must be at least 1, got " + maxPages, e);
        }
        if (maxPages != null && maxPages > MAX_PAGES) {
            e = addValidationError("[max_pages] must be at most " + MAX_PAGES + ", got " + maxPages, e);
        }
        if (hostDelay != null && hostDelay.compareTo(MIN_HOST_DELAY) < 0) {
            e = addValidationError("[host_delay] must be at least " + MIN_HOST_DELAY + ", got " + hostDelay.getStringRep(), e);
        }
        if (hostDelay != null && hostDelay.compareTo(MAX_HOST_DELAY) > 0) {
            e = addValidationError("[host_delay] must be at most " + MAX_HOST_DELAY + ", got " + hostDelay.getStringRep(), e);
        }
        return e;
    }

    private static String urlProblem(String url) {
        if (url.length() > MAX_URL_LENGTH) {
            return "is " + url.length() + " characters long, over the limit of " + MAX_URL_LENGTH;
        }
        try {
            URI uri = new URI(url);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (scheme.equals("http") == false && scheme.equals("https") == false) {
                return "[" + url + "]: only http and https pages are harvested";
            }
            if (uri.getHost() == null) {
                return "[" + url + "]: no host";
            }
            return null;
        } catch (java.net.URISyntaxException ex) {
            return "[" + url + "] is not a URL: " + ex.getMessage();
        }
    }

    @Override
    public Task createTask(long id, String type, String action, TaskId parentTaskId, Map<String, String> headers) {
        return new HarvestTask(id, type, action, getDescription(), parentTaskId, headers);
    }

    @Override
    public String getDescription() {
        return "harvest " + urls + " depth " + depth + " into [" + index + "]";
    }

    /** Set when the caller does not wait, so that the summary stays readable in {@code GET _tasks/<id>} after the end. */
    public void setShouldStoreResult(boolean storeResult) {
        this.storeResult = storeResult;
    }

    @Override
    public boolean getShouldStoreResult() {
        return storeResult;
    }

    public List<String> urls() {
        return urls;
    }

    public int depth() {
        return depth;
    }

    public String index() {
        return index;
    }

    public String pipeline() {
        return pipeline;
    }

    public TimeValue hostDelay() {
        return hostDelay;
    }

    public Integer maxPages() {
        return maxPages;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof HarvestRequest r
            && urls.equals(r.urls)
            && depth == r.depth
            && index.equals(r.index)
            && Objects.equals(pipeline, r.pipeline)
            && Objects.equals(hostDelay, r.hostDelay)
            && Objects.equals(maxPages, r.maxPages)
            && storeResult == r.storeResult;
    }

    @Override
    public int hashCode() {
        return Objects.hash(urls, depth, index, pipeline, hostDelay, maxPages, storeResult);
    }
}
