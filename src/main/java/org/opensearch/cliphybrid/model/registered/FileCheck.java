package org.opensearch.cliphybrid.model.registered;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Checks a model folder on a node against the files recorded at registration: every file there, of its size and SHA-256, and
 * no other. A node loads a registered model only from a folder that passes, since the cache lives on a disk others may write.
 */
public final class FileCheck {
    private FileCheck() {}

    public static void verify(String name, Path dir, List<ModelZip.FileEntry> files) throws IOException {
        Set<String> expected = new HashSet<>();
        for (ModelZip.FileEntry file : files) {
            expected.add(file.path());
            Path path = dir.resolve(file.path()).normalize();
            if (path.startsWith(dir) == false || Files.isRegularFile(path) == false) {
                throw mismatch(name, "file [" + file.path() + "] is missing");
            }
            long size = Files.size(path);
            if (size != file.size()) {
                throw mismatch(name, "file [" + file.path() + "] is " + size + " bytes, registered as " + file.size());
            }
            String sha = sha256(path);
            if (sha.equals(file.sha256()) == false) {
                throw mismatch(name, "file [" + file.path() + "] has SHA-256 " + sha + ", registered as " + file.sha256());
            }
        }
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) all::iterator) {
                if (Files.isDirectory(p) == false) {
                    String relative = dir.relativize(p).toString().replace('\\', '/');
                    if (expected.contains(relative) == false) {
                        throw mismatch(name, "file [" + relative + "] was not registered");
                    }
                }
            }
        }
    }

    static String sha256(Path file) throws IOException {
        MessageDigest sha = ModelZip.sha256();
        byte[] buffer = new byte[64 * 1024];
        try (InputStream in = Files.newInputStream(file)) {
            int n;
            while ((n = in.read(buffer)) > 0) {
                sha.update(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    private static IllegalStateException mismatch(String name, String reason) {
        return new IllegalStateException("registered CLIP model [" + name + "] does not match its registration: " + reason);
    }
}
