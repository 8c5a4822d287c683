package org.opensearch.cliphybrid.model.registered;

import org.opensearch.test.OpenSearchTestCase;

public class RegisteredModelNameTests extends OpenSearchTestCase {

    public void testAcceptsLowerCaseDigitsAndSeparators() {
        for (String name : new String[] { "siglip-tiny", "clip_vit.b32", "a", "0", "x".repeat(100) }) {
            assertEquals(name, RegisteredModelName.check(name));
        }
    }

    public void testRefusesWithTheRule() {
        for (String name : new String[] { "", "Siglip", "a/b", "..", ".hidden", "-x", "a b", "a#1", "x".repeat(101), "ü" }) {
            IllegalArgumentException e = expectThrows(IllegalArgumentException.class, () -> RegisteredModelName.check(name));
            assertTrue(e.getMessage(), e.getMessage().contains("1 to 100 characters of [a-z0-9._-]"));
            assertTrue(e.getMessage(), e.getMessage().contains("[" + name + "]"));
        }
        expectThrows(IllegalArgumentException.class, () -> RegisteredModelName.check(null));
    }

    public void testChunkNumbersStayUnderTheSetting() {
        RegistrationLimits limits = RegistrationLimits.DEFAULT;
        limits.checkChunkNumber(0);
        limits.checkChunkNumber(999);
        IllegalArgumentException e = expectThrows(IllegalArgumentException.class, () -> limits.checkChunkNumber(1000));
        assertEquals("chunk number must be 0 to 999 (plugins.clip.model.registered.max_chunks), got [1000]", e.getMessage());
        expectThrows(IllegalArgumentException.class, () -> limits.checkChunkNumber(-1));
        RegistrationLimits few = new RegistrationLimits(1000, 1024, 3, 1000, 1000);
        few.checkChunkNumber(2);
        expectThrows(IllegalArgumentException.class, () -> few.checkChunkNumber(3));
    }
}
