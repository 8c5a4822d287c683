package org.opensearch.cliphybrid.model.image;

/**
 * PIL's whole-image resize as the plugin first implemented it (every output pixel of both passes, then a crop), kept in
 * the tests only as the reference that {@link PilResize#window} must match pixel for pixel.
 */
final class ReferencePilResize {
    private ReferencePilResize() {}

    private static final int PRECISION_BITS = 32 - 8 - 2;

    static int[] resize(int[] rgb, int width, int height, int outWidth, int outHeight, PilResize.Filter filter) {
        int[] out = rgb;
        if (outWidth != width) {
            out = horizontal(out, width, height, coefficients(width, outWidth, filter));
        }
        if (outHeight != height) {
            out = vertical(out, outWidth, coefficients(height, outHeight, filter));
        }
        return out == rgb ? rgb.clone() : out;
    }

    /** For each output index: the first input index, how many inputs it reads, and their fixed-point weights. */
    private record Coefficients(int outSize, int ksize, int[] first, int[] count, int[] weights) {}

    private static Coefficients coefficients(int inSize, int outSize, PilResize.Filter filter) {
        double scale = (double) inSize / outSize;
        double filterScale = Math.max(scale, 1.0);
        double support = filter.support * filterScale;
        // PIL multiplies by the reciprocal; dividing instead would change the last bit of some weights
        double invFilterScale = 1.0 / filterScale;
        int ksize = (int) Math.ceil(support) * 2 + 1;
        int[] first = new int[outSize];
        int[] count = new int[outSize];
        int[] weights = new int[outSize * ksize];
        double[] k = new double[ksize];
        for (int xx = 0; xx < outSize; xx++) {
            double center = (xx + 0.5) * scale;
            // (int) truncates toward zero like C's cast, which is what PIL's "+ 0.5" rounding relies on
            int xmin = Math.max((int) (center - support + 0.5), 0);
            int n = Math.min((int) (center + support + 0.5), inSize) - xmin;
            double sum = 0.0;
            for (int x = 0; x < n; x++) {
                k[x] = filter.weight((x + xmin - center + 0.5) * invFilterScale);
                sum += k[x];
            }
            for (int x = 0; x < n; x++) {
                double w = sum != 0.0 ? k[x] / sum : k[x];
                weights[xx * ksize + x] = (int) (w < 0 ? -0.5 + w * (1 << PRECISION_BITS) : 0.5 + w * (1 << PRECISION_BITS));
            }
            first[xx] = xmin;
            count[xx] = n;
        }
        return new Coefficients(outSize, ksize, first, count, weights);
    }

    private static int[] horizontal(int[] in, int width, int height, Coefficients c) {
        int outWidth = c.outSize();
        int[] out = new int[outWidth * height];
        for (int y = 0; y < height; y++) {
            int row = y * width;
            for (int xx = 0; xx < outWidth; xx++) {
                int r = 1 << (PRECISION_BITS - 1);
                int g = r;
                int b = r;
                int from = row + c.first()[xx];
                int k = xx * c.ksize();
                for (int x = 0; x < c.count()[xx]; x++) {
                    int p = in[from + x];
                    int w = c.weights()[k + x];
                    r += ((p >> 16) & 0xFF) * w;
                    g += ((p >> 8) & 0xFF) * w;
                    b += (p & 0xFF) * w;
                }
                out[y * outWidth + xx] = clip8(r) << 16 | clip8(g) << 8 | clip8(b);
            }
        }
        return out;
    }

    private static int[] vertical(int[] in, int width, Coefficients c) {
        int outHeight = c.outSize();
        int[] out = new int[width * outHeight];
        for (int yy = 0; yy < outHeight; yy++) {
            int from = c.first()[yy] * width;
            int k = yy * c.ksize();
            int n = c.count()[yy];
            for (int x = 0; x < width; x++) {
                int r = 1 << (PRECISION_BITS - 1);
                int g = r;
                int b = r;
                for (int y = 0; y < n; y++) {
                    int p = in[from + y * width + x];
                    int w = c.weights()[k + y];
                    r += ((p >> 16) & 0xFF) * w;
                    g += ((p >> 8) & 0xFF) * w;
                    b += (p & 0xFF) * w;
                }
                out[yy * width + x] = clip8(r) << 16 | clip8(g) << 8 | clip8(b);
            }
        }
        return out;
    }


    private static int clip8(int fixedPoint) {
        return Math.min(Math.max(fixedPoint >> PRECISION_BITS, 0), 255);
    }
}
