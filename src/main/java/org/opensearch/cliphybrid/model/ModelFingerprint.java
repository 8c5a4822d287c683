package org.opensearch.cliphybrid.model;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * A model's identity beyond its name: SHA-256 over what decides its vectors (both towers, their external weights, the
 * tokenizer, the image preprocessing). Two exports of the same size, ViT-B/32 and ViT-B/16 both at 512 dimensions, give
 * vectors that cannot be compared, and a folder's name says nothing about what is in it.
 */
public final class ModelFingerprint {
    private ModelFingerprint() {}

    public static String of(ModelFolder folder) throws IOException {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        byte[] buffer = new byte[1 << 16];
        for (Path file : files(folder)) {
            // each file's place in the folder and its length go in too, so that moving bytes between files changes the hash
            digest.update(folder.dir().relativize(file).toString().replace('\\', '/').getBytes(StandardCharsets.UTF_8));
            digest.update(Long.toString(Files.size(file)).getBytes(StandardCharsets.UTF_8));
            try (InputStream in = Files.newInputStream(file)) {
                for (int n = in.read(buffer); n > 0; n = in.read(buffer)) {
                    digest.update(buffer, 0, n);
                }
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static List<Path> files(ModelFolder folder) throws IOException {
        List<Path> files = new ArrayList<>();
        for (Path graph : List.of(folder.textModel(), folder.visionModel())) {
            files.add(graph);
            // large exports keep their weights beside the graph (model.onnx_data, text_model.onnx_data, ...)
            String stem = graph.getFileName().toString();
            try (DirectoryStream<Path> siblings = Files.newDirectoryStream(graph.getParent(), stem + "_data*")) {
                List<Path> sorted = new ArrayList<>();
                siblings.forEach(sorted::add);
                sorted.sort(null);
                files.addAll(sorted);
            }
        }
        files.add(folder.tokenizer().file());
        files.add(folder.preprocessorConfig());
        return files;
    }
}
