package org.opensearch.cliphybrid.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Predicate;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/** A model folder zipped as a client would before uploading it: its files, paths relative to the folder, in name order. */
public final class FolderZip {
    private FolderZip() {}

    public static byte[] of(Path folder) throws IOException {
        return of(folder, file -> true);
    }

    /** Only the files {@code keep} accepts. */
    public static byte[] of(Path folder, Predicate<Path> keep) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream out = new ZipOutputStream(bytes); Stream<Path> files = Files.walk(folder)) {
            for (Path f : (Iterable<Path>) files.sorted()::iterator) {
                if (Files.isRegularFile(f) && keep.test(f)) {
                    out.putNextEntry(new ZipEntry(folder.relativize(f).toString().replace('\\', '/')));
                    Files.copy(f, out);
                    out.closeEntry();
                }
            }
        }
        return bytes.toByteArray();
    }
}
