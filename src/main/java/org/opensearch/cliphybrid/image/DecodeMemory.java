package org.opensearch.cliphybrid.image;

import javax.imageio.ImageReader;
import javax.imageio.ImageTypeSpecifier;

import java.awt.image.ComponentSampleModel;
import java.awt.image.DataBuffer;
import java.awt.image.MultiPixelPackedSampleModel;
import java.awt.image.SampleModel;
import java.awt.image.SinglePixelPackedSampleModel;
import java.io.IOException;
import java.util.Arrays;
import java.util.Iterator;

/**
 * The most memory decoding one image holds at once, worked out from the reader's own image types and the header before
 * any pixel is decoded, so that the caller can reserve it. It counts the image the reader fills, the upright RGB image
 * {@link ImageDecoder} makes of it (4 bytes a pixel, written in one pass), and what a format keeps besides.
 */
final class DecodeMemory {
    /** The {@code TYPE_INT_RGB} image {@link ImageDecoder} returns. */
    static final int OUTPUT_BYTES_PER_PIXEL = 4;

    /**
     * TwelveMonkeys decodes a lossy WebP into a grid of macroblock objects covering the whole frame, each 16x16 block
     * holding 25 sub-block objects with their own coefficient and 4x4 result arrays. Measured on a 64-bit JVM: 31 bytes
     * a pixel stay held until the frame is done, with per-block temporaries on top; far more than the pixels themselves.
     */
    static final int WEBP_LOSSY_BYTES_PER_PIXEL = 40;

    /**
     * A lossless WebP's transform and entropy-code images are each at most a quarter of the width and height, 4 bytes a
     * pixel: three of them stay under one byte a pixel.
     */
    static final int WEBP_LOSSLESS_BYTES_PER_PIXEL = 1;

    /** A lossy WebP's compressed alpha plane is decoded into a 4-byte-a-pixel raster of its own before it is copied in. */
    static final int WEBP_ALPHA_PLANE_BYTES_PER_PIXEL = 4;

    /** A lossless JPEG's samples, held as ints. */
    static final int JPEG_LOSSLESS_SAMPLE_BYTES = 4;

    /** libjpeg keeps one 16-bit coefficient per sample of every component when it must buffer the whole image. */
    static final int JPEG_COEFFICIENT_BYTES = 2;

    private DecodeMemory() {}

    static long peakBytes(ImageFormat format, ImageReader reader, int width, int height, ImageHeaders.Facts facts)
        throws IOException {
        long pixels = (long) width * height;
        ImageTypeSpecifier destination = firstType(reader);
        long held = rasterBytes(destination, width, height) + OUTPUT_BYTES_PER_PIXEL * pixels;
        switch (format) {
            case JPEG -> {
                // TwelveMonkeys reads CMYK, YCCK and non-sRGB ICC JPEGs as a raw raster and converts it into the destination
                ImageTypeSpecifier raw = reader.getRawImageType(0);
                if (raw != null && destination != null && sameLayout(raw, destination) == false) {
                    held += rasterBytes(raw, width, height);
                }
                ImageHeaders.JpegFrame frame = facts.jpeg();
                if (frame != null && frame.lossless()) {
                    // TwelveMonkeys' lossless decoder keeps every sample as an int, per component, then builds the image
                    held += (long) JPEG_LOSSLESS_SAMPLE_BYTES * frame.hSampling().length * pixels;
                } else if (frame != null && frame.wholeImageCoefficients()) {
                    held += coefficientBytes(frame);
                }
            }
            case WEBP -> {
                ImageHeaders.WebpLayout layout = facts.webp();
                if (layout != null && layout.lossy()) {
                    held += WEBP_LOSSY_BYTES_PER_PIXEL * pixels;
                    if (layout.alphaPlane()) {
                        held += WEBP_ALPHA_PLANE_BYTES_PER_PIXEL * pixels;
                    }
                } else {
                    held += WEBP_LOSSLESS_BYTES_PER_PIXEL * pixels;
                }
            }
            // PNG, GIF and BMP decode row by row straight into the destination
            default -> {}
        }
        return held;
    }

    /** The type {@code reader.read(0, defaultParam)} fills: the first of its image types. */
    private static ImageTypeSpecifier firstType(ImageReader reader) throws IOException {
        Iterator<ImageTypeSpecifier> types = reader.getImageTypes(0);
        return types != null && types.hasNext() ? types.next() : null;
    }

    private static boolean sameLayout(ImageTypeSpecifier a, ImageTypeSpecifier b) {
        return a.getNumBands() == b.getNumBands()
            && a.getSampleModel().getDataType() == b.getSampleModel().getDataType()
            && a.getColorModel().getColorSpace().equals(b.getColorModel().getColorSpace());
    }

    /** Bytes of a raster of this type; 4 bytes a pixel when the reader does not say (the most any reader here uses for 8-bit). */
    static long rasterBytes(ImageTypeSpecifier type, int width, int height) {
        if (type == null) {
            return 4L * width * height;
        }
        SampleModel model = type.getSampleModel(width, 1);
        long elementBytes = Math.max(1, DataBuffer.getDataTypeSize(model.getDataType()) / 8);
        long elementsPerRow = switch (model) {
            case ComponentSampleModel c -> (long) c.getScanlineStride() * Arrays.stream(c.getBankIndices()).distinct().count();
            case MultiPixelPackedSampleModel m -> m.getScanlineStride();
            case SinglePixelPackedSampleModel s -> s.getScanlineStride();
            default -> (long) model.getNumDataElements() * width;
        };
        return elementBytes * elementsPerRow * height;
    }

    /** The DCT coefficients of the whole image, per component, padded to whole MCUs as libjpeg allocates them. */
    static long coefficientBytes(ImageHeaders.JpegFrame frame) {
        int hMax = Arrays.stream(frame.hSampling()).max().orElse(1);
        int vMax = Arrays.stream(frame.vSampling()).max().orElse(1);
        long mcuColumns = ceilDiv(frame.width(), 8L * hMax);
        long mcuRows = ceilDiv(frame.height(), 8L * vMax);
        long blocks = 0;
        for (int c = 0; c < frame.hSampling().length; c++) {
            blocks += mcuColumns * frame.hSampling()[c] * mcuRows * frame.vSampling()[c];
        }
        return blocks * 64 * JPEG_COEFFICIENT_BYTES;
    }

    private static long ceilDiv(long a, long b) {
        return (a + b - 1) / b;
    }
}
