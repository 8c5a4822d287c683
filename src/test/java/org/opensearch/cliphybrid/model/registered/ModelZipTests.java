package org.opensearch.cliphybrid.model.registered;

import org.opensearch.cliphybrid.model.ModelFamily;
import org.opensearch.cliphybrid.testing.FolderZip;
import org.opensearch.test.OpenSearchTestCase;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

public class ModelZipTests extends OpenSearchTestCase {

    /** Zips a folder as a client would before uploading it, paths relative to the folder. */
    public static void zipFolder(Path folder, Path zip) throws IOException {
        Files.write(zip, FolderZip.of(folder));
    }

    static Path fixture() throws Exception {
        return Path.of(ModelZipTests.class.getResource("/families/siglip-tiny").toURI());
    }

    private Path zipOf(String... namesAndContents) throws IOException {
        Path zip = createTempDir().resolve("m.zip");
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip))) {
            for (int i = 0; i < namesAndContents.length; i += 2) {
                out.putNextEntry(new ZipEntry(namesAndContents[i]));
                out.write(namesAndContents[i + 1].getBytes(java.nio.charset.StandardCharsets.UTF_8));
                out.closeEntry();
            }
        }
        return zip;
    }

    public void testGoodZipOpensAsModelWithHashes() throws Exception {
        Path zip = createTempDir().resolve("siglip.zip");
        zipFolder(fixture(), zip);
        Path target = createTempDir().resolve("out");
        ModelZip.Extracted extracted = ModelZip.extract("siglip-tiny", zip, target, ModelZip.Limits.DEFAULT);
        assertEquals(ModelFamily.SIGLIP, extracted.folder().family());
        ModelZip.FileEntry text = extracted.files().stream().filter(f -> f.path().equals("onnx/text_model.onnx")).findFirst().orElseThrow();
        byte[] original = Files.readAllBytes(fixture().resolve("onnx/text_model.onnx"));
        assertEquals(original.length, text.size());
        assertEquals(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(original)), text.sha256());
        long total = 0;
        for (ModelZip.FileEntry f : extracted.files()) {
            assertEquals(f.size(), Files.size(target.resolve(f.path())));
            total += f.size();
        }
        assertEquals(total, extracted.bytes());
        assertEquals(Files.readAllBytes(fixture().resolve("tokenizer.json")).length, Files.size(target.resolve("tokenizer.json")));
    }

    public void testTraversalIsRefusedBeforeWriting() throws Exception {
        for (String bad : List.of("../evil.txt", "onnx/../../evil.txt", "/etc/evil", "a\\..\\evil", "C:evil", "a//b", "./a")) {
            Path zip = zipOf("config.json", "{}", bad, "x");
            Path parent = createTempDir();
            Path target = parent.resolve("out");
            IllegalArgumentException e = expectThrows(IllegalArgumentException.class, () -> ModelZip.extract("m", zip, target, ModelZip.Limits.DEFAULT));
            assertTrue(bad + ": " + e.getMessage(), e.getMessage().contains("uploaded CLIP model [m]: entry ["));
            assertFalse(Files.exists(parent.resolve("evil.txt")));
            assertFalse("nothing written for " + bad, Files.exists(target));
        }
    }

    public void testZipBombStopsWhileInflating() throws Exception {
        Path zip = createTempDir().resolve("bomb.zip");
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip))) {
            out.putNextEntry(new ZipEntry("onnx/text_model.onnx"));
            byte[] zeros = new byte[1024 * 1024];
            for (int i = 0; i < 20; i++) {
                out.write(zeros);
            }
            out.closeEntry();
        }
        assertTrue(Files.size(zip) < 100_000);
        Path target = createTempDir().resolve("out");
        ModelZip.Limits limits = new ModelZip.Limits(1024 * 1024, 4 * 1024 * 1024, 10);
        IllegalArgumentException e = expectThrows(IllegalArgumentException.class, () -> ModelZip.extract("m", zip, target, limits));
        assertTrue(e.getMessage(), e.getMessage().contains("inflating entry [onnx/text_model.onnx] goes over the limit of 4194304 bytes"));
        assertTrue(Files.size(target.resolve("onnx/text_model.onnx")) <= 4 * 1024 * 1024);
    }

    public void testCompressedSizeLimit() throws Exception {
        Path zip = zipOf("config.json", "{\"model_type\": \"siglip\", \"padding\": \"" + "x".repeat(5000) + "\"}");
        IllegalArgumentException e = expectThrows(
            IllegalArgumentException.class,
            () -> ModelZip.extract("m", zip, createTempDir().resolve("o"), new ModelZip.Limits(100, 1 << 20, 10))
        );
        assertTrue(e.getMessage(), e.getMessage().contains("over the limit of 100"));
    }

    public void testTooManyEntries() throws Exception {
        Path zip = zipOf("a", "1", "b", "2", "c", "3", "d", "4");
        IllegalArgumentException e = expectThrows(
            IllegalArgumentException.class,
            () -> ModelZip.extract("m", zip, createTempDir().resolve("o"), new ModelZip.Limits(1 << 20, 1 << 20, 3))
        );
        assertTrue(e.getMessage(), e.getMessage().contains("the zip has 4 entries, over the limit of 3"));
    }

    public void testDuplicateNames() throws Exception {
        Path zip = zipOf("config.json", "{}", "CONFIG.json", "{}");
        IllegalArgumentException e = expectThrows(
            IllegalArgumentException.class,
            () -> ModelZip.extract("m", zip, createTempDir().resolve("o"), ModelZip.Limits.DEFAULT)
        );
        assertTrue(e.getMessage(), e.getMessage().contains("entry [CONFIG.json] appears twice"));
    }

    public void testSymlinkEntryIsRefused() throws Exception {
        Path zip = zipOf("config.json", "{}", "link", "/etc/passwd");
        // Marks the second central entry as made on Unix with mode 0120777, as `zip --symlinks` writes it.
        byte[] bytes = Files.readAllBytes(zip);
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        int found = 0;
        for (int i = 0; i + 4 <= bytes.length; i++) {
            if (b.getInt(i) == 0x02014b50 && ++found == 2) {
                b.putShort(i + 4, (short) ((3 << 8) | 20));
                b.putInt(i + 38, 0120777 << 16);
            }
        }
        assertEquals(2, found);
        Files.write(zip, bytes);
        Path target = createTempDir().resolve("o");
        IllegalArgumentException e = expectThrows(IllegalArgumentException.class, () -> ModelZip.extract("m", zip, target, ModelZip.Limits.DEFAULT));
        assertTrue(e.getMessage(), e.getMessage().contains("entry [link] is a symlink"));
        assertFalse(Files.exists(target));
    }

    public void testNotAModelFolder() throws Exception {
        Path zip = zipOf("readme.txt", "hello", "weights/model.bin", "x");
        IllegalArgumentException e = expectThrows(
            IllegalArgumentException.class,
            () -> ModelZip.extract("m", zip, createTempDir().resolve("o"), ModelZip.Limits.DEFAULT)
        );
        assertTrue(e.getMessage(), e.getMessage().startsWith("uploaded CLIP model [m] is not a loadable model folder: "));
        assertTrue(e.getMessage(), e.getMessage().contains("matches no model family"));
    }

    public void testNotAZip() throws Exception {
        Path zip = createTempDir().resolve("m.zip");
        try (OutputStream out = Files.newOutputStream(zip)) {
            out.write("not a zip at all".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        IllegalArgumentException e = expectThrows(
            IllegalArgumentException.class,
            () -> ModelZip.extract("m", zip, createTempDir().resolve("o"), ModelZip.Limits.DEFAULT)
        );
        assertTrue(e.getMessage(), e.getMessage().contains("not a zip"));
    }
}
