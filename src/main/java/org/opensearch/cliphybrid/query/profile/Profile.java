package org.opensearch.cliphybrid.query.profile;

import org.opensearch.core.common.io.stream.StreamInput;
import org.opensearch.core.common.io.stream.StreamOutput;
import org.opensearch.core.common.io.stream.Writeable;
import org.opensearch.core.xcontent.ToXContentObject;
import org.opensearch.core.xcontent.XContentBuilder;

import java.io.IOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Fusion parameters that {@code _calibrate} fitted, stored under a name for {@code clip_hybrid}'s {@code "profile"}, with what
 * they were fitted on: the index, the model, the metric and its values on the fitted and the held-out queries.
 *
 * @param parameters as {@link ParameterGrid} spells them (the DSL's names and values)
 */
public record Profile(
    String name,
    String index,
    String model,
    Map<String, Object> parameters,
    String metric,
    MetricValues train,
    MetricValues holdout,
    long createdMillis
) implements Writeable, ToXContentObject {
    public static final int MAX_NAME_CHARS = 64;
    private static final Pattern NAME = Pattern.compile("[a-z0-9_-]+");

    public Profile {
        checkName("profile", name);
        parameters = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
    }

    /** Lower case letters, digits, {@code _} and {@code -}: the name is a document id and appears in URLs. */
    public static String checkName(String field, String name) {
        if (name == null || name.isEmpty() || name.length() > MAX_NAME_CHARS || NAME.matcher(name).matches() == false) {
            throw new IllegalArgumentException(
                "[" + field + "] must be 1 to " + MAX_NAME_CHARS + " characters of [a-z0-9_-], got [" + name + "]"
            );
        }
        return name;
    }

    public Profile(StreamInput in) throws IOException {
        this(
            in.readString(),
            in.readString(),
            in.readString(),
            in.readMap(),
            in.readString(),
            new MetricValues(in),
            new MetricValues(in),
            in.readVLong()
        );
    }

    @Override
    public void writeTo(StreamOutput out) throws IOException {
        out.writeString(name);
        out.writeString(index);
        out.writeString(model);
        out.writeMap(parameters);
        out.writeString(metric);
        train.writeTo(out);
        holdout.writeTo(out);
        out.writeVLong(createdMillis);
    }

    @Override
    public XContentBuilder toXContent(XContentBuilder builder, Params params) throws IOException {
        builder.startObject()
            .field("name", name)
            .field("index", index)
            .field("model", model)
            .field("parameters", parameters)
            .field("metric", metric);
        builder.field("train", train);
        builder.field("holdout", holdout);
        return builder.field("created", Instant.ofEpochMilli(createdMillis).toString()).field("created_millis", createdMillis).endObject();
    }

    /** The stored document, as {@link #toXContent} wrote it. */
    @SuppressWarnings("unchecked")
    static Profile fromSource(Map<String, Object> source) {
        String metric = (String) source.get("metric");
        int k = RankingMetric.Cutoff.parse(metric).k();
        return new Profile(
            (String) source.get("name"),
            (String) source.get("index"),
            (String) source.get("model"),
            (Map<String, Object>) source.get("parameters"),
            metric,
            MetricValues.fromMap(k, (Map<?, ?>) source.get("train")),
            MetricValues.fromMap(k, (Map<?, ?>) source.get("holdout")),
            ((Number) source.get("created_millis")).longValue()
        );
    }
}
