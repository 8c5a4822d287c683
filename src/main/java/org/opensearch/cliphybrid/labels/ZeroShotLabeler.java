package org.opensearch.cliphybrid.labels;

import org.opensearch.cliphybrid.inference.InferenceService;
import org.opensearch.cliphybrid.model.ClipModel;
import org.opensearch.cliphybrid.model.ModelFolder;
import org.opensearch.cliphybrid.model.ScoreFunction;
import org.opensearch.cliphybrid.model.Vectors;
import org.opensearch.cliphybrid.model.settings.ModelSettings;
import org.opensearch.cliphybrid.model.settings.ModelSettingsService;
import org.opensearch.cliphybrid.model.settings.Overrides;
import org.opensearch.common.cache.Cache;
import org.opensearch.common.cache.CacheBuilder;
import org.opensearch.core.action.ActionListener;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutionException;

/**
 * CLIP zero-shot classification of image embeddings against a list of labels (Radford et al., 2021): each label is put into
 * every prompt template, the prompts' text embeddings are averaged and re-normalised into one label embedding, and the model's
 * own score function (a softmax over {@code logit_scale × cosine} for CLIP, a sigmoid per label for SigLIP) gives each
 * label's probability. Label embeddings are computed once per model, labels and
 * templates, on the inference pool, and cached; after that labelling an image is a few dot products on the caller's thread.
 */
public final class ZeroShotLabeler {
    /** Prompts encoded per model call: a batch amortises the call overhead without holding the pool thread for long. */
    private static final int PROMPT_BATCH = 64;
    /** Floats of label embeddings kept: 16 MB, e.g. 200 label sets of 20 labels at 512 dimensions. */
    private static final long CACHE_FLOATS = 4_000_000L;

    public record Label(String label, double probability) {}

    /** One label set embedded by one model. */
    record LabelEmbeddings(float[][] vectors, ScoreFunction score) {
        int dimension() {
            return vectors[0].length;
        }
    }

    private record Key(String model, List<String> labels, List<String> templates, String language) {}

    private final InferenceService inference;
    private final Cache<Key, LabelEmbeddings> cache = CacheBuilder.<Key, LabelEmbeddings>builder()
        .setMaximumWeight(CACHE_FLOATS)
        .weigher((key, value) -> (long) value.vectors().length * value.dimension())
        .build();

    /** Per-model score functions; read at each labelling, so that a changed setting applies to cached label embeddings too. */
    private final ModelSettingsService modelSettings;

    public ZeroShotLabeler(InferenceService inference, ModelSettingsService modelSettings) {
        this.inference = inference;
        this.modelSettings = modelSettings;
    }

    /**
     * The best labels of {@code imageVector} (an image embedding of {@code model}, or of the default model when null), most
     * probable first. Answers on the calling thread when the label embeddings are cached, else on the inference pool.
     */
    public void label(String model, float[] imageVector, ZeroShotConfig config, ActionListener<List<Label>> listener) {
        String name = inference.resolve(model);
        // one read of the model's settings per labelling: the language, and the score function a setting may choose
        Overrides perModel = modelSettings.overrides(name);
        String language = config.language() != null ? config.language() : perModel.language();
        Key key = new Key(name, config.labels(), config.templates(), language);
        LabelEmbeddings cached = cache.get(key);
        if (cached != null) {
            ActionListener.completeWith(listener, () -> best(withSettings(cached, name, perModel), imageVector, config, name));
            return;
        }
        inference.execute(name, m -> {
            LabelEmbeddings embeddings;
            try {
                embeddings = cache.computeIfAbsent(
                    key,
                    k -> embed(m, config, language, perModel.scoreFunctionKind() != null)
                );
            } catch (ExecutionException e) {
                throw e.getCause() instanceof Exception cause ? cause : e;
            }
            return best(withSettings(embeddings, name, perModel), imageVector, config, name);
        }, listener);
    }

    private static List<Label> best(LabelEmbeddings embeddings, float[] imageVector, ZeroShotConfig config, String model) {
        if (imageVector.length != embeddings.dimension()) {
            throw new IllegalArgumentException(
                "the vector has " + imageVector.length + " dimensions but model [" + model + "] embeds in " + embeddings.dimension()
            );
        }
        double[] probabilities = probabilities(imageVector, embeddings.vectors(), embeddings.score());
        return top(config.labels(), probabilities, config.topK(), config.minProbability());
    }

