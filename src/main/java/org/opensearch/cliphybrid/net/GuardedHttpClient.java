package org.opensearch.cliphybrid.net;

import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The one way this plugin reaches out over the network (image URLs, harvested pages and their robots.txt, model zips): an HTTP/1.1 GET
 * under the {@link AddressGuard}, a byte cap and a {@link FetchDeadline}, that connects to exactly the addresses it checked. A client that resolves the host again when it connects
 * (HttpURLConnection, java.net.http) can be sent elsewhere by a DNS answer that changes between the check and the connect
 * (DNS rebinding); here the host is resolved once per hop, every address is checked, and the socket is opened to one of
 * those {@link InetAddress}es. The Host header, TLS SNI and certificate hostname verification still use the host name.
 */
public final class GuardedHttpClient {
    static final int MAX_REDIRECTS = 5;
    static final int MAX_HEADER_BYTES = 64 * 1024;
    static final int MAX_LINE_BYTES = 8 * 1024;
    static final int MAX_HEADERS = 100;
    /** A chunk size line is a few hex digits and, rarely, short extensions. */
    static final int MAX_CHUNK_LINE_BYTES = 1024;
    /** 15 hex digits (2^60) and 18 decimal ones stay clear of overflowing a long in any sum below. */
    private static final int MAX_CHUNK_SIZE_DIGITS = 15;
    private static final int MAX_LENGTH_DIGITS = 18;
    /** The most a Java array holds, whatever plugins.clip.image.max_bytes says. */
    private static final long MAX_BODY_BYTES = Integer.MAX_VALUE - 8;

    /** Resolves host names; tests swap it to check the guard without sending traffic anywhere. */
    public interface Resolver {
        InetAddress[] resolve(String host) throws UnknownHostException;
    }

    /** Returns why an address is refused, or null; {@link AddressGuard#refusal} outside tests. */
    interface AddressCheck {
        String refusal(InetAddress address);
    }

    private final Resolver resolver;
    private final AddressCheck check;
    private final SSLSocketFactory tls;

    public GuardedHttpClient() {
        this(InetAddress::getAllByName);
    }

    public GuardedHttpClient(Resolver resolver) {
        this(resolver, AddressGuard::refusal, (SSLSocketFactory) SSLSocketFactory.getDefault());
    }

    /** With another address check or TLS trust than the real ones: tests use loopback servers that stand for other hosts. */
    GuardedHttpClient(Resolver resolver, AddressCheck check, SSLSocketFactory tls) {
        this.resolver = resolver;
        this.check = check;
        this.tls = tls;
    }

    /** What to do with a 200 answer's body while it arrives; it reads within the fetch's deadline and byte limit. */
    public interface BodyReader<T> {
        /**
         * @param body the body, which ends where its framing says and fails once it goes over the byte limit
         * @param declaredLength its Content-Length, or -1 when the server sent none
         */
        T read(InputStream body, long declaredLength, URI from, String contentType) throws IOException;
    }

    /**
     * The 200 answer to GET {@code uri}, following at most {@link #MAX_REDIRECTS} redirects, each checked anew, all within the
     * deadline of {@link FetchLimits#fetchTimeoutMillis}.
     */
    public Fetched get(URI uri, FetchLimits limits) throws IOException {
        return get(uri, limits, (body, length, from, type) -> new Fetched(readAll((BodyStream) body, length), from, type));
    }

