package org.opensearch.cliphybrid.image;

import org.opensearch.test.OpenSearchTestCase;

import javax.imageio.ImageIO;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

public class PlainJpegTests extends OpenSearchTestCase {
    private static final long MAX_PIXELS = 40_000_000L;

    private static byte[] jpeg(int type) throws IOException {
        BufferedImage image = new BufferedImage(40, 24, type);
        for (int y = 0; y < 24; y++) {
            for (int x = 0; x < 40; x++) {
                image.setRGB(x, y, randomInt(0xFFFFFF));
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertTrue(ImageIO.write(image, "jpeg", out));
        return out.toByteArray();
    }

    /** The JDK's writer starts with SOI then JFIF's APP0; {@code segment} goes in after that APP0. */
    private static byte[] withSegment(byte[] jpeg, int marker, byte[] payload) {
        int afterApp0 = 4 + ((jpeg[4] & 0xFF) << 8 | (jpeg[5] & 0xFF));
        byte[] out = new byte[jpeg.length + 4 + payload.length];
        System.arraycopy(jpeg, 0, out, 0, afterApp0);
        out[afterApp0] = (byte) 0xFF;
        out[afterApp0 + 1] = (byte) marker;
        out[afterApp0 + 2] = (byte) ((payload.length + 2) >> 8);
        out[afterApp0 + 3] = (byte) (payload.length + 2);
        System.arraycopy(payload, 0, out, afterApp0 + 4, payload.length);
        System.arraycopy(jpeg, afterApp0, out, afterApp0 + 4 + payload.length, jpeg.length - afterApp0);
        return out;
    }

    private static byte[] withoutApp0(byte[] jpeg) {
        assertEquals(0xE0, jpeg[3] & 0xFF);
        int afterApp0 = 4 + ((jpeg[4] & 0xFF) << 8 | (jpeg[5] & 0xFF));
        byte[] out = new byte[jpeg.length - (afterApp0 - 2)];
        out[0] = (byte) 0xFF;
        out[1] = (byte) 0xD8;
        System.arraycopy(jpeg, afterApp0, out, 2, jpeg.length - afterApp0);
        return out;
    }

    private static int[] pixels(byte[] jpeg) {
        return ((DataBufferInt) ImageDecoder.decode(jpeg, MAX_PIXELS).getRaster().getDataBuffer()).getData();
    }

    public void testJfifColourAndGreyArePlain() throws IOException {
        assertTrue(PlainJpeg.is(jpeg(BufferedImage.TYPE_INT_RGB)));
        assertTrue(PlainJpeg.is(jpeg(BufferedImage.TYPE_BYTE_GRAY)));
        byte[] comment = withSegment(jpeg(BufferedImage.TYPE_INT_RGB), 0xFE, "a comment".getBytes(StandardCharsets.US_ASCII));
        assertTrue(PlainJpeg.is(comment));
    }

    /** What only TwelveMonkeys handles, or handles differently, goes to TwelveMonkeys. */
    public void testIccProfileAdobeMarkerOrNoJfifAreNot() throws IOException {
        byte[] plain = jpeg(BufferedImage.TYPE_INT_RGB);
        byte[] icc = Arrays.copyOf("ICC_PROFILE\0".getBytes(StandardCharsets.ISO_8859_1), 40);
        assertFalse(PlainJpeg.is(withSegment(plain, 0xE2, icc)));
        byte[] adobe = { 'A', 'd', 'o', 'b', 'e', 0, 100, 0, 0, 0, 0, 1 };
        assertFalse(PlainJpeg.is(withSegment(plain, 0xEE, adobe)));
        assertFalse(PlainJpeg.is(withoutApp0(plain)));
        assertFalse(PlainJpeg.is(new byte[] { (byte) 0xFF, (byte) 0xD8 }));
    }

    /**
     * Without its JFIF marker the same file goes through TwelveMonkeys (which reads it as YCbCr all the same): the
     * pixels must be the very ones the JDK's reader gives, grey and colour.
     */
    public void testJdkReaderGivesTwelveMonkeysPixels() throws IOException {
        for (int type : new int[] { BufferedImage.TYPE_INT_RGB, BufferedImage.TYPE_BYTE_GRAY }) {
            byte[] plain = jpeg(type);
            assertArrayEquals("type " + type, pixels(withoutApp0(plain)), pixels(plain));
        }
    }
}
