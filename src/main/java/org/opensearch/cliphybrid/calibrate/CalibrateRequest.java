package org.opensearch.cliphybrid.calibrate;

import org.opensearch.cliphybrid.query.profile.Profile;
import org.opensearch.cliphybrid.query.profile.RankingMetric;

import org.opensearch.action.ActionRequest;
import org.opensearch.action.ActionRequestValidationException;
import org.opensearch.cliphybrid.inference.InferenceService;
import org.opensearch.cliphybrid.query.ClipHybridOptions;
import org.opensearch.cliphybrid.query.ClipHybridQueryBuilder;
import org.opensearch.common.xcontent.XContentFactory;
import org.opensearch.common.xcontent.json.JsonXContent;
import org.opensearch.core.common.io.stream.StreamInput;
import org.opensearch.core.common.io.stream.StreamOutput;
import org.opensearch.core.tasks.TaskId;
import org.opensearch.core.xcontent.DeprecationHandler;
import org.opensearch.core.xcontent.NamedXContentRegistry;
import org.opensearch.core.xcontent.XContentBuilder;
import org.opensearch.core.xcontent.XContentParser;
import org.opensearch.index.query.QueryBuilder;
import org.opensearch.tasks.CancellableTask;
import org.opensearch.tasks.Task;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The body of {@code POST <index>/_plugins/clip/_calibrate}; see docs/calibration.md. Every size the request controls has a
 * limit here, and each error names the field; the grid's own size is checked on the node, which knows the grid.
 */
public final class CalibrateRequest extends ActionRequest {
    public static final int MAX_JUDGMENTS = 1000;
    public static final int MAX_RELEVANT = 100;
    /** Searches of one calibration (every query with the default, the fitted ones at every grid point, the held-out with the best). */
    public static final int MAX_SEARCHES = 20_000;
    public static final int MIN_JUDGMENTS = 2 * HoldoutSplit.MIN_PART;
    public static final double DEFAULT_HOLDOUT = 0.3;
    public static final String DEFAULT_METRIC = "ndcg@10";
    private static final Set<String> FIELDS = Set.of("query", "judgments", "holdout", "seed", "metric", "profile");
    /** The judgments give the inputs; the grid and the profile give the fusion, not the fixed query. */
    private static final List<String> NOT_IN_QUERY = List.of("query_text", "query_image", "query_vector", "profile");

    private final String index;
    /** The fixed options, holding the first judgment's text: each search replaces it with its own. */
    private final ClipHybridOptions query;
    private final List<Judgment> judgments;
    private final double holdout;
    private final long seed;
    private final RankingMetric.Cutoff metric;
    private final String profile;

    public CalibrateRequest(
        String index,
        ClipHybridOptions query,
        List<Judgment> judgments,
        double holdout,
        long seed,
        RankingMetric.Cutoff metric,
        String profile
    ) {
        this.index = Objects.requireNonNull(index);
        this.query = Objects.requireNonNull(query);
        this.judgments = List.copyOf(judgments);
        this.holdout = holdout;
        this.seed = seed;
        this.metric = Objects.requireNonNull(metric);
        this.profile = profile;
    }

    public CalibrateRequest(StreamInput in) throws IOException {
        super(in);
        index = in.readString();
        query = ((ClipHybridQueryBuilder) in.readNamedWriteable(QueryBuilder.class)).options();
        judgments = in.readList(Judgment::new);
        holdout = in.readDouble();
        seed = in.readLong();
        metric = RankingMetric.Cutoff.parse(in.readString());
        profile = in.readOptionalString();
    }

    @Override
    public void writeTo(StreamOutput out) throws IOException {
        super.writeTo(out);
        out.writeString(index);
        out.writeNamedWriteable(new ClipHybridQueryBuilder(query, null));
        out.writeList(judgments);
        out.writeDouble(holdout);
        out.writeLong(seed);
        out.writeString(metric.toString());
        out.writeOptionalString(profile);
    }

    public String index() {
        return index;
    }

    public ClipHybridOptions query() {
        return query;
    }

