package org.opensearch.cliphybrid.model;

/**
 * How a model turns the cosines of one image with several texts into probabilities, as it was trained: CLIP with a
 * softmax across the texts, SigLIP with an independent sigmoid per text, so that a SigLIP label's probability does not
 * depend on which other labels were asked.
 */
public sealed interface ScoreFunction {
    double[] probabilities(double[] cosines);

    /** The log-odds of relevance as a linear function of the cosine, where the model states one; null otherwise. */
    float[] cosineBand();

    /** CLIP: softmax over {@code scale × cosine}. */
    record Softmax(double scale) implements ScoreFunction {
        @Override
        public double[] probabilities(double[] cosines) {
            double max = Double.NEGATIVE_INFINITY;
            double[] out = new double[cosines.length];
            for (double c : cosines) {
                max = Math.max(max, scale * c);
            }
            double total = 0;
            for (int i = 0; i < cosines.length; i++) {
                out[i] = Math.exp(scale * cosines[i] - max);
                total += out[i];
            }
            for (int i = 0; i < out.length; i++) {
                out[i] /= total;
            }
            return out;
        }

        @Override
        public float[] cosineBand() {
            // a softmax says how texts compare, not where a cosine starts to mean relevance
            return null;
        }
    }

    /**
     * SigLIP: {@code sigmoid(exp(logScale) × cosine + bias)}, with the checkpoint's {@code logit_scale} (a logarithm) and
     * {@code logit_bias}.
     */
    record Sigmoid(double logScale, double bias) implements ScoreFunction {
        @Override
        public double[] probabilities(double[] cosines) {
            double scale = Math.exp(logScale);
            double[] out = new double[cosines.length];
            for (int i = 0; i < cosines.length; i++) {
                out[i] = 1 / (1 + Math.exp(-(scale * cosines[i] + bias)));
            }
            return out;
        }

        /**
         * The band whose centre is the even-odds cosine and whose half width is one unit of log-odds, which is how the
         * fusion reads a band: {@code 2(cos - mid)/(high - low)} is then exactly the model's own log-odds.
         */
        @Override
        public float[] cosineBand() {
            double scale = Math.exp(logScale);
            double mid = -bias / scale, half = 1 / scale;
            if (mid - half < -1 || mid + half > 1) {
                return null;
            }
            return new float[] { (float) (mid - half), (float) (mid + half) };
        }
    }
}
