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
            Set<String> models = new TreeSet<>();
            collect(pipelines, id, defaultModel, models, new HashSet<>(), 0);
            List<String> indices = List.copyOf(indicesByPipeline.getOrDefault(id, new TreeSet<>()));
            for (String model : models) {
                byModel.computeIfAbsent(model, m -> new ArrayList<>()).add(new Use(id, indices));
            }
        }
        return byModel;
    }

    private static void collect(
        Map<String, PipelineConfiguration> pipelines,
        String id,
        String defaultModel,
        Set<String> models,
        Set<String> seen,
        int depth
    ) {
        PipelineConfiguration pipeline = pipelines.get(id);
        if (pipeline == null || depth > MAX_DEPTH || seen.add(id) == false) {
            return;
        }
        Map<String, Object> config = pipeline.getConfigAsMap();
        processors(pipelines, config.get("processors"), defaultModel, models, seen, depth);
        processors(pipelines, config.get("on_failure"), defaultModel, models, seen, depth);
    }

    private static void processors(
        Map<String, PipelineConfiguration> pipelines,
        Object list,
        String defaultModel,
        Set<String> models,
        Set<String> seen,
        int depth
    ) {
        if (list instanceof List<?> processors) {
            for (Object processor : processors) {
                processor(pipelines, processor, defaultModel, models, seen, depth);
            }
        }
    }

    private static void processor(
        Map<String, PipelineConfiguration> pipelines,
        Object processor,
        String defaultModel,
        Set<String> models,
        Set<String> seen,
        int depth
    ) {
        if (processor instanceof Map<?, ?> one) {
            for (Map.Entry<?, ?> entry : one.entrySet()) {
                if (entry.getValue() instanceof Map<?, ?> options) {
                    uses(pipelines, String.valueOf(entry.getKey()), options, defaultModel, models, seen, depth);
                }
            }
        }
    }

    private static void uses(
        Map<String, PipelineConfiguration> pipelines,
        String type,
        Map<?, ?> options,
        String defaultModel,
        Set<String> models,
        Set<String> seen,
        int depth
    ) {
        if (ClipEmbeddingProcessor.TYPE.equals(type) || ClipZeroShotProcessor.TYPE.equals(type)) {
            models.add(options.get("model") instanceof String model ? model : defaultModel);
        } else if ("foreach".equals(type)) {
            processor(pipelines, options.get("processor"), defaultModel, models, seen, depth);
        } else if ("pipeline".equals(type) && options.get("name") instanceof String name) {
            collect(pipelines, name, defaultModel, models, seen, depth + 1);
        }
        processors(pipelines, options.get("on_failure"), defaultModel, models, seen, depth);
    }
}
