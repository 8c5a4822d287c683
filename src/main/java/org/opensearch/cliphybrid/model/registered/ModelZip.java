package org.opensearch.cliphybrid.model.registered;

import org.opensearch.cliphybrid.model.ModelFolder;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * Checks an uploaded zip of a model folder and extracts it into a directory of its own. The archive comes from a client,
 * so nothing in it is trusted: sizes are counted while inflating (the headers' sizes can lie), names are checked before any
 * file is written, symlinks are refused (their targets could point anywhere on the node), and the extracted folder must open
 * as a model, so that a bad upload fails at registration and not on the first query.
 */
public final class ModelZip {
    public static final long DEFAULT_MAX_COMPRESSED_BYTES = 8L * 1000 * 1024 * 1024;
    public static final long DEFAULT_MAX_INFLATED_BYTES = 8L * 1024 * 1024 * 1024;
    public static final int DEFAULT_MAX_ENTRIES = 1000;

    /** The bounds one archive must stay within. */
    public record Limits(long maxCompressedBytes, long maxInflatedBytes, int maxEntries) {
        public static final Limits DEFAULT = new Limits(DEFAULT_MAX_COMPRESSED_BYTES, DEFAULT_MAX_INFLATED_BYTES, DEFAULT_MAX_ENTRIES);
    }

    /** One extracted file: its path inside the model folder (with {@code /}), its size and its SHA-256 in hex. */
    public record FileEntry(String path, long size, String sha256) {}

    /** The extracted folder, opened as a model, and what was written. */
    public record Extracted(ModelFolder folder, List<FileEntry> files, long bytes) {}

    private static final int CENTRAL_HEADER = 0x02014b50, END_OF_CENTRAL = 0x06054b50;
    private static final int UNIX_HOST = 3, FILE_TYPE_MASK = 0170000, SYMLINK = 0120000;

    private ModelZip() {}

    /**
     * Checks {@code zip} and extracts it into {@code target}, which must not exist yet or be empty. On failure the caller
     * deletes {@code target}; what was written so far is inside it and nowhere else.
     */
    public static Extracted extract(String name, Path zip, Path target, Limits limits) throws IOException {
        long compressed = Files.size(zip);
        if (compressed > limits.maxCompressedBytes()) {
            throw invalid(name, "the zip is " + compressed + " bytes, over the limit of " + limits.maxCompressedBytes());
        }
        List<String> names = centralNames(name, zip, limits);
        Files.createDirectories(target);
        Path root = target.toAbsolutePath().normalize();
        List<FileEntry> files = new ArrayList<>();
        long inflated = 0;
        int seen = 0;
        try (ZipFile archive = new ZipFile(zip.toFile(), StandardCharsets.UTF_8)) {
            Enumeration<? extends ZipEntry> entries = archive.entries();
            while (entries.hasMoreElements()) {
                ZipEntry entry = entries.nextElement();
                if (++seen > limits.maxEntries()) {
                    throw invalid(name, "the zip has more than " + limits.maxEntries() + " entries");
                }
                String path = checkedName(name, entry.getName());
                if (names.contains(entry.getName()) == false) {
                    throw invalid(name, "entry [" + path + "] is not in the zip's central directory");
                }
                Path out = root.resolve(path).normalize();
                if (out.startsWith(root) == false || out.equals(root)) {
                    throw invalid(name, "entry [" + path + "] resolves outside the model folder");
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(out);
                    continue;
                }
                Files.createDirectories(out.getParent());
                try (InputStream in = archive.getInputStream(entry)) {
                    FileEntry written = copy(name, path, in, out, limits.maxInflatedBytes() - inflated, limits);
                    inflated += written.size();
                    files.add(written);
                }
            }
        } catch (ZipException e) {
            throw invalid(name, "not a readable zip: " + e.getMessage());
        }
        if (files.isEmpty()) {
            throw invalid(name, "the zip holds no files");
        }
        ModelFolder folder;
        try {
            folder = ModelFolder.open(name, root, false);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("uploaded CLIP model [" + name + "] is not a loadable model folder: " + e.getMessage(), e);
        }
        return new Extracted(folder, List.copyOf(files), inflated);
    }

    private static FileEntry copy(String name, String path, InputStream in, Path out, long budget, Limits limits) throws IOException {
        MessageDigest sha = sha256();
        byte[] buffer = new byte[64 * 1024];
        long size = 0;
        try (OutputStream os = Files.newOutputStream(out, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            int n;
            while ((n = in.read(buffer)) > 0) {
                size += n;
                if (size > budget) {
                    throw invalid(name, "inflating entry [" + path + "] goes over the limit of " + limits.maxInflatedBytes()
                        + " bytes for the whole model");
                }
                sha.update(buffer, 0, n);
                os.write(buffer, 0, n);
            }
        }
        return new FileEntry(path, size, HexFormat.of().formatHex(sha.digest()));
    }

    /**
     * Reads the names from the central directory, which is also where the entry's Unix mode sits ({@link ZipEntry} does not
     * expose it), so that symlinks and duplicate names are refused before anything is written.
     */
    private static List<String> centralNames(String name, Path zip, Limits limits) throws IOException {
        try (FileChannel channel = FileChannel.open(zip, StandardOpenOption.READ)) {
            long size = channel.size();
            int tail = (int) Math.min(size, 22 + 65535);
            ByteBuffer end = ByteBuffer.allocate(tail).order(ByteOrder.LITTLE_ENDIAN);
            channel.read(end, size - tail);
            int at = -1;
            for (int i = tail - 22; i >= 0; i--) {
                if (end.getInt(i) == END_OF_CENTRAL) {
                    at = i;
                    break;
                }
            }
            if (at < 0) {
                throw invalid(name, "not a zip: no end of central directory record");
            }
            int count = Short.toUnsignedInt(end.getShort(at + 10));
            long dirSize = Integer.toUnsignedLong(end.getInt(at + 12));
            long dirOffset = Integer.toUnsignedLong(end.getInt(at + 16));
            if (count == 0xFFFF || dirOffset == 0xFFFFFFFFL) {
                throw invalid(name, "zip64 archives are not supported; a model zip must stay under 4 GB and 65535 entries");
            }
            if (count > limits.maxEntries()) {
                throw invalid(name, "the zip has " + count + " entries, over the limit of " + limits.maxEntries());
            }
            if (dirOffset + dirSize > size) {
                throw invalid(name, "not a readable zip: the central directory lies past the end of the file");
            }
            ByteBuffer dir = ByteBuffer.allocate((int) dirSize).order(ByteOrder.LITTLE_ENDIAN);
            channel.read(dir, dirOffset);
            List<String> names = new ArrayList<>(count);
            Set<String> folded = new HashSet<>();
            int p = 0;
            for (int i = 0; i < count; i++) {
                if (p + 46 > dirSize || dir.getInt(p) != CENTRAL_HEADER) {
                    throw invalid(name, "not a readable zip: central directory entry " + i + " is damaged");
                }
                int madeBy = Short.toUnsignedInt(dir.getShort(p + 4)) >> 8;
                int nameLength = Short.toUnsignedInt(dir.getShort(p + 28));
                int extraLength = Short.toUnsignedInt(dir.getShort(p + 30));
                int commentLength = Short.toUnsignedInt(dir.getShort(p + 32));
                long external = Integer.toUnsignedLong(dir.getInt(p + 38));
                if (p + 46 + nameLength > dirSize) {
                    throw invalid(name, "not a readable zip: central directory entry " + i + " is damaged");
                }
                byte[] raw = new byte[nameLength];
                dir.get(p + 46, raw);
                String entryName = new String(raw, StandardCharsets.UTF_8);
                String path = checkedName(name, entryName);
                if (madeBy == UNIX_HOST && ((external >>> 16) & FILE_TYPE_MASK) == SYMLINK) {
                    throw invalid(name, "entry [" + path + "] is a symlink; a model zip holds plain files only");
                }
                // Case-folded, since a case-insensitive file system would write both entries to one file.
                if (folded.add(stripSlash(path).toLowerCase(Locale.ROOT)) == false) {
                    throw invalid(name, "entry [" + path + "] appears twice in the zip");
                }
                names.add(entryName);
                p += 46 + nameLength + extraLength + commentLength;
            }
            return names;
        }
    }

    /** The entry's name if it is a plain relative path, else a failure naming it. */
    static String checkedName(String name, String entry) {
        String shown = entry.replaceAll("\\p{Cntrl}", "?");
        if (entry.isEmpty()) {
            throw invalid(name, "an entry has an empty name");
        }
        if (entry.startsWith("/") || entry.contains("\\") || entry.contains(":") || entry.indexOf('\0') >= 0 || shown.equals(entry) == false) {
            throw invalid(name, "entry [" + shown + "] is not a plain relative path (no leading /, \\, : or control characters)");
        }
        String[] parts = stripSlash(entry).split("/", -1);
        for (String part : parts) {
            if (part.isEmpty() || part.equals(".") || part.equals("..")) {
                throw invalid(name, "entry [" + shown + "] has an empty, . or .. path segment");
            }
        }
        return entry;
    }

    private static String stripSlash(String s) {
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError("every JVM has SHA-256", e);
        }
    }

    private static IllegalArgumentException invalid(String name, String reason) {
        return new IllegalArgumentException("uploaded CLIP model [" + name + "]: " + reason);
    }
}
