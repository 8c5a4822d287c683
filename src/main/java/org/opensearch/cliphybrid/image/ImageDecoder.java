package org.opensearch.cliphybrid.image;

import com.twelvemonkeys.imageio.plugins.jpeg.JPEGImageReaderSpi;
import com.twelvemonkeys.imageio.plugins.webp.WebPImageReaderSpi;

import org.opensearch.cliphybrid.ErrorReason;
import org.opensearch.core.concurrency.OpenSearchRejectedExecutionException;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.spi.IIORegistry;
import javax.imageio.spi.ImageReaderSpi;
import javax.imageio.spi.ServiceRegistry;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentSampleModel;
import java.awt.image.ColorModel;
import java.awt.image.DataBufferByte;
import java.awt.image.DataBufferInt;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;

/**
 * Turns untrusted image bytes into upright 8-bit RGB pixels, matching what the Hugging Face reference pipeline gets
 * from {@code PIL.Image.open}, {@code ImageOps.exif_transpose} and transformers' {@code convert_to_rgb}, so that
 * embeddings computed here agree with those computed in Python.
 */
public final class ImageDecoder {
    private ImageDecoder() {}

    /**
     * Decodes {@code bytes} to an upright {@link BufferedImage#TYPE_INT_RGB}.
     *
     * @param maxPixels images whose header declares more pixels are refused before any pixel is decoded
     * @throws ImageDecodeException when the bytes are empty, not a supported format, too large or corrupt
     */
    public static BufferedImage decode(byte[] bytes, long maxPixels) {
        return decode(bytes, maxPixels, (width, height, bytesHeld) -> {});
    }

    /**
     * Told the declared size of an image once its header is read, before any pixel is decoded; may refuse by throwing.
     * A plain JPEG is first tried with the JDK's reader; should that reader give up, TwelveMonkeys' asks again, so a
     * caller that reserves memory here adds the calls up.
     */
    public interface DeclaredSize {
        /**
         * @param bytesHeld the most memory decoding will hold at once: the reader's image, the returned RGB image and
         *                  what the format's decoder keeps besides (not the encoded bytes, which the caller already has)
         */
        void check(int width, int height, long bytesHeld);
    }

    /** As {@link #decode(byte[], long)}, and asks {@code declared} before decoding the pixels (to reserve memory for them). */
    public static BufferedImage decode(byte[] bytes, long maxPixels, DeclaredSize declared) {
        if (bytes == null || bytes.length == 0) {
            throw new ImageDecodeException("empty image data");
        }
        ImageFormat format = sniff(bytes);
        // before any reader: they size allocations from headers that nothing else checks
        ImageHeaders.Facts facts = ImageHeaders.check(format, bytes, maxPixels);
        BufferedImage decoded = null;
        if (format == ImageFormat.JPEG && PlainJpeg.is(bytes)) {
            // null when the JDK reader refuses the file or warns: TwelveMonkeys then reads it as it would have anyway,
            // so what its leniency accepts, and the wording of what it refuses, stay as they were
            decoded = read(format, newJdkJpegReader(), bytes, maxPixels, declared, facts, true);
        }
        if (decoded == null) {
            decoded = read(format, newReader(format), bytes, maxPixels, declared, facts, false);
        }
        int orientation = format == ImageFormat.JPEG ? ExifOrientation.ofJpeg(bytes) : 1;
        return toUprightRgb(decoded, orientation);
    }