    /**
     * Like {@link #get(URI, FetchLimits)}, but hands the body to {@code reader} as it arrives instead of reading it into memory;
     * what the reader does counts against the deadline, since the connection stays open meanwhile.
     */
    public <T> T get(URI uri, FetchLimits limits, BodyReader<T> reader) throws IOException {
        FetchDeadline deadline = new FetchDeadline(uri, limits.fetchTimeoutMillis(), limits.timeoutSetting());
        URI current = uri;
        for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
            Response<T> response;
            try {
                response = exchange(current, limits, deadline, reader);
            } catch (IOException e) {
                // whatever failed once the time was up (a read, a TLS record) failed because it was up
                if (deadline.passed()) {
                    throw deadline.exceeded(current, e);
                }
                throw e;
            }
            if (response.status >= 300 && response.status < 400) {
                current = redirectTarget(current, response.status, response.headers);
                continue;
            }
            if (response.status == 200) {
                return response.body;
            }
            throw new HttpStatusException(response.status, current);
        }
        throw new FetchException(FetchException.Kind.HTTP_STATUS, "more than " + MAX_REDIRECTS + " redirects from [" + uri + "]");
    }

    /** The whole body in one array, which can hold at most {@link #MAX_BODY_BYTES} whatever the limit says. */
    private static byte[] readAll(BodyStream body, long declaredLength) throws IOException {
        if (declaredLength > MAX_BODY_BYTES) {
            throw broken(body.uri(), "Content-Length " + declaredLength + " is over the " + MAX_BODY_BYTES + " bytes one fetch can hold");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(declaredLength > 0 ? (int) Math.min(declaredLength, 1 << 20) : 8192);
        byte[] buffer = new byte[8192];
        long total = 0;
        for (int n = body.read(buffer); n >= 0; n = body.read(buffer)) {
            total += n;
            if (total > MAX_BODY_BYTES) {
                throw broken(body.uri(), "body over the " + MAX_BODY_BYTES + " bytes one fetch can hold");
            }
            out.write(buffer, 0, n);
        }
        return out.toByteArray();
    }

    private static URI redirectTarget(URI from, int status, Map<String, String> headers) {
        String location = headers.get("location");
        if (location == null) {
            throw new FetchException(FetchException.Kind.HTTP_STATUS, "HTTP " + status + " without a Location header from [" + from + "]");
        }
        URI to;
        try {
            to = from.resolve(location.strip());
        } catch (IllegalArgumentException e) {
            throw new FetchException(FetchException.Kind.HTTP_STATUS, "HTTP " + status + " from [" + from + "] with a malformed Location [" + location + "]");
        }
        String scheme = to.getScheme() == null ? "" : to.getScheme().toLowerCase(Locale.ROOT);
        if (scheme.equals("http") == false && scheme.equals("https") == false) {
            throw new FetchException(FetchException.Kind.INVALID, "redirect to unsupported scheme [" + to + "]");
        }
        if ("https".equalsIgnoreCase(from.getScheme()) && scheme.equals("http")) {
            // the next request, and any cookie or token in its URL, would cross the network unencrypted and unauthenticated
            throw new FetchException(FetchException.Kind.BLOCKED_ADDRESS, "refused redirect from https [" + from + "] to plain http [" + to + "]");
        }
        return to;
    }

    /** A status, its headers and, for a 200, what the reader made of the body. */
    private record Response<T>(int status, Map<String, String> headers, T body) {}

    private <T> Response<T> exchange(URI uri, FetchLimits limits, FetchDeadline deadline, BodyReader<T> reader) throws IOException {
        String host = uri.getHost();
        if (host == null || host.isEmpty()) {
            throw new FetchException(FetchException.Kind.INVALID, "URL without a host [" + uri + "]");
        }
        boolean https = "https".equalsIgnoreCase(uri.getScheme());
        // URI keeps the brackets of an IPv6 literal; the resolver, SNI and certificate check want the bare address
        String bareHost = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        int port = uri.getPort() == -1 ? (https ? 443 : 80) : uri.getPort();
        InetAddress[] addresses = checkedAddresses(uri, bareHost, limits);
        try (Socket socket = connect(addresses, port, uri, limits, deadline)) {
            socket.setSoTimeout(deadline.within(limits.readTimeoutMillis(), uri));
            Socket channel = https ? startTls(socket, bareHost, port) : socket;
            try {
                sendRequest(channel.getOutputStream(), uri, host, port, https);
                return readResponse(new BufferedInputStream(channel.getInputStream()), uri, limits, reader);
            } finally {
                if (channel != socket) {
                    channel.close();
                }
            }
        }
    }

    private InetAddress[] checkedAddresses(URI uri, String host, FetchLimits limits) throws IOException {
        InetAddress[] addresses = resolver.resolve(host);
        if (addresses == null || addresses.length == 0) {
            throw new java.net.UnknownHostException("[" + host + "] has no address");
        }
        if (limits.allowPrivateAddresses() == false) {
            // every address, not only the first: a client must not get to choose the one the guard did not look at
            for (InetAddress address : addresses) {
                String refusal = check.refusal(address);
                if (refusal != null) {
                    throw new FetchException(
                        FetchException.Kind.BLOCKED_ADDRESS,
                        "refused to fetch [" + uri + "]: [" + host + "] resolves to " + address.getHostAddress() + ", a " + refusal
                            + " (plugins.clip.fetch.allow_private_addresses is false)"
                    );
                }
            }
        }
        return addresses;
    }

    private static Socket connect(InetAddress[] addresses, int port, URI uri, FetchLimits limits, FetchDeadline deadline)
        throws IOException {
        IOException last = null;
        for (InetAddress address : addresses) {
            // the TLS socket, when there is one, reads through this one, so the deadline holds for the handshake too
            int connectTimeout = deadline.within(limits.connectTimeoutMillis(), uri);
            Socket socket = deadline.socket(uri, limits.readTimeoutMillis());
            try {
                socket.connect(new InetSocketAddress(address, port), connectTimeout);
                return socket;
            } catch (IOException e) {
                socket.close();
                if (last != null) {
                    e.addSuppressed(last);
                }
                last = e;
            }
        }
        throw last;
    }

    /** TLS over the already connected socket, with SNI and hostname verification for the name in the URL. */
    SSLSocket startTls(Socket socket, String host, int port) throws IOException {
        SSLSocket ssl = (SSLSocket) tls.createSocket(socket, host, port, true);
        SSLParameters parameters = ssl.getSSLParameters();
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        if (isIpLiteral(host) == false) {
            parameters.setServerNames(List.of(new SNIHostName(host)));
        }
        ssl.setSSLParameters(parameters);
        ssl.startHandshake();
        return ssl;
    }

    private static boolean isIpLiteral(String host) {
        return host.indexOf(':') >= 0 || host.chars().allMatch(c -> c == '.' || (c >= '0' && c <= '9'));
    }

    private static void sendRequest(OutputStream out, URI uri, String host, int port, boolean https) throws IOException {
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        if (uri.getRawQuery() != null) {
            path += "?" + uri.getRawQuery();
        }
        boolean defaultPort = port == (https ? 443 : 80);
        String request = "GET " + path + " HTTP/1.1\r\n"
            + "Host: " + host + (defaultPort ? "" : ":" + port) + "\r\n"
            + "User-Agent: clip-hybrid-search\r\n"
            + "Accept: image/*, */*;q=0.5\r\n"
            + "Accept-Encoding: identity\r\n"
            + "Connection: close\r\n\r\n";
        out.write(request.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    private static <T> Response<T> readResponse(InputStream in, URI uri, FetchLimits limits, BodyReader<T> reader) throws IOException {
        String statusLine = readLine(in, MAX_LINE_BYTES, uri, "status line");
        String[] parts = statusLine.split(" ", 3);
        if (parts.length < 2 || parts[0].startsWith("HTTP/1.") == false) {
            throw broken(uri, "not an HTTP/1.x status line [" + abbreviate(statusLine) + "]");
        }
        int status;
        try {
            status = Integer.parseInt(parts[1]);
        } catch (NumberFormatException e) {
            throw broken(uri, "bad HTTP status line [" + abbreviate(statusLine) + "]");
        }
        Map<String, String> headers = new HashMap<>();
        int headerBytes = 0, headerCount = 0;
        while (true) {
            String line = readLine(in, MAX_LINE_BYTES, uri, "header line");
            if (line.isEmpty()) {
                break;
            }
            headerBytes += line.length() + 2;
            if (headerBytes > MAX_HEADER_BYTES) {
                throw broken(uri, "headers longer than " + MAX_HEADER_BYTES + " bytes");
            }
            if (++headerCount > MAX_HEADERS) {
                throw broken(uri, "more than " + MAX_HEADERS + " headers");
            }
            int colon = line.indexOf(':');
            if (colon > 0) {
                String name = line.substring(0, colon).strip().toLowerCase(Locale.ROOT);
                String value = line.substring(colon + 1).strip();
                String earlier = headers.put(name, value);
                if (name.equals("content-length") && earlier != null && earlier.equals(value) == false) {
                    // two lengths: a proxy on the way may have framed the body by the other one
                    throw broken(uri, "two different Content-Length headers [" + abbreviate(earlier) + "] and [" + abbreviate(value) + "]");
                }
            }
        }
        if (status != 200) {
            return new Response<>(status, headers, null);
        }
        String transferEncoding = headers.getOrDefault("transfer-encoding", "").toLowerCase(Locale.ROOT);
        BodyStream body;
        if (transferEncoding.contains("chunked")) {
            body = BodyStream.chunked(in, uri, limits);
        } else if (headers.containsKey("content-length")) {
            body = BodyStream.ofLength(in, uri, limits, contentLength(headers.get("content-length"), uri));
        } else {
            body = BodyStream.untilClose(in, uri, limits);
        }
        return new Response<>(status, headers, reader.read(body, body.declaredLength(), uri, headers.get("content-type")));
    }

    private static long contentLength(String value, URI uri) {
        if (value.isEmpty() || value.chars().allMatch(c -> c >= '0' && c <= '9') == false) {
            throw broken(uri, "Content-Length [" + abbreviate(value) + "] is not a non-negative decimal number");
        }
        if (value.length() > MAX_LENGTH_DIGITS) {
            throw broken(uri, "Content-Length [" + abbreviate(value) + "] is too large");
        }
        return Long.parseLong(value);
    }

    /** Reads a chunk size line; 0 ends the body. */
    static long chunkSize(InputStream in, URI uri) throws IOException {
        String sizeLine = readLine(in, MAX_CHUNK_LINE_BYTES, uri, "chunk size line");
        int semicolon = sizeLine.indexOf(';');
        String hex = (semicolon >= 0 ? sizeLine.substring(0, semicolon) : sizeLine).strip();
        if (hex.isEmpty() || hex.chars().allMatch(GuardedHttpClient::isHexDigit) == false) {
            throw broken(uri, "chunk size [" + abbreviate(sizeLine) + "] is not a hexadecimal number");
        }
        if (hex.length() > MAX_CHUNK_SIZE_DIGITS) {
            throw broken(uri, "chunk size [" + abbreviate(hex) + "] is too large");
        }
        return Long.parseLong(hex, 16);
    }

    /** Reads the CRLF that must follow a chunk's data. */
    static void chunkEnd(InputStream in, URI uri, long size) throws IOException {
        if (readLine(in, MAX_CHUNK_LINE_BYTES, uri, "chunk end").isEmpty() == false) {
            throw broken(uri, "chunk of " + size + " bytes not followed by CRLF");
        }
    }

    private static String readLine(InputStream in, int maxBytes, URI uri, String what) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b == -1) {
                throw new IOException("connection closed inside the " + what + " from [" + uri + "]");
            }
            if (line.size() >= maxBytes) {
                throw broken(uri, what + " longer than " + maxBytes + " bytes");
            }
            if (b != '\r') {
                line.write(b);
            }
        }
        return line.toString(StandardCharsets.ISO_8859_1);
    }

    private static boolean isHexDigit(int c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }

    static FetchException broken(URI uri, String problem) {
        return new FetchException(FetchException.Kind.NETWORK, "broken HTTP response from [" + uri + "]: " + problem);
    }

    static void tooLarge(long size, FetchLimits limits) {
        if (size > limits.maxBytes()) {
            throw new FetchException(
                FetchException.Kind.TOO_LARGE,
                "response is " + size + " bytes, over the limit of " + limits.maxBytes() + " (" + limits.maxBytesSetting() + ")"
            );
        }
    }

    private static String abbreviate(String s) {
        return s.length() <= 64 ? s : s.substring(0, 64) + "...";
    }
}