    /** The embeddings with the score function a per-model setting chooses in place of the folder's. */
    private static LabelEmbeddings withSettings(LabelEmbeddings embeddings, String model, Overrides perModel) {
        ScoreFunction score = perModel.scoreFunction(embeddings.score());
        if (score == null) {
            // embedded while a setting gave the score function, which has been reset since
            throw new IllegalArgumentException(
                "CLIP model [" + model + "] states no logit_scale and logit_bias for its label probabilities: set ["
                    + ModelSettings.key(model, ModelSettings.SCORE_FUNCTION_KEY) + "] with its logit numbers, or add them to its "
                    + ModelFolder.HYBRID_CALIBRATION_FILE
            );
        }
        return score == embeddings.score() ? embeddings : new LabelEmbeddings(embeddings.vectors(), score);
    }

    /**
     * @param language the labels' language for NLLB towers, null for the tokenizer's default
     * @param scoreSet a per-model setting gives the score function, so the folder need not state one
     */
    static LabelEmbeddings embed(ClipModel model, ZeroShotConfig config, String language, boolean scoreSet) throws Exception {
        List<String> prompts = new ArrayList<>(config.labels().size() * config.templates().size());
        for (String label : config.labels()) {
            prompts.addAll(config.prompts(label));
        }
        float[][] promptVectors = new float[prompts.size()][];
        for (int from = 0; from < prompts.size(); from += PROMPT_BATCH) {
            List<String> batch = prompts.subList(from, Math.min(prompts.size(), from + PROMPT_BATCH));
            System.arraycopy(model.embedTexts(batch, language), 0, promptVectors, from, batch.size());
        }
        int perLabel = config.templates().size();
        float[][] labels = new float[config.labels().size()][];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = ensemble(Arrays.copyOfRange(promptVectors, i * perLabel, (i + 1) * perLabel));
        }
        return new LabelEmbeddings(labels, scoreSet ? model.folder().scoreFunction() : scoreFunction(model.folder()));
    }

    /**
     * The model's own score function: a softmax for CLIP, a sigmoid per label for SigLIP, which needs the checkpoint's two
     * numbers that split exports leave out.
     */
    static ScoreFunction scoreFunction(ModelFolder folder) {
        ScoreFunction score = folder.scoreFunction();
        if (score == null) {
            throw new IllegalArgumentException(
                "CLIP model [" + folder.name() + "] is a " + folder.family().displayName() + " model, whose label probabilities need its"
                    + " logit_scale and logit_bias: add them to [clip-models/" + folder.name() + "/" + ModelFolder.HYBRID_CALIBRATION_FILE
                    + "] (for example {\"logit_scale\": 4.7, \"logit_bias\": -16.5}, the checkpoint's values) or put the combined"
                    + " onnx/model.onnx beside the towers"
            );
        }
        return score;
    }

    /** The mean of unit vectors, made a unit vector again: CLIP's prompt ensemble in embedding space. */
    static float[] ensemble(float[][] unitVectors) {
        int dimension = unitVectors[0].length;
        double[] sum = new double[dimension];
        for (float[] v : unitVectors) {
            for (int d = 0; d < dimension; d++) {
                sum[d] += v[d];
            }
        }
        float[] out = new float[dimension];
        for (int d = 0; d < dimension; d++) {
            out[d] = (float) sum[d];
        }
        return Vectors.normalise(out);
    }

    /** The score function over the cosines of the image with each label; the image vector need not be unit length. */
    static double[] probabilities(float[] image, float[][] labels, ScoreFunction score) {
        double imageNorm = Vectors.length(image);
        if (imageNorm == 0 || Double.isFinite(imageNorm) == false) {
            throw new IllegalArgumentException("the vector has no direction (its length is " + imageNorm + ")");
        }
        double[] cosines = new double[labels.length];
        for (int i = 0; i < labels.length; i++) {
            double dot = 0;
            for (int d = 0; d < image.length; d++) {
                dot += (double) image[d] * labels[i][d];
            }
            cosines[i] = dot / imageNorm;
        }
        return score.probabilities(cosines);
    }

    /** At most {@code k} labels with at least {@code minProbability}, most probable first; ties keep the configured order. */
    static List<Label> top(List<String> labels, double[] probabilities, int k, double minProbability) {
        List<Label> all = new ArrayList<>(labels.size());
        for (int i = 0; i < labels.size(); i++) {
            all.add(new Label(labels.get(i), probabilities[i]));
        }
        return all.stream()
            .sorted(Comparator.comparingDouble(Label::probability).reversed())
            .filter(l -> l.probability() >= minProbability)
            .limit(k)
            .toList();
    }
}
