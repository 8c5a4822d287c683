package org.opensearch.cliphybrid.model.image;

/**
 * PIL's {@code Image.resize} for 8-bit RGB ({@code ImagingResample} in libImaging/Resample.c), reproduced step for
 * step so that the pixels fed to the model are the ones transformers' CLIPImageProcessor would feed it.
 *
 * <p>What makes it differ from textbook bicubic, and why each step is kept: the filter support grows with the
 * downscale factor (antialiasing; without it block means drift by up to 0.1 after normalisation); the
 * coefficients of each output pixel are normalised to sum to 1 and then rounded to fixed point with
 * {@value #PRECISION_BITS} fractional bits; the two passes (horizontal, then vertical, each only when that size
 * changes) each round and clip to 0..255, so the intermediate image is 8-bit like PIL's.
 */
final class PilResize {
    private PilResize() {}

    /** 32 bits less 8 for the result and 2 for the overshoot of negative lobes. */
    private static final int PRECISION_BITS = 32 - 8 - 2;

    enum Filter {
        BILINEAR(1.0) {
            @Override
            double weight(double x) {
                x = Math.abs(x);
                return x < 1.0 ? 1.0 - x : 0.0;
            }
        },
        /** Keys' cubic convolution with a = -0.5, written as PIL evaluates it so the doubles round the same way. */
        BICUBIC(2.0) {
            @Override
            double weight(double x) {
                final double a = -0.5;
                x = Math.abs(x);
                if (x < 1.0) {
                    return ((a + 2.0) * x - (a + 3.0)) * x * x + 1;
                }
                if (x < 2.0) {
                    return (((x - 5) * x + 8) * x - 4) * a;
                }
                return 0.0;
            }
        };

        private final double support;

        Filter(double support) {
            this.support = support;
        }

        abstract double weight(double x);
    }

    /**
     * Resizes packed {@code 0xRRGGBB} pixels (row-major) to {@code outWidth} x {@code outHeight}; returns a new array.
     */
    static int[] resize(int[] rgb, int width, int height, int outWidth, int outHeight, Filter filter) {
        if (rgb.length != width * height) {
            throw new IllegalArgumentException("expected " + width + "x" + height + " pixels, got " + rgb.length);
        }
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

    private static Coefficients coefficients(int inSize, int outSize, Filter filter) {
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
