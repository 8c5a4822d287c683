package org.opensearch.cliphybrid.image;

import org.opensearch.secure_sm.AccessController;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Reads the bytes of an {@link ImageSource} within limits: a byte cap for every source, timeouts and an address guard for
 * URLs, and confinement to the configured images folder for file paths.
 */
public final class ImageLoader {
    private static final int MAX_REDIRECTS = 5;

    /** The limits in force; taken anew for each image so that dynamic settings apply at once. */
    public record Limits(Path imagesRoot, long maxBytes, int connectTimeoutMillis, int readTimeoutMillis, boolean allowPrivateAddresses) {}

    /** A fetched response body, the URL it finally came from (after redirects) and its declared content type (may be null). */
    public record Fetched(byte[] bytes, URI finalUri, String contentType) {}

    /** A response other than 200 or a redirect; the harvester tells a missing robots.txt (4xx) from an unreachable one by it. */
    public static final class HttpStatusException extends IOException {
        private final int status;

        HttpStatusException(int status, URI uri) {
            super("HTTP " + status + " from [" + uri + "]");
            this.status = status;
        }

        public int status() {
            return status;
        }
    }

    /** Resolves host names; tests swap it to check the guard without sending traffic anywhere. */
    public interface Resolver {
        InetAddress[] resolve(String host) throws UnknownHostException;
    }

    private final Resolver resolver;

    public ImageLoader() {
        this(InetAddress::getAllByName);
    }

    public ImageLoader(Resolver resolver) {
        this.resolver = resolver;
    }

    public byte[] load(ImageSource source, Limits limits) throws IOException {
        return switch (source) {
            case ImageSource.Inline inline -> capped(inline.bytes(), limits.maxBytes());
            case ImageSource.LocalFile file -> AccessController.doPrivilegedChecked(() -> readFile(file.path(), limits));
            case ImageSource.Url url -> fetch(url.uri(), limits).bytes();
        };
    }

    private static byte[] capped(byte[] bytes, long maxBytes) {
        if (bytes.length > maxBytes) {
            throw new IllegalArgumentException("image is " + bytes.length + " bytes, over the limit of " + maxBytes + " (clip.image.max_bytes)");
        }
        return bytes;
    }

    private static byte[] readFile(String relative, Limits limits) throws IOException {
        if (limits.imagesRoot() == null) {
            throw new IllegalArgumentException("file paths are not accepted: set clip.images.path to the folder that holds the images");
        }
        Path root = limits.imagesRoot().toRealPath();
        Path candidate = root.resolve(relative).normalize();
        // checked before touching the file system, so a path outside the folder says nothing about what exists there
        if (candidate.startsWith(root) == false) {
            throw new IllegalArgumentException("image path [" + relative + "] leads outside clip.images.path");
        }
        Path real;
        try {
            real = candidate.toRealPath();
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("no such image file [" + relative + "] under clip.images.path");
        }
        // and again on the real path, so that a symbolic link does not lead out either
        if (real.startsWith(root) == false) {
            throw new IllegalArgumentException("image path [" + relative + "] leads outside clip.images.path");
        }
        if (Files.isRegularFile(real) == false) {
            throw new IllegalArgumentException("image path [" + relative + "] is not a regular file");
        }
        long size = Files.size(real);
        if (size > limits.maxBytes()) {
            throw new IllegalArgumentException("image is " + size + " bytes, over the limit of " + limits.maxBytes() + " (clip.image.max_bytes)");
        }
        return Files.readAllBytes(real);
    }

    /** Fetches any content type over http(s) under the same guard, limits and redirect rules as an image URL. */
    public Fetched fetch(URI uri, Limits limits) throws IOException {
        URI current = uri;
        for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
            checkAddress(current, limits);
            HttpURLConnection connection = (HttpURLConnection) current.toURL().openConnection();
            connection.setInstanceFollowRedirects(false);
            connection.setConnectTimeout(limits.connectTimeoutMillis());
            connection.setReadTimeout(limits.readTimeoutMillis());
            connection.setRequestProperty("User-Agent", "clip-hybrid-search");
            try {
                int status = connection.getResponseCode();
                if (status >= 300 && status < 400) {
                    String location = connection.getHeaderField("Location");
                    if (location == null) {
                        throw new IOException("HTTP " + status + " without a Location header");
                    }
                    current = current.resolve(location);
                    String scheme = current.getScheme() == null ? "" : current.getScheme().toLowerCase(Locale.ROOT);
                    if (scheme.equals("http") == false && scheme.equals("https") == false) {
                        throw new IllegalArgumentException("redirect to unsupported scheme [" + current + "]");
                    }
                    continue;
                }
                if (status != 200) {
                    throw new HttpStatusException(status, current);
                }
                long declared = connection.getContentLengthLong();
                if (declared > limits.maxBytes()) {
                    throw new IllegalArgumentException(
                        "image is " + declared + " bytes, over the limit of " + limits.maxBytes() + " (clip.image.max_bytes)"
                    );
                }
                try (InputStream in = connection.getInputStream()) {
                    byte[] bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, limits.maxBytes() + 1));
                    return new Fetched(capped(bytes, limits.maxBytes()), current, connection.getContentType());
                }
            } finally {
                connection.disconnect();
            }
        }
        throw new IOException("more than " + MAX_REDIRECTS + " redirects");
    }

    private void checkAddress(URI uri, Limits limits) throws UnknownHostException {
        if (limits.allowPrivateAddresses()) {
            return;
        }
        String host = uri.getHost();
        if (host == null) {
            throw new IllegalArgumentException("URL without a host [" + uri + "]");
        }
        for (InetAddress address : resolver.resolve(host)) {
            String refusal = AddressGuard.refusal(address);
            if (refusal != null) {
                throw new IllegalArgumentException(
                    "refused to fetch [" + uri + "]: [" + host + "] resolves to " + address.getHostAddress() + ", a " + refusal
                        + " (clip.fetch.allow_private_addresses is false)"
                );
            }
        }
    }
}
