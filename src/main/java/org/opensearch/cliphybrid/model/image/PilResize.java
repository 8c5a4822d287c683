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

        final double support;

        Filter(double support) {
            this.support = support;
        }

        abstract double weight(double x);
    }

    /**
     * Packed {@code 0xRRGGBB} pixels where pixel (x, y) of the image is {@code data[offset + y * stride + x]}: a view of an
     * image's own pixel array, or of a copy of just the rectangle a {@link Window} reads (then {@code offset} is negative).
     */
    record Source(int[] data, int offset, int stride) {}

    /**
     * The part of a resize that a crop keeps: of a {@code inWidth x inHeight} image resized to {@code outWidth x outHeight},
     * the {@code cropWidth x cropHeight} pixels from ({@code left}, {@code top}), zero where that lies outside the resized
     * image. Each kept pixel is computed exactly as a resize of the whole image computes it (same taps, same two roundings),
     * but only kept pixels are: memory and time follow the crop and the input rows and columns it reads, not the resized size,
     * which may therefore exceed any array (a 40000000x1 image resized to a shortest edge of 224).
     */
    static Window window(
        int inWidth,
        int inHeight,
        long outWidth,
        long outHeight,
        long left,
        long top,
        int cropWidth,
        int cropHeight,
        Filter filter
    ) {
        if (inWidth < 1 || inHeight < 1 || outWidth < 1 || outHeight < 1 || cropWidth < 1 || cropHeight < 1) {
            throw new IllegalArgumentException(
                "cannot resize " + inWidth + "x" + inHeight + " to " + outWidth + "x" + outHeight + " and keep " + cropWidth + "x" + cropHeight
            );
        }
        return new Window(new Axis(inWidth, outWidth, left, cropWidth, filter), new Axis(inHeight, outHeight, top, cropHeight, filter));
    }

    static final class Window {
        private final Axis columns;
        private final Axis rows;

        private Window(Axis columns, Axis rows) {
            this.columns = columns;
            this.rows = rows;
        }

        /** The input rectangle {@link #apply} reads; empty when the crop misses the resized image. */
        int inputX() {
            return columns.inFrom;
        }

        int inputY() {
            return rows.inFrom;
        }

        int inputWidth() {
            return columns.inTo - columns.inFrom;
        }

        int inputHeight() {
            return rows.inTo - rows.inFrom;
        }

        /** The crop's pixels, row-major, {@code cropWidth x cropHeight}; {@code source} must cover the input rectangle. */
        int[] apply(Source source) {
            int cropWidth = columns.length;
            int[] out = new int[cropWidth * rows.length];
            int keptColumns = columns.kept;
            if (keptColumns == 0 || rows.kept == 0) {
                return out;
            }
            // after the horizontal pass: the input rows the vertical taps read, at the kept columns only
            int[] mid;
            int midOffset;
            int midStride;
            if (columns.resamples()) {
                int midRows = inputHeight();
                mid = new int[midRows * keptColumns];
                Taps taps = columns.taps();
                // column by column, so that only one output index's taps exist at a time, however wide they are
                for (int j = 0; j < keptColumns; j++) {
                    taps.compute(columns.keptFrom + j);
                    int[] w = taps.weights;
                    int n = taps.count;
                    for (int r = 0; r < midRows; r++) {
                        int from = source.offset() + (rows.inFrom + r) * source.stride() + taps.first;
                        mid[r * keptColumns + j] = convolve(source.data(), from, 1, w, n);
                    }
                }
                midOffset = 0;
                midStride = keptColumns;
            } else {
                mid = source.data();
                midOffset = source.offset() + rows.inFrom * source.stride() + (int) columns.keptFrom;
                midStride = source.stride();
            }
            int outOffset = rows.cropOffset * cropWidth + columns.cropOffset;
            if (rows.resamples()) {
                Taps taps = rows.taps();
                for (int i = 0; i < rows.kept; i++) {
                    taps.compute(rows.keptFrom + i);
                    int from = midOffset + (taps.first - rows.inFrom) * midStride;
                    for (int x = 0; x < keptColumns; x++) {
                        out[outOffset + i * cropWidth + x] = convolve(mid, from + x, midStride, taps.weights, taps.count);
                    }
                }
            } else {
                for (int i = 0; i < rows.kept; i++) {
                    System.arraycopy(mid, midOffset + i * midStride, out, outOffset + i * cropWidth, keptColumns);
                }
            }
            return out;
        }
    }

    /** One side of a {@link Window}: which output indices the crop keeps and which input indices they read. */
    private static final class Axis {
        private final int inSize;
        private final long outSize;
        private final Filter filter;
        private final int length;
        private final long keptFrom;
        private final int kept;
        /** Where the first kept output lands in the crop: above zero when the crop pads. */
        private final int cropOffset;
        private final int inFrom;
        private final int inTo;

        Axis(int inSize, long outSize, long start, int length, Filter filter) {
            this.inSize = inSize;
            this.outSize = outSize;
            this.filter = filter;
            this.length = length;
            this.keptFrom = Math.max(start, 0);
            long keptTo = Math.min(start + length, outSize);
            this.kept = (int) Math.max(keptTo - keptFrom, 0);
            this.cropOffset = (int) (keptFrom - start);
            if (kept == 0) {
                inFrom = inTo = 0;
            } else if (resamples()) {
                // a tap window's ends never move back as the output index grows, so the first and last kept bound them all
                Taps taps = taps();
                taps.compute(keptFrom);
                inFrom = taps.first;
                taps.compute(keptTo - 1);
                inTo = taps.first + taps.count;
            } else {
                inFrom = (int) keptFrom;
                inTo = (int) keptTo;
            }
        }

        boolean resamples() {
            return outSize != inSize;
        }

        Taps taps() {
            return new Taps(inSize, outSize, filter);
        }
    }

    /** The fixed-point weights of one output index, computed as {@link #coefficients} does for every index. */
    private static final class Taps {
        private final int inSize;
        private final Filter filter;
        private final double scale;
        private final double support;
        private final double invFilterScale;
        private final double[] k;
        private final int[] weights;
        private int first;
        private int count;

        Taps(int inSize, long outSize, Filter filter) {
            this.inSize = inSize;
            this.filter = filter;
            this.scale = (double) inSize / outSize;
            double filterScale = Math.max(scale, 1.0);
            this.support = filter.support * filterScale;
            this.invFilterScale = 1.0 / filterScale;
            // no window reads more than the whole input, however wide the filter has grown
            int size = (int) Math.min((long) Math.ceil(support) * 2 + 1, inSize);
            this.k = new double[size];
            this.weights = new int[size];
        }

        void compute(long xx) {
            double center = (xx + 0.5) * scale;
            int xmin = Math.max((int) (center - support + 0.5), 0);
            int n = Math.min((int) (center + support + 0.5), inSize) - xmin;
            double sum = 0.0;
            for (int x = 0; x < n; x++) {
                k[x] = filter.weight((x + xmin - center + 0.5) * invFilterScale);
                sum += k[x];
            }
            for (int x = 0; x < n; x++) {
                double w = sum != 0.0 ? k[x] / sum : k[x];
                weights[x] = (int) (w < 0 ? -0.5 + w * (1 << PRECISION_BITS) : 0.5 + w * (1 << PRECISION_BITS));
            }
            first = xmin;
            count = n;
        }
    }

    private static int convolve(int[] in, int from, int step, int[] weights, int n) {
        int r = 1 << (PRECISION_BITS - 1);
        int g = r;
        int b = r;
        for (int i = 0; i < n; i++) {
            int p = in[from + i * step];
            int w = weights[i];
            r += ((p >> 16) & 0xFF) * w;
            g += ((p >> 8) & 0xFF) * w;
            b += (p & 0xFF) * w;
        }
        return clip8(r) << 16 | clip8(g) << 8 | clip8(b);
    }

    private static int clip8(int fixedPoint) {
        return Math.min(Math.max(fixedPoint >> PRECISION_BITS, 0), 255);
    }
}
