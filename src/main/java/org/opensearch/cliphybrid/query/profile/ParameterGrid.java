package org.opensearch.cliphybrid.query.profile;

import org.opensearch.cliphybrid.query.ClipHybridOptions;
import org.opensearch.cliphybrid.query.ClipHybridOptions.Fusion;
import org.opensearch.cliphybrid.query.ClipHybridOptionsBuilder;
import org.opensearch.cliphybrid.query.fusion.Calibration;
import org.opensearch.cliphybrid.query.fusion.Normalization;
import org.opensearch.cliphybrid.query.fusion.OptionNames;
import org.opensearch.cliphybrid.query.fusion.Weights;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.stream.Collectors;

/**
 * The fusion parameters that {@code _calibrate} searches and that a profile may set, each under its DSL name with the values
 * the grid tries. A value is spelled as the DSL spells it (a string, a number, an object), so a profile stores and a response
 * shows exactly what a user would write in {@code clip_hybrid}. Adding a parameter is one {@link Dimension} line in
 * {@link #dimensions}; the grid is the product of the dimensions that apply to each fusion mode.
 */
public final class ParameterGrid {
    public static final String FUSION = "fusion";
    private static final Set<Fusion> ALL = EnumSet.allOf(Fusion.class);
    private static final Set<Fusion> CALIBRATED = EnumSet.of(Fusion.CALIBRATED);

    /**
     * One parameter: its DSL name, the fusion modes it applies to, the values the grid tries, and how a value (as the DSL
     * spells it) goes into the options.
     */
    public record Dimension(String name, Set<Fusion> modes, List<Object> values, BiConsumer<ClipHybridOptionsBuilder, Object> apply) {
        public Dimension {
            values = List.copyOf(values);
        }
    }

    private final List<Dimension> dimensions;

    public ParameterGrid(List<Dimension> dimensions) {
        this.dimensions = List.copyOf(dimensions);
        if (this.dimensions.isEmpty() || this.dimensions.get(0).name().equals(FUSION) == false) {
            throw new IllegalArgumentException("the first dimension of a parameter grid is [" + FUSION + "]");
        }
    }

    /** The grid {@code _calibrate} searches: the vector band centres on the node's own band, since it depends on the model. */
    public static ParameterGrid standard(Calibration node) {
        return new ParameterGrid(dimensions(node));
    }

    /** Every parameter a profile may set, with its values; the band's values depend on the node's band, its name does not. */
    static List<Dimension> dimensions(Calibration node) {
        return List.of(
            new Dimension(FUSION, ALL, List.of("calibrated", "rrf", "linear"), (b, v) -> b.fusion(OptionNames.parse(Fusion.class, FUSION, text(FUSION, v)))),
            new Dimension("weights", ALL, List.of(weights(1, 3), weights(1, 2), weights(1, 1), weights(2, 1), weights(3, 1)), ParameterGrid::applyWeights),
            new Dimension("text_floor", CALIBRATED, floors(node), (b, v) -> b.textFloor(number("text_floor", v))),
            new Dimension("vector_calibration", CALIBRATED, bands(node), ParameterGrid::applyBand),
            new Dimension("rank_constant", EnumSet.of(Fusion.RRF), List.of(20, 60), (b, v) -> b.rankConstant((int) number("rank_constant", v))),
            new Dimension("normalization", EnumSet.of(Fusion.LINEAR), List.of("min_max", "z_score"), (b, v) -> b.normalization(OptionNames.parse(Normalization.class, "normalization", text("normalization", v))))
        );
    }

    /** Applies stored values; the band's candidates do not matter for that. */
    private static final ParameterGrid APPLIERS = new ParameterGrid(dimensions(new Calibration(0, 1, 0.5f)));
    /** The names a profile may set. */
    public static final Set<String> NAMES = APPLIERS.dimensions.stream().map(Dimension::name).collect(Collectors.toUnmodifiableSet());

    public List<Dimension> dimensions() {
        return dimensions;
    }

    /** Every combination, fusion mode first: each point holds the parameters that apply to its mode, in dimension order. */
    public List<Map<String, Object>> points() {
        List<Map<String, Object>> points = new ArrayList<>();
        for (Object fusion : dimensions.get(0).values()) {
            Fusion mode = OptionNames.parse(Fusion.class, FUSION, text(FUSION, fusion));
            List<Map<String, Object>> partial = new ArrayList<>();
            Map<String, Object> first = new LinkedHashMap<>();
            first.put(FUSION, fusion);
            partial.add(first);
            for (Dimension d : dimensions.subList(1, dimensions.size())) {
                if (d.modes().contains(mode) == false) {
                    continue;
                }
                List<Map<String, Object>> next = new ArrayList<>(partial.size() * d.values().size());
                for (Map<String, Object> p : partial) {
                    for (Object value : d.values()) {
                        Map<String, Object> q = new LinkedHashMap<>(p);
                        q.put(d.name(), value);
                        next.add(q);
                    }
                }
                partial = next;
            }
            points.addAll(partial);
        }
        return points;
    }

    /** The grid's size without building it, for the request's limit. */
    public int size() {
        int total = 0;
        for (Object fusion : dimensions.get(0).values()) {
            Fusion mode = OptionNames.parse(Fusion.class, FUSION, text(FUSION, fusion));
            int n = 1;
            for (Dimension d : dimensions.subList(1, dimensions.size())) {
                if (d.modes().contains(mode)) {
                    n *= d.values().size();
                }
            }
            total += n;
        }
        return total;
    }

