package org.opensearch.cliphybrid.model.registered;

import org.apache.lucene.tests.util.LuceneTestCase.SuppressFileSystems;
import org.opensearch.test.OpenSearchTestCase;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/** A cached copy of a registered model loads only if every file is there, of its size and SHA-256, and nothing else is. */
// Lucene's ExtrasFS plants files named extra0 in new folders on some seeds; FileCheck rightly refuses them, so it is off here.
@SuppressFileSystems("ExtrasFS")
public class FileCheckTests extends OpenSearchTestCase {
    private record Copy(Path dir, List<ModelZip.FileEntry> files) {}

    private Copy extracted() throws Exception {
        Path zip = createTempDir().resolve("m.zip");
        ModelZipTests.zipFolder(ModelZipTests.fixture(), zip);
        Path dir = createTempDir().resolve("copy");
        ModelZip.Extracted extracted = ModelZip.extract("m", zip, dir, ModelZip.Limits.DEFAULT);
        return new Copy(dir, extracted.files());
    }

    public void testTheExtractedCopyPasses() throws Exception {
        Copy copy = extracted();
        FileCheck.verify("m", copy.dir(), copy.files());
    }

    public void testAChangedByteFailsNamingTheFileAndBothHashes() throws Exception {
        Copy copy = extracted();
        Path tokenizer = copy.dir().resolve("tokenizer.json");
        byte[] bytes = Files.readAllBytes(tokenizer);
        bytes[bytes.length / 2] ^= 1;
        Files.write(tokenizer, bytes);
        IllegalStateException e = expectThrows(IllegalStateException.class, () -> FileCheck.verify("m", copy.dir(), copy.files()));
        assertTrue(e.getMessage(), e.getMessage().startsWith("registered CLIP model [m] does not match its registration: file [tokenizer.json] has SHA-256 "));
        assertTrue(e.getMessage(), e.getMessage().contains("registered as "));
    }

    public void testAMissingFileFails() throws Exception {
        Copy copy = extracted();
        Files.delete(copy.dir().resolve("onnx/text_model.onnx"));
        IllegalStateException e = expectThrows(IllegalStateException.class, () -> FileCheck.verify("m", copy.dir(), copy.files()));
        assertTrue(e.getMessage(), e.getMessage().contains("file [onnx/text_model.onnx] is missing"));
    }

    public void testATruncatedFileFailsBySize() throws Exception {
        Copy copy = extracted();
        Path file = copy.dir().resolve("onnx/vision_model.onnx");
        long size = Files.size(file);
        try (var channel = Files.newByteChannel(file, StandardOpenOption.WRITE)) {
            channel.truncate(size - 1);
        }
        IllegalStateException e = expectThrows(IllegalStateException.class, () -> FileCheck.verify("m", copy.dir(), copy.files()));
        assertTrue(e.getMessage(), e.getMessage().contains("file [onnx/vision_model.onnx] is " + (size - 1) + " bytes, registered as " + size));
    }

    public void testAnExtraFileFails() throws Exception {
        Copy copy = extracted();
        Files.writeString(copy.dir().resolve("onnx/extra.onnx"), "planted");
        IllegalStateException e = expectThrows(IllegalStateException.class, () -> FileCheck.verify("m", copy.dir(), copy.files()));
        assertTrue(e.getMessage(), e.getMessage().contains("file [onnx/extra.onnx] was not registered"));
    }
}
