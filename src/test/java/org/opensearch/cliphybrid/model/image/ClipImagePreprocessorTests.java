package org.opensearch.cliphybrid.model.image;

import org.opensearch.cliphybrid.image.ImageDecoder;
import org.opensearch.cliphybrid.testing.PixelValues;
import org.opensearch.cliphybrid.testing.SharedFixtures;
import org.opensearch.common.xcontent.XContentHelper;
import org.opensearch.common.xcontent.json.JsonXContent;
import org.opensearch.test.OpenSearchTestCase;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Compares the Java preprocessing (ImageDecoder + ClipImagePreprocessor) with the Python reference goldens of the
 * mini-clip model folder, and logs how close each image gets.
 *
 * <p>The goldens of {@code golden_preprocess/} come from transformers 5.17, whose {@code CLIPImageProcessor} is the
 * torchvision one (the PIL one became {@code CLIPImageProcessorPil}); its antialiased uint8 bicubic rounds a few pixels
 * one level away from PIL's, so those goldens are met within tolerance, not bit for bit. Against PIL itself the output
 * is bit-identical: see {@link #PIL_SHA256}.
 */
public class ClipImagePreprocessorTests extends OpenSearchTestCase {
    private static final long MAX_PIXELS = 40_000_000L;
    private static final int BLOCKS = 14;

    /**
     * sha256 of the float32 little-endian pixel_values that transformers 4's PIL {@code CLIPImageProcessor} steps give
     * with Pillow 9.4.0 (PIL.Image.open, exif_transpose, composite on white, resize BICUBIC, crop, rescale, normalise),
     * computed outside this repo. Only the PNGs are pinned: their decoding is lossless, so a mismatch can only come
     * from the resize, crop, conversion or normalisation here, not from a JDK's JPEG decoder.
     */
    private static final Map<String, String> PIL_SHA256 = Map.of(
        "landscape_640x480.png",
        "33360e36ba2a35d756815e3ec681be2dbf58074b39894ff484269bfde3c3ceae",
        "small_150x100.png",
        "e331612942522db94870d37829f3ce5ac3920d52fd807b0fd5d3f64a29f215d1",
        "gray_500x375.png",
        "5fe8a11ba983f1dc6cd815bde38352aef463caa147c5cb090da30181290c9541",
        "alpha_400x400.png",
        "bb2df91868cbf1b362ae623edf8bc9b714945956c6977785a50c0b108b5b5acc",
        "palette_320x240.png",
        "aeb894a23f5acd4c05d4598a7af36efeebb5f2c04a084cdf18675c2dc4ca0e38"
    );

    private static ClipImagePreprocessor miniClipPreprocessor() throws IOException {
        return ClipImagePreprocessor.fromConfig(json(SharedFixtures.miniClip().resolve("preprocessor_config.json")));
    }

    private static Map<String, Object> json(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return XContentHelper.convertToMap(JsonXContent.jsonXContent, in, false);
        }
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> list(Map<String, Object> map, String key) {
        return (List<Map<String, Object>>) map.get(key);
    }

    private static double[] doubles(Object numbers) {
        return ((List<?>) numbers).stream().mapToDouble(n -> ((Number) n).doubleValue()).toArray();
    }

    public void testMiniClipConfig() throws IOException {
        ClipImagePreprocessor p = miniClipPreprocessor();
        assertEquals(3, p.channels());
        assertEquals(224, p.height());
        assertEquals(224, p.width());
    }

    public void testGoldenPreprocessNonSquareImages() throws IOException {
        ClipImagePreprocessor preprocessor = miniClipPreprocessor();
        Path dir = SharedFixtures.miniClip().resolve("golden_preprocess");
        List<Map<String, Object>> goldens = list(json(dir.resolve("golden_preprocess.json")), "images");
        assertEquals(10, goldens.size());
        StringBuilder report = new StringBuilder("golden_preprocess, max |diff| per image:");
        for (Map<String, Object> golden : goldens) {
            String file = (String) golden.get("file");
            BufferedImage image = ImageDecoder.decode(Files.readAllBytes(dir.resolve(file)), MAX_PIXELS);
            double[] size = doubles(golden.get("decoded_size_wh"));
            assertEquals(file, (int) size[0], image.getWidth());
            assertEquals(file, (int) size[1], image.getHeight());

            float[] pv = PixelValues.onHeap(preprocessor, image);
            assertEquals(3 * 224 * 224, pv.length);
            double blockDiff = maxDiff(blockMeans(pv), doubles(golden.get("pixel_values_block_means_3x14x14")));
            double channelDiff = maxDiff(channelMeans(pv), doubles(golden.get("pixel_values_channel_means")));
            double first10Diff = maxDiff(slice(pv, 0, 10), doubles(golden.get("pixel_values_first10")));
            double centerRowDiff = maxDiff(slice(pv, 112 * 224, 16), doubles(golden.get("pixel_values_center_row_ch0_first16")));
            String sha = sha256(pv);
            boolean identical = sha.equals(golden.get("pixel_values_sha256"));
            if (PIL_SHA256.containsKey(file)) {
                assertEquals(file + ": not bit-identical to PIL", PIL_SHA256.get(file), sha);
            }
            report.append(
                String.format(
                    Locale.ROOT,
                    "%n  %-24s block means %.6f, channel means %.6f, first10 %.6f, centre row %.6f, bit-identical to golden %s",
                    file,
                    blockDiff,
                    channelDiff,
                    first10Diff,
                    centerRowDiff,
                    identical
                )
            );

            // the CMYK file needs no looser bound than the other JPEGs: it has no ICC profile, so TwelveMonkeys falls
            // back to the same naive inversion as PIL (the card's looser CMYK tolerance is for ICC-aware decoders)
            double blockTolerance = file.endsWith(".png") ? 0.005 : 0.01;
            assertTrue(file + ": block means differ by " + blockDiff, blockDiff <= blockTolerance);
            assertTrue(file + ": channel means differ by " + channelDiff, channelDiff <= 0.01);
        }
        logger.info(report);
    }

    public void testGoldenFlickrImagesNeedNoResize() throws IOException {
        ClipImagePreprocessor preprocessor = miniClipPreprocessor();
        List<Map<String, Object>> goldens = list(json(SharedFixtures.miniClip().resolve("golden.json")), "images");
        assertEquals(8, goldens.size());
        StringBuilder report = new StringBuilder("golden.json images, max |diff| per image:");
        for (Map<String, Object> golden : goldens) {
            String file = (String) golden.get("image");
            BufferedImage image = ImageDecoder.decode(Files.readAllBytes(SharedFixtures.flickrImages().resolve(file)), MAX_PIXELS);
            assertEquals(224, image.getWidth());
            assertEquals(224, image.getHeight());
            float[] pv = PixelValues.onHeap(preprocessor, image);

            double sum = 0;
            for (float v : pv) {
                sum += v;
            }
            double goldenSum = ((Number) golden.get("pixel_values_sum")).doubleValue();
            double relSum = Math.abs(sum - goldenSum) / Math.abs(goldenSum);
            double first10Diff = maxDiff(slice(pv, 0, 10), doubles(golden.get("pixel_values_first10")));
            double channelDiff = maxDiff(channelMeans(pv), doubles(golden.get("pixel_values_channel_means")));
            boolean identical = sha256(pv).equals(golden.get("pixel_values_sha256_f32le"));
            report.append(
                String.format(
                    Locale.ROOT,
                    "%n  %-26s sum rel %.2e, first10 %.2e, channel means %.2e, bit-identical to golden %s",
                    file,
                    relSum,
                    first10Diff,
                    channelDiff,
                    identical
                )
            );
            assertTrue(file + ": sum differs by (relative) " + relSum, relSum <= 1e-4);
            assertTrue(file + ": first10 differ by " + first10Diff, first10Diff <= 1e-4);
            assertTrue(file + ": channel means differ by " + channelDiff, channelDiff <= 1e-5);
        }
        logger.info(report);
    }

    private static double[] blockMeans(float[] pv) {
        int side = 224;
        int block = side / BLOCKS;
        double[] means = new double[3 * BLOCKS * BLOCKS];
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < side; y++) {
                for (int x = 0; x < side; x++) {
                    means[c * BLOCKS * BLOCKS + (y / block) * BLOCKS + x / block] += pv[c * side * side + y * side + x];
                }
            }
        }
        for (int i = 0; i < means.length; i++) {
            means[i] /= block * block;
        }
        return means;
    }

    private static double[] channelMeans(float[] pv) {
        int plane = pv.length / 3;
        double[] means = new double[3];
        for (int i = 0; i < pv.length; i++) {
            means[i / plane] += pv[i];
        }
        for (int c = 0; c < 3; c++) {
            means[c] /= plane;
        }
        return means;
    }

    private static double[] slice(float[] pv, int from, int n) {
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            out[i] = pv[from + i];
        }
        return out;
    }

    private static double maxDiff(double[] actual, double[] expected) {
        assertEquals(expected.length, actual.length);
        double max = 0;
        for (int i = 0; i < actual.length; i++) {
            max = Math.max(max, Math.abs(actual[i] - expected[i]));
        }
        return max;
    }

    private static String sha256(float[] pv) {
        ByteBuffer bytes = ByteBuffer.allocate(pv.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asFloatBuffer().put(pv);
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes.array()));
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    public void testConfigDefaultsAndRefusals() {
        ClipImagePreprocessor defaults = ClipImagePreprocessor.fromConfig(Map.of());
        assertEquals(224, defaults.height());
        assertEquals(224, defaults.width());

        Map<String, Object> nearest = new HashMap<>();
        nearest.put("resample", 0);
        IllegalArgumentException e = expectThrows(IllegalArgumentException.class, () -> ClipImagePreprocessor.fromConfig(nearest));
        assertTrue(e.getMessage(), e.getMessage().contains("resample [0]"));
    }

    /** A smaller image than the crop is zero-padded in pixel space, as transformers' center_crop does. */
    public void testCropPadsSmallImages() {
        Map<String, Object> config = new HashMap<>();
        config.put("do_resize", false);
        config.put("crop_size", Map.of("height", 4, "width", 4));
        config.put("do_normalize", false);
        ClipImagePreprocessor p = ClipImagePreprocessor.fromConfig(config);
        BufferedImage image = new BufferedImage(1, 3, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 3; y++) {
            image.setRGB(0, y, 0xFFFFFF);
        }
        float[] pv = PixelValues.onHeap(p, image);
        // top pad ceil(1/2) = 1, left pad ceil(3/2) = 2
        float[] expectedRed = {
            0, 0, 0, 0,
            0, 0, 1, 0,
            0, 0, 1, 0,
            0, 0, 1, 0 };
        for (int i = 0; i < 16; i++) {
            assertEquals("index " + i, expectedRed[i], pv[i], 0f);
        }
    }
}