    /**
     * The options with these parameters set, fusion first so that the others can be checked against it; a parameter that
     * does not apply to the resulting mode is left out, and {@code skip} names parameters the options keep as they are.
     */
    public ClipHybridOptions apply(ClipHybridOptions options, Map<String, Object> parameters, Set<String> skip) {
        ClipHybridOptionsBuilder b = options.toBuilder();
        Dimension fusion = dimensions.get(0);
        Fusion mode = options.fusion();
        if (parameters.containsKey(FUSION) && skip.contains(FUSION) == false) {
            fusion.apply().accept(b, parameters.get(FUSION));
            mode = b.build().fusion();
        }
        for (Dimension d : dimensions.subList(1, dimensions.size())) {
            if (parameters.containsKey(d.name()) && skip.contains(d.name()) == false && d.modes().contains(mode)) {
                d.apply().accept(b, parameters.get(d.name()));
            }
        }
        return b.build();
    }

    /** The names in {@code parameters} this grid does not know: a profile from a newer node, or a typo. */
    public List<String> unknown(Map<String, Object> parameters) {
        List<String> unknown = new ArrayList<>();
        for (String name : parameters.keySet()) {
            if (dimensions.stream().noneMatch(d -> d.name().equals(name))) {
                unknown.add(name);
            }
        }
        return unknown;
    }

    /**
     * The query once its profile is read: the profile's parameters under the ones the request gave itself, then checked as a
     * parsed query is, now that the fusion mode is known.
     */
    public static ClipHybridOptions applyProfile(ClipHybridOptions options, Profile profile) {
        ProfileRef ref = options.profile();
        String where = "[" + ClipHybridOptions.NAME + "] profile [" + profile.name() + "]";
        List<String> unknown = APPLIERS.unknown(profile.parameters());
        if (unknown.isEmpty() == false) {
            throw new IllegalArgumentException(where + " sets " + unknown + ", which this node does not know");
        }
        ClipHybridOptions applied;
        try {
            applied = APPLIERS.apply(options.toBuilder().profile(null).build(), profile.parameters(), ref.given());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
        }
        for (Dimension d : APPLIERS.dimensions) {
            if (ref.given().contains(d.name()) && d.modes().contains(applied.fusion()) == false) {
                throw new IllegalArgumentException(
                    "[" + ClipHybridOptions.NAME + "] [" + d.name() + "] does not apply to fusion [" + OptionNames.of(applied.fusion())
                        + "], which profile [" + profile.name() + "] sets: give [fusion] in the query too"
                );
            }
        }
        applied.checkComplete();
        return applied;
    }

    private static Map<String, Object> weights(int vector, int text) {
        Map<String, Object> w = new LinkedHashMap<>();
        w.put("vector", (float) vector);
        w.put("text", (float) text);
        return w;
    }

    private static void applyWeights(ClipHybridOptionsBuilder b, Object value) {
        Map<?, ?> w = object("weights", value);
        b.weights(new Weights(number("weights.vector", w.get("vector")), number("weights.text", w.get("text"))));
    }

    /** The node's text floor, 0.2 and 0.1 below it and 0.1 above, within [0, 1] (0.3, 0.4, 0.5, 0.6 for the default). */
    private static List<Object> floors(Calibration node) {
        List<Object> values = new ArrayList<>();
        for (float delta : new float[] { -0.2f, -0.1f, 0, 0.1f }) {
            Object value = round(Math.min(1f, Math.max(0f, node.textFloor() + delta)));
            if (values.contains(value) == false) {
                values.add(value);
            }
        }
        return values;
    }

    /** The node's band, and the same width shifted down and up by a quarter of it, within [-1, 1]. */
    private static List<Object> bands(Calibration node) {
        float low = node.cosineLow(), high = node.cosineHigh(), shift = (high - low) / 4;
        List<Object> bands = new ArrayList<>();
        for (float delta : new float[] { -shift, 0, shift }) {
            float l = low + delta, h = high + delta;
            if (l >= -1 && h <= 1) {
                Map<String, Object> band = new LinkedHashMap<>();
                band.put("cosine_low", round(l));
                band.put("cosine_high", round(h));
                bands.add(band);
            }
        }
        return bands;
    }

    // the band's values are shown and stored: 0.35000002 reads as a bug
    private static float round(float v) {
        return Math.round(v * 1000f) / 1000f;
    }

    private static void applyBand(ClipHybridOptionsBuilder b, Object value) {
        Map<?, ?> band = object("vector_calibration", value);
        b.cosineBand(number("vector_calibration.cosine_low", band.get("cosine_low")), number("vector_calibration.cosine_high", band.get("cosine_high")));
    }

    private static Map<?, ?> object(String name, Object value) {
        if (value instanceof Map<?, ?> map) {
            return map;
        }
        throw new IllegalArgumentException("[" + name + "] must be an object, got [" + value + "]");
    }

    private static String text(String name, Object value) {
        if (value instanceof String s) {
            return s;
        }
        throw new IllegalArgumentException("[" + name + "] must be a string, got [" + value + "]");
    }

    private static float number(String name, Object value) {
        if (value instanceof Number n) {
            return n.floatValue();
        }
        throw new IllegalArgumentException("[" + name + "] must be a number, got [" + value + "]");
    }
}
