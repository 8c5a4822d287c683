package org.opensearch.cliphybrid.image;

import org.opensearch.secure_sm.AccessController;

import javax.net.ssl.SSLSocketFactory;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Reads the bytes of an {@link ImageSource} within limits: a byte cap for every source, timeouts and an address guard for
 * URLs (per read and for the whole fetch), and confinement to the configured images folder for file paths.
 */
public final class ImageLoader {
    /**
     * The limits in force; taken anew for each image so that dynamic settings apply at once. {@code fetchTimeoutMillis} bounds a
     * whole URL fetch (every redirect, TLS handshake and the body), where the read timeout bounds only the wait for one read.
     */
    public record Limits(
        Path imagesRoot,
        long maxBytes,
        int connectTimeoutMillis,
        int readTimeoutMillis,
        int fetchTimeoutMillis,
        boolean allowPrivateAddresses
    ) {
        /** The default of plugins.clip.fetch.timeout. */
        public static final int DEFAULT_FETCH_TIMEOUT_MILLIS = 30_000;

        public Limits {
            if (fetchTimeoutMillis <= 0) {
                throw new IllegalArgumentException("fetch timeout must be positive, got " + fetchTimeoutMillis + "ms (plugins.clip.fetch.timeout)");
            }
        }

        /** With the default whole-fetch deadline, for callers that only read files or inline bytes. */
        public Limits(Path imagesRoot, long maxBytes, int connectTimeoutMillis, int readTimeoutMillis, boolean allowPrivateAddresses) {
            this(imagesRoot, maxBytes, connectTimeoutMillis, readTimeoutMillis, DEFAULT_FETCH_TIMEOUT_MILLIS, allowPrivateAddresses);
        }
    }

    /** Resolves host names; tests swap it to check the guard without sending traffic anywhere. */
    public interface Resolver {
        InetAddress[] resolve(String host) throws UnknownHostException;
    }

    /** What an http(s) fetch returned: the body, the URL it finally came from (after redirects) and its declared type. */
    public record Fetched(byte[] bytes, URI finalUri, String contentType) {}

    /** A response other than 200 or a redirect; the harvester tells a missing robots.txt (4xx) from an unreachable one by it. */
    public static final class HttpStatusException extends ImageLoadException {
        private final int status;

        HttpStatusException(int status, URI uri) {
            super(status == 404 || status == 410 ? ImageFailure.NOT_FOUND : ImageFailure.HTTP_STATUS, "HTTP " + status + " from [" + uri + "]");
            this.status = status;
        }

        public int status() {
            return status;
        }
    }

    private final PinnedHttpClient http;

    public ImageLoader() {
        this(InetAddress::getAllByName);
    }

    public ImageLoader(Resolver resolver) {
        this(resolver, AddressGuard::refusal, (SSLSocketFactory) SSLSocketFactory.getDefault());
    }

    /** With another address check or TLS trust than the real ones: tests use loopback servers that stand for other hosts. */
    ImageLoader(Resolver resolver, PinnedHttpClient.AddressCheck check, SSLSocketFactory tls) {
        this.http = new PinnedHttpClient(resolver, check, tls);
    }

    public byte[] load(ImageSource source, Limits limits) throws IOException {
        return switch (source) {
            case ImageSource.Inline inline -> capped(inline.bytes(), limits.maxBytes());
            case ImageSource.LocalFile file -> AccessController.doPrivilegedChecked(() -> readFile(file.path(), limits));
            case ImageSource.Url url -> http.get(url.uri(), limits).bytes();
        };
    }

    /** Fetches any content type over http(s) under the same guard, limits and redirect rules as an image URL. */
    public Fetched fetch(URI uri, Limits limits) throws IOException {
        return http.get(uri, limits);
    }

    private static byte[] capped(byte[] bytes, long maxBytes) {
        tooLarge(bytes.length, maxBytes);
        return bytes;
    }

    static void tooLarge(long size, long maxBytes) {
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
