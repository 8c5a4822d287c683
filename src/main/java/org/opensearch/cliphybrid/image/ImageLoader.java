package org.opensearch.cliphybrid.image;

import org.opensearch.cliphybrid.net.FetchLimits;
import org.opensearch.cliphybrid.net.GuardedHttpClient;
import org.opensearch.secure_sm.AccessController;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Reads the bytes of an {@link ImageSource} within limits: a byte cap for every source, the {@link GuardedHttpClient} (address
 * guard, timeouts, whole-fetch deadline) for URLs, and confinement to the configured images folder for file paths.
 */
public final class ImageLoader {
    /**
     * The limits in force; taken anew for each image so that dynamic settings apply at once. {@code fetch} holds the byte cap,
     * which applies to every source, and what bounds a URL fetch.
     */
    public record Limits(Path imagesRoot, FetchLimits fetch) {
        public long maxBytes() {
            return fetch.maxBytes();
        }
    }

    private final GuardedHttpClient http;

    public ImageLoader(GuardedHttpClient http) {
        this.http = http;
    }

    public byte[] load(ImageSource source, Limits limits) throws IOException {
        return switch (source) {
            case ImageSource.Inline inline -> capped(inline.bytes(), limits.maxBytes());
            case ImageSource.LocalFile file -> AccessController.doPrivilegedChecked(() -> readFile(file.path(), limits));
            case ImageSource.Url url -> http.get(url.uri(), limits.fetch()).bytes();
        };
    }

    private static byte[] capped(byte[] bytes, long maxBytes) {
        tooLarge(bytes.length, maxBytes);
        return bytes;
    }

    private static void tooLarge(long size, long maxBytes) {
        if (size > maxBytes) {
            throw new ImageLoadException(
                ImageFailure.TOO_LARGE,
                "image is " + size + " bytes, over the limit of " + maxBytes + " (plugins.clip.image.max_bytes)"
            );
        }
    }

    private static byte[] readFile(String relative, Limits limits) throws IOException {
        if (limits.imagesRoot() == null) {
            throw new ImageLoadException(ImageFailure.INVALID, "file paths are not accepted: set plugins.clip.images.path to the folder that holds the images");
        }
        Path root = limits.imagesRoot().toRealPath();
        Path candidate = root.resolve(relative).normalize();
        // checked before touching the file system, so a path outside the folder says nothing about what exists there
        if (candidate.startsWith(root) == false) {
            throw new ImageLoadException(ImageFailure.BLOCKED_ADDRESS, "image path [" + relative + "] leads outside plugins.clip.images.path");
        }
        Path real;
        try {
            real = candidate.toRealPath();
        } catch (NoSuchFileException e) {
            throw new ImageLoadException(ImageFailure.NOT_FOUND, "no such image file [" + relative + "] under plugins.clip.images.path");
        }
        // and again on the real path, so that a symbolic link does not lead out either
        if (real.startsWith(root) == false) {
            throw new ImageLoadException(ImageFailure.BLOCKED_ADDRESS, "image path [" + relative + "] leads outside plugins.clip.images.path");
        }
        if (Files.isRegularFile(real) == false) {
            throw new ImageLoadException(ImageFailure.NOT_FOUND, "image path [" + relative + "] is not a regular file");
        }
        tooLarge(Files.size(real), limits.maxBytes());
        return Files.readAllBytes(real);
    }

}
