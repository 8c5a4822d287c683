package org.opensearch.cliphybrid.model.image;

import org.opensearch.test.OpenSearchTestCase;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * PilResize against Pillow 9.4.0's {@code Image.resize} on a synthetic 53x37 RGB image with sharp edges (so clipping
 * and negative lobes matter): downscale with antialiasing, upscale, one axis only, both filters. The expected values are
 * sha256 of Pillow's output bytes (R, G, B per pixel, row-major), computed outside this repo from the same formula.
 */
public class PilResizeTests extends OpenSearchTestCase {
    private static final int WIDTH = 53;
    private static final int HEIGHT = 37;

    private static final Object[][] PILLOW = {
        { 7, 5, PilResize.Filter.BICUBIC, "5dd285f1cdfc705bfcad5f714dace3b9a73dbdc94dd2d3d093a96b8375dd2385" },
        { 7, 5, PilResize.Filter.BILINEAR, "74b2d3d8a638fcd6a61804c89e18b1a57c4d088db19d17c2aa6af2cd9dea1b61" },
        { 200, 13, PilResize.Filter.BICUBIC, "6d58207be3ca954cf67833c487a350693131273e80deaea3e0e56d4781c0d1a8" },
        { 200, 13, PilResize.Filter.BILINEAR, "c2a17ddd8ae27565488d43afe95f2101dfa025f3ad96eabe2a035be198d5189c" },
        { 26, 18, PilResize.Filter.BICUBIC, "42a9ab4387f61317f902759555b964df93f80d84694a7beaf528830201ffc695" },
        { 26, 18, PilResize.Filter.BILINEAR, "971d188a7e0d2323bc61aa662f4901083e897051c59ce5382652921541994575" },
        { 53, 100, PilResize.Filter.BICUBIC, "9a1743455448d1b479482ff94029294e1c94230463aa22ed22eb1d1b83b1fde2" },
        { 53, 100, PilResize.Filter.BILINEAR, "28f171873b7e39af1c233ce12303085928858d95a0adba54b1e0339228686a00" },
        { 106, 74, PilResize.Filter.BICUBIC, "5fc17793bd86a168d39d50405a02a36ee516f62b18d65ca4d45eb5d0dd8d9890" },
        { 106, 74, PilResize.Filter.BILINEAR, "fee81527c4fb0ece8a108d91f6bae6302e62fe59d9dbd12a38479cbe335b6223" } };

    private static int[] source() {
        int[] rgb = new int[WIDTH * HEIGHT];
        for (int y = 0; y < HEIGHT; y++) {
            for (int x = 0; x < WIDTH; x++) {
                int r = ((x * 73) ^ (y * 151)) & 0xFF;
                int g = (x * y * 7 + 13) & 0xFF;
                int b = ((x + 3 * y) * 29) & 0xFF;
                rgb[y * WIDTH + x] = r << 16 | g << 8 | b;
            }
        }
        return rgb;
    }

    public void testBitIdenticalToPillow() throws NoSuchAlgorithmException {
        int[] source = source();
        for (Object[] c : PILLOW) {
            int outWidth = (int) c[0];
            int outHeight = (int) c[1];
            int[] out = resize(source, WIDTH, HEIGHT, outWidth, outHeight, (PilResize.Filter) c[2]);
            byte[] bytes = new byte[out.length * 3];
            for (int i = 0; i < out.length; i++) {
                bytes[3 * i] = (byte) (out[i] >> 16);
                bytes[3 * i + 1] = (byte) (out[i] >> 8);
                bytes[3 * i + 2] = (byte) out[i];
            }
            String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
            assertEquals(outWidth + "x" + outHeight + " " + c[2], c[3], sha);
        }
    }

    public void testSameSizeIsACopy() {
        int[] source = source();
        int[] out = resize(source, WIDTH, HEIGHT, WIDTH, HEIGHT, PilResize.Filter.BICUBIC);
        assertNotSame(source, out);
        assertArrayEquals(source, out);
    }

    /** The whole image as one {@link PilResize#window}: what Pillow's {@code Image.resize} returns. */
    static int[] resize(int[] rgb, int width, int height, int outWidth, int outHeight, PilResize.Filter filter) {
        assertEquals(width * height, rgb.length);
        return PilResize.window(width, height, outWidth, outHeight, 0, 0, outWidth, outHeight, filter).apply(new PilResize.Source(rgb, 0, width));
    }
}
