package org.opensearch.cliphybrid.labels;

import org.opensearch.cliphybrid.model.text.LanguageCode;
import org.opensearch.ingest.ConfigurationUtils;
import org.opensearch.ingest.IngestDocument;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What zero-shot labelling is asked for: the labels to choose from, the prompt templates they are put into, how many labels to
 * keep and how likely each must be, and where they are written. Parsed from an ingest processor's options, so that any processor
 * (the {@code clip_zero_shot} processor, or another that takes these options in a sub-object) reads them the same way.
 *
 * @param language the labels' FLORES-200 code for NLLB text towers; null: the model's setting, else its tokenizer's default
 */
public record ZeroShotConfig(
    List<String> labels,
    List<String> templates,
    int topK,
    double minProbability,
    String targetField,
    boolean addScores,
    String language
) {
    /** The label's place in each template. */
    public static final String PLACEHOLDER = "{}";
    /** A short ensemble in the spirit of the prompt ensembles in the CLIP paper (Radford et al., 2021, section 3.1.4). */
    public static final List<String> DEFAULT_TEMPLATES = List.of(
        "a photo of a {}.",
        "a picture of a {}.",
        "a photo of the {}.",
        "a close-up photo of a {}.",
        "a photo of a small {}.",
        "a photo of a large {}."
    );
    public static final int MAX_LABELS = 1000;
    public static final String SCORES_SUFFIX = "_scores";

    public ZeroShotConfig {
        labels = List.copyOf(labels);
        templates = List.copyOf(templates);
    }

    /** The field the probabilities go to when {@code add_scores} is on: in the same order as the labels. */
    public String scoresField() {
        return targetField + SCORES_SUFFIX;
    }

    /**
     * Reads {@code labels}, {@code templates}, {@code top_k}, {@code min_probability}, {@code target_field},
     * {@code add_scores} and {@code language} from {@code config}, removing them as ConfigurationUtils does; errors name the processor and the option.
     */
    public static ZeroShotConfig parse(String type, String tag, Map<String, Object> config) {
        List<String> labels = ConfigurationUtils.readList(type, tag, config, "labels");
        if (labels.isEmpty()) {
            throw ConfigurationUtils.newConfigurationException(type, tag, "labels", "must name at least one label");
        }
        if (labels.size() > MAX_LABELS) {
            throw ConfigurationUtils.newConfigurationException(type, tag, "labels", "has more than " + MAX_LABELS + " labels");
        }
        Set<String> seen = new HashSet<>();
        for (Object label : labels) {
            if (label instanceof String == false || ((String) label).isBlank()) {
                throw ConfigurationUtils.newConfigurationException(type, tag, "labels", "must be non-empty strings, got [" + label + "]");
            }
            if (seen.add((String) label) == false) {
                throw ConfigurationUtils.newConfigurationException(type, tag, "labels", "names [" + label + "] twice");
            }
        }
        List<String> templates = config.containsKey("templates")
            ? ConfigurationUtils.readList(type, tag, config, "templates")
            : DEFAULT_TEMPLATES;
        if (templates.isEmpty()) {
            throw ConfigurationUtils.newConfigurationException(type, tag, "templates", "must hold at least one template");
        }
        for (Object template : templates) {
            if (template instanceof String == false || ((String) template).contains(PLACEHOLDER) == false) {
                throw ConfigurationUtils.newConfigurationException(
                    type,
                    tag,
                    "templates",
                    "each template must be a string with " + PLACEHOLDER + " where the label goes, got [" + template + "]"
                );
            }
        }
        int topK = ConfigurationUtils.readIntProperty(type, tag, config, "top_k", 1);
        if (topK < 1) {
            throw ConfigurationUtils.newConfigurationException(type, tag, "top_k", "must be at least 1, got " + topK);
        }
        // readDoubleProperty has no default: a missing option would be an error
        double minProbability = config.containsKey("min_probability")
            ? ConfigurationUtils.readDoubleProperty(type, tag, config, "min_probability")
            : 0.0;
        if (minProbability < 0 || minProbability > 1 || Double.isNaN(minProbability)) {
            throw ConfigurationUtils.newConfigurationException(type, tag, "min_probability", "must be within [0, 1], got " + minProbability);
        }
        String targetField = ConfigurationUtils.readStringProperty(type, tag, config, "target_field");
        boolean addScores = ConfigurationUtils.readBooleanProperty(type, tag, config, "add_scores", false);
        String language = ConfigurationUtils.readOptionalStringProperty(type, tag, config, "language");
        String problem = language == null ? null : LanguageCode.problem(language);
        if (problem != null) {
            throw ConfigurationUtils.newConfigurationException(type, tag, "language", problem);
        }
        return new ZeroShotConfig(labels, templates, topK, minProbability, targetField, addScores, language);
    }

    /** Writes the labels to {@code target_field}, and with {@code add_scores} their probabilities, in the same order. */
    public void write(IngestDocument document, List<ZeroShotLabeler.Label> best) {
        List<String> names = new ArrayList<>(best.size());
        List<Double> probabilities = new ArrayList<>(best.size());
        for (ZeroShotLabeler.Label label : best) {
            names.add(label.label());
            probabilities.add(label.probability());
        }
        document.setFieldValue(targetField, names);
        if (addScores) {
            document.setFieldValue(scoresField(), probabilities);
        }
    }

    /** The prompts of one label, one per template. */
    List<String> prompts(String label) {
        return templates.stream().map(t -> t.replace(PLACEHOLDER, label)).toList();
    }
}