    public List<Judgment> judgments() {
        return judgments;
    }

    public double holdout() {
        return holdout;
    }

    public long seed() {
        return seed;
    }

    public RankingMetric.Cutoff metric() {
        return metric;
    }

    public String profile() {
        return profile;
    }

    public HoldoutSplit split() {
        return HoldoutSplit.of(judgments.size(), holdout, seed);
    }

    /** The options of judged query {@code i}: the fixed ones with its text. */
    public ClipHybridOptions queryFor(int i) {
        return query.toBuilder().queryText(judgments.get(i).queryText()).build();
    }

    /** Searches a grid of {@code points} costs: all queries with the default, the fitted ones at every point, the held-out once more. */
    public long searches(int points) {
        HoldoutSplit split = split();
        return judgments.size() + (long) points * split.train().size() + split.holdout().size();
    }

    /** Refuses a grid whose searches over these judgments pass {@link #MAX_SEARCHES}. */
    public void checkSearches(int points) {
        long searches = searches(points);
        if (searches > MAX_SEARCHES) {
            throw new IllegalArgumentException(
                "[judgments] of " + judgments.size() + " queries over a grid of " + points + " points need " + searches
                    + " searches, more than the limit of " + MAX_SEARCHES + ": give fewer judgments"
            );
        }
    }

    @Override
    public ActionRequestValidationException validate() {
        return null;
    }

    @Override
    public Task createTask(long id, String type, String action, TaskId parentTaskId, Map<String, String> headers) {
        return new CancellableTask(id, type, action, "calibrate [" + index + "] on " + judgments.size() + " judgments", parentTaskId, headers) {
            @Override
            public boolean shouldCancelChildrenOnCancellation() {
                return true;
            }
        };
    }

    /** Every error names the field and the limit; the REST layer turns it into a 400. */
    public static CalibrateRequest parse(String index, XContentParser parser) throws IOException {
        Map<String, Object> body = parser.map();
        for (String key : body.keySet()) {
            if (FIELDS.contains(key) == false) {
                throw new IllegalArgumentException("unknown field [" + key + "] in calibrate request; known: " + FIELDS.stream().sorted().toList());
            }
        }
        List<Judgment> judgments = judgments(body.get("judgments"));
        double holdout = body.containsKey("holdout") ? number(body, "holdout").doubleValue() : DEFAULT_HOLDOUT;
        long seed = body.containsKey("seed") ? integer(body, "seed") : 0L;
        RankingMetric.Cutoff metric = RankingMetric.Cutoff.parse(body.containsKey("metric") ? string(body, "metric") : DEFAULT_METRIC);
        String profile = body.containsKey("profile") ? Profile.checkName("profile", string(body, "profile")) : null;
        HoldoutSplit.of(judgments.size(), holdout, seed);
        ClipHybridOptions query = query(body.get("query"), judgments.get(0).queryText(), parser.getXContentRegistry());
        if (metric.k() > query.k()) {
            throw new IllegalArgumentException("[metric] " + metric + " reads " + metric.k() + " hits, more than [query.k] of " + query.k());
        }
        return new CalibrateRequest(index, query, judgments, holdout, seed, metric, profile);
    }

