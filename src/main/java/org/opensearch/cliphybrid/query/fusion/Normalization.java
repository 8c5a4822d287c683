package org.opensearch.cliphybrid.query.fusion;

/**
 * Maps one side's raw scores, over its whole candidate list, onto a common scale before a linear combination. The definitions
 * follow neural-search's normalization processor, so the two can be compared: min_max floors the lowest score at 0.001 (so it
 * still counts as found) and gives a single score 1.
 */
public enum Normalization {
    MIN_MAX {
        @Override
        public float[] apply(float[] scores) {
            float min = Float.POSITIVE_INFINITY, max = Float.NEGATIVE_INFINITY;
            for (float s : scores) {
                min = Math.min(min, s);
                max = Math.max(max, s);
            }
            float[] out = new float[scores.length];
            for (int i = 0; i < scores.length; i++) {
                if (max == min) {
                    out[i] = 1f;
                } else {
                    float n = (scores[i] - min) / (max - min);
                    out[i] = n == 0f ? MIN_MAX_FLOOR : n;
                }
            }
            return out;
        }
    },
    Z_SCORE {
        @Override
        public float[] apply(float[] scores) {
            double sum = 0, squares = 0;
            for (float s : scores) {
                sum += s;
                squares += (double) s * s;
            }
            double mean = sum / scores.length;
            double std = Math.sqrt(Math.max(0, squares / scores.length - mean * mean));
            float[] out = new float[scores.length];
            for (int i = 0; i < scores.length; i++) {
                out[i] = std == 0 ? 0f : (float) ((scores[i] - mean) / std);
            }
            return out;
        }
    },
    L2 {
        @Override
        public float[] apply(float[] scores) {
            double squares = 0;
            for (float s : scores) {
                squares += (double) s * s;
            }
            double norm = Math.sqrt(squares);
            float[] out = new float[scores.length];
            for (int i = 0; i < scores.length; i++) {
                out[i] = norm == 0 ? 0f : (float) (scores[i] / norm);
            }
            return out;
        }
    };

    static final float MIN_MAX_FLOOR = 0.001f;

    public abstract float[] apply(float[] scores);
}