    /**
     * Decodes the first image with {@code reader}, then disposes of it.
     *
     * @param tentative a failure of the reader itself, or any warning, returns null instead of throwing
     */
    private static BufferedImage read(
        ImageFormat format,
        ImageReader reader,
        byte[] bytes,
        long maxPixels,
        DeclaredSize declared,
        ImageHeaders.Facts facts,
        boolean tentative
    ) {
        List<String> warnings = new ArrayList<>();
        reader.addIIOReadWarningListener((source, warning) -> warnings.add(warning));
        BufferedImage decoded;
        // MemoryCacheImageInputStream: never ImageIO's file cache, which needs a writable temp dir and leaks files
        try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(bytes))) {
            // metadata is not used: EXIF orientation is read from the bytes, and what decoding needs (PNG's PLTE and tRNS,
            // GIF's transparency, JPEG's ICC profile and Adobe marker, WebP's ICCP) the readers read either way. Reading it
            // would inflate every PNG zTXt/iTXt chunk (up to 256 KiB each, from a few hundred bytes) and copy a GIF
            // comment over again for each of its sub-blocks.
            reader.setInput(in, true, true);
            int width = reader.getWidth(0);
            int height = reader.getHeight(0);
            if (width <= 0 || height <= 0) {
                throw new ImageDecodeException("corrupt " + format + ": header declares " + width + "x" + height + " pixels");
            }
            ImageHeaders.limit("image", width, height, maxPixels);
            declared.check(width, height, DecodeMemory.peakBytes(format, reader, width, height, facts));
            decoded = reader.read(0, reader.getDefaultReadParam());
        } catch (ImageDecodeException | OpenSearchRejectedExecutionException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            if (tentative) {
                return null;
            }
            // the readers signal malformed input with any exception type, not only IOException
            throw new ImageDecodeException("corrupt or truncated " + format + ": " + describe(e), e);
        } finally {
            reader.dispose();
        }
        if (tentative && warnings.isEmpty() == false) {
            return null;
        }
        // libjpeg pads a truncated JPEG with grey and only warns; PIL refuses it ("image file is truncated"), so do we
        for (String warning : warnings) {
            String lower = warning.toLowerCase(Locale.ROOT);
            // a part the reader skips ("Bad 'ICC_PROFILE' chunk(s): Truncated ICC Profile data. Ignoring ICC profile.")
            // leaves the pixels whole: PIL decodes such images too
            if (lower.contains("ignoring")) {
                continue;
            }
            if (lower.contains("premature end") || lower.contains("truncated")) {
                throw new ImageDecodeException("corrupt or truncated " + format + ": " + warning);
            }
        }
        return decoded;
    }

    private static ImageFormat sniff(byte[] b) {
        ImageFormat format = ImageFormat.of(b);
        if (format != null) {
            return format;
        }
        String first = HexFormat.ofDelimiter(" ").formatHex(Arrays.copyOf(b, Math.min(b.length, 8)));
        throw new ImageDecodeException("not a supported image format (first bytes " + first + "); expected JPEG, PNG, GIF, BMP or WebP");
    }

    /**
     * Readers are chosen by the sniffed format and created directly, never through ImageIO's lookup: inside a plugin
     * the global registry is filled through the thread context class loader and may not see (or may shadow) the
     * plugin's own readers.
     */
    private static ImageReader newReader(ImageFormat format) {
        try {
            return switch (format) {
                case JPEG -> TwelveMonkeysJpeg.SPI.createReaderInstance();
                case WEBP -> new WebPImageReaderSpi().createReaderInstance();
                case PNG -> jdkReaderSpi("png").createReaderInstance();
                case GIF -> jdkReaderSpi("gif").createReaderInstance();
                case BMP -> jdkReaderSpi("bmp").createReaderInstance();
            };
        } catch (IOException e) {
            throw new IllegalStateException("cannot create the " + format + " image reader", e);
        }
    }

    /** The JDK's reader for a {@link PlainJpeg}: TwelveMonkeys' own delegate, without the segment copy in front of it. */
    private static ImageReader newJdkJpegReader() {
        try {
            return JdkJpeg.SPI.createReaderInstance();
        } catch (IOException e) {
            throw new IllegalStateException("cannot create the JDK's JPEG image reader", e);
        }
    }

    private static final class JdkJpeg {
        static final ImageReaderSpi SPI = jdkReaderSpi("jpeg");
    }

    /**
     * TwelveMonkeys decodes through the JDK's libjpeg and adds CMYK/YCCK, ICC profiles and lenient markers. Its SPI
     * finds that delegate only when registered, so it is registered in a registry of its own, not the global one.
     */
    private static final class TwelveMonkeysJpeg {
        static final ImageReaderSpi SPI = create();

        private static ImageReaderSpi create() {
            ServiceRegistry registry = new ServiceRegistry(List.<Class<?>>of(ImageReaderSpi.class).iterator());
            registry.registerServiceProvider(JdkJpeg.SPI, ImageReaderSpi.class);
            JPEGImageReaderSpi spi = new JPEGImageReaderSpi();
            registry.registerServiceProvider(spi, ImageReaderSpi.class);
            return spi;
        }
    }

    /** The JDK's own reader (module java.desktop), which the registry always holds whatever the class loaders see. */
    private static ImageReaderSpi jdkReaderSpi(String formatName) {
        Module jdk = ImageIO.class.getModule();
        Iterator<ImageReaderSpi> spis = IIORegistry.getDefaultInstance()
            .getServiceProviders(
                ImageReaderSpi.class,
                spi -> spi.getClass().getModule() == jdk && Arrays.asList(((ImageReaderSpi) spi).getFormatNames()).contains(formatName),
                false
            );
        if (spis.hasNext() == false) {
            throw new IllegalStateException("the JDK has no " + formatName + " image reader");
        }
        return spis.next();
    }

    private static String describe(Throwable e) {
        StringBuilder message = new StringBuilder();
        for (Throwable t = e; t != null && message.length() < 300; t = t.getCause()) {
            if (message.isEmpty() == false) {
                message.append(": ");
            }
            message.append(ErrorReason.of(t));
        }
        return message.toString();
    }

    /**
     * Reads the decoded samples themselves rather than {@link BufferedImage#getRGB}: Java 2D treats grey images as
     * linear light and would brighten them on the way to sRGB, while PIL (and so the model) takes grey values as they are.
     * Each pixel is written once, straight to its upright place in the output's buffer: no intermediate copy.
     */
    private static BufferedImage toUprightRgb(BufferedImage decoded, int orientation) {
        if (decoded.isAlphaPremultiplied()) {
            decoded.coerceData(false);
        }
        int width = decoded.getWidth();
        int height = decoded.getHeight();
        boolean swap = ExifOrientation.swapsAxes(orientation);
        BufferedImage out = new BufferedImage(swap ? height : width, swap ? width : height, BufferedImage.TYPE_INT_RGB);
        int[] rgb = ((DataBufferInt) out.getRaster().getDataBuffer()).getData();
        int step = ExifOrientation.step(orientation, width, height);
        ColorModel cm = decoded.getColorModel();
        Raster raster = decoded.getRaster();
        int bands = raster.getNumBands();
        int[] row = new int[width * bands];
        ByteLayout layout = ByteLayout.of(raster);
        if (cm instanceof IndexColorModel palette) {
            for (int y = 0; y < height; y++) {
                raster.getPixels(0, y, width, 1, row);
                int at = ExifOrientation.rowStart(orientation, y, width, height);
                for (int x = 0; x < width; x++, at += step) {
                    int argb = palette.getRGB(row[x]);
                    rgb[at] = onWhite((argb >> 16) & 0xFF, (argb >> 8) & 0xFF, argb & 0xFF, argb >>> 24);
                }
            }
        } else if (layout != null && bands == 1 && cm.hasAlpha() == false && cm.getColorSpace().getType() == ColorSpace.TYPE_GRAY) {
            byte[] bytes = layout.bytes();
            for (int y = 0; y < height; y++) {
                int at = ExifOrientation.rowStart(orientation, y, width, height);
                for (int x = 0, p = layout.origin() + y * layout.scanline(); x < width; x++, at += step, p += layout.pixelStride()) {
                    int g = bytes[p] & 0xFF;
                    rgb[at] = g << 16 | g << 8 | g;
                }
            }
        } else if (layout != null && bands == 3 && cm.hasAlpha() == false && cm.getColorSpace().isCS_sRGB()) {
            byte[] bytes = layout.bytes();
            int r = layout.bandOffsets()[0];
            int g = layout.bandOffsets()[1];
            int b = layout.bandOffsets()[2];
            for (int y = 0; y < height; y++) {
                int at = ExifOrientation.rowStart(orientation, y, width, height);
                for (int x = 0, p = layout.origin() + y * layout.scanline(); x < width; x++, at += step, p += layout.pixelStride()) {
                    rgb[at] = (bytes[p + r] & 0xFF) << 16 | (bytes[p + g] & 0xFF) << 8 | (bytes[p + b] & 0xFF);
                }
            }
        } else if (cm.getColorSpace().getType() == ColorSpace.TYPE_GRAY) {
            int grayBits = cm.getComponentSize(0);
            int alphaBits = cm.hasAlpha() ? cm.getComponentSize(1) : 0;
            for (int y = 0; y < height; y++) {
                raster.getPixels(0, y, width, 1, row);
                int at = ExifOrientation.rowStart(orientation, y, width, height);
                for (int x = 0; x < width; x++, at += step) {
                    int g = to8Bits(row[x * bands], grayBits);
                    int a = alphaBits > 0 ? to8Bits(row[x * bands + 1], alphaBits) : 255;
                    rgb[at] = onWhite(g, g, g, a);
                }
            }
        } else if (cm.getColorSpace().isCS_sRGB() && bands >= 3) {
            int[] bits = cm.getComponentSize();
            boolean alpha = cm.hasAlpha() && bands >= 4;
            for (int y = 0; y < height; y++) {
                raster.getPixels(0, y, width, 1, row);
                int at = ExifOrientation.rowStart(orientation, y, width, height);
                for (int x = 0; x < width; x++, at += step) {
                    int i = x * bands;
                    rgb[at] = onWhite(
                        to8Bits(row[i], bits[0]),
                        to8Bits(row[i + 1], bits[1]),
                        to8Bits(row[i + 2], bits[2]),
                        alpha ? to8Bits(row[i + 3], bits[3]) : 255
                    );
                }
            }
        } else {
            // other colour spaces (an ICC profile the reader kept): Java 2D's conversion to sRGB is the best there is
            int[] argbRow = new int[width];
            for (int y = 0; y < height; y++) {
                decoded.getRGB(0, y, width, 1, argbRow, 0, width);
                int at = ExifOrientation.rowStart(orientation, y, width, height);
                for (int x = 0; x < width; x++, at += step) {
                    int argb = argbRow[x];
                    rgb[at] = onWhite((argb >> 16) & 0xFF, (argb >> 8) & 0xFF, argb & 0xFF, argb >>> 24);
                }
            }
        }
        return out;
    }

    /**
     * Where an 8-bit interleaved byte raster (what the JPEG readers fill) keeps its samples, or null for any other
     * layout. Such a raster is read straight from its array: {@link Raster#getPixels} goes through the sample model one
     * sample at a time, which cost a fifth of a small JPEG's whole decode.
     */
    private record ByteLayout(byte[] bytes, int origin, int pixelStride, int scanline, int[] bandOffsets) {
        static ByteLayout of(Raster raster) {
            if (raster.getDataBuffer() instanceof DataBufferByte data
                && data.getNumBanks() == 1
                && raster.getSampleModel() instanceof ComponentSampleModel model
                && Arrays.stream(model.getBankIndices()).allMatch(bank -> bank == 0)
                && Arrays.stream(model.getSampleSize()).allMatch(bits -> bits == 8)) {
                int origin = data.getOffset() + (raster.getMinY() - raster.getSampleModelTranslateY()) * model.getScanlineStride()
                    + (raster.getMinX() - raster.getSampleModelTranslateX()) * model.getPixelStride();
                return new ByteLayout(data.getData(), origin, model.getPixelStride(), model.getScanlineStride(), model.getBandOffsets());
            }
            return null;
        }
    }

    /**
     * 16-bit samples keep their high byte, as PIL does for 16-bit RGB(A) PNGs. (PIL's own 16-bit grey path clips every
     * value above 255 to white; that is a PIL quirk, not something a model should see, so it is not copied.)
     * Fewer bits are scaled with PIL's truncating {@code v * 255 / max}.
     */
    private static int to8Bits(int sample, int bits) {
        if (bits == 8) {
            return sample;
        }
        if (bits > 8) {
            return sample >>> (bits - 8);
        }
        int max = (1 << bits) - 1;
        return sample * 255 / max;
    }

    /**
     * Composites one pixel over opaque white with PIL's integer arithmetic ({@code Image.alpha_composite} on a white
     * background, then {@code convert("RGB")}), which is what transformers' {@code convert_to_rgb} does.
     */
    static int onWhite(int r, int g, int b, int a) {
        if (a == 255) {
            return r << 16 | g << 8 | b;
        }
        if (a == 0) {
            return 0xFFFFFF;
        }
        // PIL: coef1 = a*255*255*2^7 / outa255 with outa255 = 255*255 over an opaque background
        int coef1 = a << 7;
        int coef2 = (255 << 7) - coef1;
        return blend(r, coef1, coef2) << 16 | blend(g, coef1, coef2) << 8 | blend(b, coef1, coef2);
    }

    private static int blend(int c, int coef1, int coef2) {
        int tmp = c * coef1 + 255 * coef2 + (0x80 << 7);
        return (((tmp >>> 8) + tmp) >>> 8) >>> 7;
    }
}