    private static List<Judgment> judgments(Object raw) {
        if (!(raw instanceof List<?> list)) {
            throw new IllegalArgumentException("[judgments] is required: a list of {\"query_text\": ..., \"relevant\": [ids]}");
        }
        if (list.size() > MAX_JUDGMENTS) {
            throw new IllegalArgumentException("[judgments] has " + list.size() + " queries, more than the limit of " + MAX_JUDGMENTS);
        }
        if (list.size() < MIN_JUDGMENTS) {
            throw new IllegalArgumentException(
                "[judgments] has " + list.size() + " queries; calibration needs at least " + MIN_JUDGMENTS + " (" + HoldoutSplit.MIN_PART
                    + " to fit, " + HoldoutSplit.MIN_PART + " to hold out)"
            );
        }
        List<Judgment> out = new ArrayList<>(list.size());
        for (int i = 0; i < list.size(); i++) {
            String where = "[judgments][" + i + "]";
            if (!(list.get(i) instanceof Map<?, ?> j)) {
                throw new IllegalArgumentException(where + " must be an object with [query_text] and [relevant]");
            }
            for (Object key : j.keySet()) {
                if (key.equals("query_text") == false && key.equals("relevant") == false) {
                    throw new IllegalArgumentException(where + " has unknown field [" + key + "]; known: [query_text, relevant]");
                }
            }
            if (!(j.get("query_text") instanceof String text) || text.isBlank()) {
                throw new IllegalArgumentException(where + "[query_text] must be a non-empty string");
            }
            if (text.length() > InferenceService.MAX_TEXT_CHARS) {
                throw new IllegalArgumentException(
                    where + "[query_text] of " + text.length() + " characters is longer than the limit of " + InferenceService.MAX_TEXT_CHARS
                );
            }
            if (!(j.get("relevant") instanceof List<?> ids) || ids.isEmpty()) {
                throw new IllegalArgumentException(where + "[relevant] must be a non-empty list of document ids");
            }
            if (ids.size() > MAX_RELEVANT) {
                throw new IllegalArgumentException(where + "[relevant] has " + ids.size() + " ids, more than the limit of " + MAX_RELEVANT);
            }
            Set<String> relevant = new LinkedHashSet<>();
            for (Object id : ids) {
                if (!(id instanceof String s) || s.isEmpty()) {
                    throw new IllegalArgumentException(where + "[relevant] must hold non-empty strings, got [" + id + "]");
                }
                relevant.add(s);
            }
            out.add(new Judgment(text, new ArrayList<>(relevant)));
        }
        return out;
    }

    /** The fixed options, parsed as {@code clip_hybrid} parses them, with the first judgment's text to make them complete. */
    private static ClipHybridOptions query(Object raw, String firstText, NamedXContentRegistry registry) throws IOException {
        if (!(raw instanceof Map<?, ?> map)) {
            throw new IllegalArgumentException("[query] is required: the clip_hybrid options that stay fixed, at least [vector_field]");
        }
        for (String key : NOT_IN_QUERY) {
            if (map.containsKey(key)) {
                throw new IllegalArgumentException(
                    "[query] must not hold [" + key + "]: each judgment gives its own query text, and the grid the fusion parameters"
                );
            }
        }
        Map<String, Object> withText = new LinkedHashMap<>();
        map.forEach((k, v) -> withText.put((String) k, v));
        withText.put("query_text", firstText);
        XContentBuilder json = XContentFactory.jsonBuilder().map(withText);
        try (XContentParser p = JsonXContent.jsonXContent.createParser(registry, DeprecationHandler.THROW_UNSUPPORTED_OPERATION, json.toString())) {
            p.nextToken();
            return ClipHybridQueryBuilder.fromXContent(p, null).options();
        }
    }

    private static Number number(Map<String, Object> body, String field) {
        if (body.get(field) instanceof Number n) {
            return n;
        }
        throw new IllegalArgumentException("[" + field + "] must be a number, got [" + body.get(field) + "]");
    }

    private static long integer(Map<String, Object> body, String field) {
        Number n = number(body, field);
        if (n instanceof Integer || n instanceof Long) {
            return n.longValue();
        }
        throw new IllegalArgumentException("[" + field + "] must be an integer, got [" + n + "]");
    }

    private static String string(Map<String, Object> body, String field) {
        if (body.get(field) instanceof String s) {
            return s;
        }
        throw new IllegalArgumentException("[" + field + "] must be a string, got [" + body.get(field) + "]");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CalibrateRequest r
            && index.equals(r.index)
            && query.equals(r.query)
            && judgments.equals(r.judgments)
            && holdout == r.holdout
            && seed == r.seed
            && metric.equals(r.metric)
            && Objects.equals(profile, r.profile);
    }

    @Override
    public int hashCode() {
        return Objects.hash(index, query, judgments, holdout, seed, metric, profile);
    }
}
