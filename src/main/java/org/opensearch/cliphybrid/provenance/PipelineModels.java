package org.opensearch.cliphybrid.provenance;

import org.opensearch.cliphybrid.ingest.ClipEmbeddingProcessor;
import org.opensearch.cliphybrid.ingest.ClipZeroShotProcessor;
import org.opensearch.cluster.metadata.IndexMetadata;
import org.opensearch.cluster.metadata.Metadata;
import org.opensearch.ingest.IngestMetadata;
import org.opensearch.ingest.PipelineConfiguration;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Which ingest pipelines run which model, and which indices run those pipelines by default: what must be looked at before
 * a model is changed or deleted. Read from the cluster state's pipeline definitions, so a pipeline counts from the moment it
 * is put, before any document went through it. A processor without {@code model} runs the node's default model; processors
 * inside {@code foreach} and {@code on_failure}, and pipelines reached through a {@code pipeline} processor, count too.
 */
public final class PipelineModels {
    /** Pipelines nest through {@code pipeline} processors; OpenSearch itself stops a chain at 100. */
    private static final int MAX_DEPTH = 100;
    private static final Set<String> INDEX_PIPELINE_SETTINGS = Set.of(
        IndexMetadata.INDEX_SETTING_PREFIX + "default_pipeline",
        IndexMetadata.INDEX_SETTING_PREFIX + "final_pipeline"
    );

    /** One pipeline that runs a model, and the indices whose default or final pipeline it is. */
    public record Use(String pipeline, List<String> indices) {}

    private PipelineModels() {}

    /** Every model some pipeline runs, with its pipelines in name order. */
    public static Map<String, List<Use>> all(Metadata metadata, String defaultModel) {
        IngestMetadata ingest = metadata.custom(IngestMetadata.TYPE);
        if (ingest == null) {
            return Map.of();
        }
        Map<String, PipelineConfiguration> pipelines = ingest.getPipelines();
        Map<String, TreeSet<String>> indicesByPipeline = new TreeMap<>();
        for (IndexMetadata index : metadata.indices().values()) {
            for (String setting : INDEX_PIPELINE_SETTINGS) {
                String pipeline = index.getSettings().get(setting);
                if (pipeline != null) {
                    indicesByPipeline.computeIfAbsent(pipeline, p -> new TreeSet<>()).add(index.getIndex().getName());
                }
            }
        }
        Map<String, List<Use>> byModel = new TreeMap<>();
        for (String id : new TreeSet<>(pipelines.keySet())) {
            Walk walk = new Walk(pipelines, defaultModel);
            walk.pipeline(id, 0);
            List<String> indices = List.copyOf(indicesByPipeline.getOrDefault(id, new TreeSet<>()));
            for (String model : walk.models) {
                byModel.computeIfAbsent(model, m -> new ArrayList<>()).add(new Use(id, indices));
            }
        }
        return byModel;
    }

    /** The models one pipeline runs, collected through its processors and the pipelines it calls. */
    private static final class Walk {
        private final Map<String, PipelineConfiguration> pipelines;
        private final String defaultModel;
        private final Set<String> models = new TreeSet<>();
        private final Set<String> seen = new HashSet<>();

        Walk(Map<String, PipelineConfiguration> pipelines, String defaultModel) {
            this.pipelines = pipelines;
            this.defaultModel = defaultModel;
        }

        void pipeline(String id, int depth) {
            PipelineConfiguration pipeline = pipelines.get(id);
            if (pipeline == null || depth > MAX_DEPTH || seen.add(id) == false) {
                return;
            }
            Map<String, Object> config = pipeline.getConfigAsMap();
            processors(config.get("processors"), depth);
            processors(config.get("on_failure"), depth);
        }

        void processors(Object list, int depth) {
            if (list instanceof List<?> processors) {
                for (Object processor : processors) {
                    processor(processor, depth);
                }
            }
        }

        void processor(Object processor, int depth) {
            if (processor instanceof Map<?, ?> one) {
                for (Map.Entry<?, ?> entry : one.entrySet()) {
                    if (entry.getValue() instanceof Map<?, ?> options) {
                        uses(String.valueOf(entry.getKey()), options, depth);
                    }
                }
            }
        }

        void uses(String type, Map<?, ?> options, int depth) {
            if (ClipEmbeddingProcessor.TYPE.equals(type) || ClipZeroShotProcessor.TYPE.equals(type)) {
                models.add(options.get("model") instanceof String model ? model : defaultModel);
            } else if ("foreach".equals(type)) {
                processor(options.get("processor"), depth);
            } else if ("pipeline".equals(type) && options.get("name") instanceof String name) {
                pipeline(name, depth + 1);
            }
            processors(options.get("on_failure"), depth);
        }
    }
}
