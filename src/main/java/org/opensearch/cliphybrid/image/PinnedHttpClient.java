package org.opensearch.cliphybrid.image;

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
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP/1.1 GET that connects to exactly the addresses it checked. A client that resolves the host again when it connects
 * (HttpURLConnection, java.net.http) can be sent elsewhere by a DNS answer that changes between the check and the connect
 * (DNS rebinding); here the host is resolved once per hop, every address is checked, and the socket is opened to one of
 * those {@link InetAddress}es. The Host header, TLS SNI and certificate hostname verification still use the host name.
 */
final class PinnedHttpClient {
    static final int MAX_REDIRECTS = 5;
    private static final int MAX_HEADER_BYTES = 64 * 1024;

    /** Returns why an address is refused, or null; {@link AddressGuard#refusal} outside tests. */
    interface AddressCheck {
        String refusal(InetAddress address);
    }

    private final ImageLoader.Resolver resolver;
    private final AddressCheck check;
    private final SSLSocketFactory tls;

    PinnedHttpClient(ImageLoader.Resolver resolver, AddressCheck check, SSLSocketFactory tls) {
        this.resolver = resolver;
        this.check = check;
        this.tls = tls;
    }

    /** The 200 answer to GET {@code uri}, following at most {@link #MAX_REDIRECTS} redirects, each checked anew. */
    ImageLoader.Fetched get(URI uri, ImageLoader.Limits limits) throws IOException {
        URI current = uri;
        for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
            Response response = exchange(current, limits);
            if (response.status >= 300 && response.status < 400) {
                String location = response.headers.get("location");
                if (location == null) {
                    throw new ImageLoadException(ImageFailure.HTTP_STATUS, "HTTP " + response.status + " without a Location header from [" + current + "]");
                }
                current = current.resolve(location.strip());
                String scheme = current.getScheme() == null ? "" : current.getScheme().toLowerCase(Locale.ROOT);
                if (scheme.equals("http") == false && scheme.equals("https") == false) {
                    throw new ImageLoadException(ImageFailure.INVALID, "redirect to unsupported scheme [" + current + "]");
                }
                continue;
            }
            if (response.status == 200) {
                return new ImageLoader.Fetched(response.body, current, response.headers.get("content-type"));
            }
            throw new ImageLoader.HttpStatusException(response.status, current);
        }
        throw new ImageLoadException(ImageFailure.HTTP_STATUS, "more than " + MAX_REDIRECTS + " redirects from [" + uri + "]");
    }

    private record Response(int status, Map<String, String> headers, byte[] body) {}

    private Response exchange(URI uri, ImageLoader.Limits limits) throws IOException {
        String host = uri.getHost();
        if (host == null || host.isEmpty()) {
            throw new ImageLoadException(ImageFailure.INVALID, "URL without a host [" + uri + "]");
        }
        boolean https = "https".equalsIgnoreCase(uri.getScheme());
        // URI keeps the brackets of an IPv6 literal; the resolver, SNI and certificate check want the bare address
        String bareHost = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        int port = uri.getPort() == -1 ? (https ? 443 : 80) : uri.getPort();
        InetAddress[] addresses = checkedAddresses(uri, bareHost, limits);
        try (Socket socket = connect(addresses, port, limits)) {
            socket.setSoTimeout(limits.readTimeoutMillis());
            Socket channel = https ? startTls(socket, bareHost, port) : socket;
            try {
                sendRequest(channel.getOutputStream(), uri, host, port, https);
                return readResponse(new BufferedInputStream(channel.getInputStream()), limits.maxBytes());
            } finally {
                if (channel != socket) {
                    channel.close();
                }
            }
        }
    }

    private InetAddress[] checkedAddresses(URI uri, String host, ImageLoader.Limits limits) throws IOException {
        InetAddress[] addresses = resolver.resolve(host);
        if (addresses == null || addresses.length == 0) {
            throw new java.net.UnknownHostException("[" + host + "] has no address");
        }
        if (limits.allowPrivateAddresses() == false) {
            // every address, not only the first: a client must not get to choose the one the guard did not look at
            for (InetAddress address : addresses) {
                String refusal = check.refusal(address);
                if (refusal != null) {
                    throw new ImageLoadException(
                        ImageFailure.BLOCKED_ADDRESS,
                        "refused to fetch [" + uri + "]: [" + host + "] resolves to " + address.getHostAddress() + ", a " + refusal
                            + " (clip.fetch.allow_private_addresses is false)"
                    );
                }
            }
        }
        return addresses;
    }

    private static Socket connect(InetAddress[] addresses, int port, ImageLoader.Limits limits) throws IOException {
        IOException last = null;
        for (InetAddress address : addresses) {
            Socket socket = new Socket();
            try {
                socket.connect(new InetSocketAddress(address, port), limits.connectTimeoutMillis());
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

    private static Response readResponse(InputStream in, long maxBytes) throws IOException {
        String statusLine = readLine(in);
        String[] parts = statusLine.split(" ", 3);
        if (parts.length < 2 || parts[0].startsWith("HTTP/1.") == false) {
            throw new IOException("not an HTTP/1.x response: [" + statusLine + "]");
        }
        int status;
        try {
            status = Integer.parseInt(parts[1]);
        } catch (NumberFormatException e) {
            throw new IOException("bad HTTP status line [" + statusLine + "]");
        }
        Map<String, String> headers = new HashMap<>();
        int headerBytes = 0;
        for (String line = readLine(in); line.isEmpty() == false; line = readLine(in)) {
            headerBytes += line.length();
            if (headerBytes > MAX_HEADER_BYTES) {
                throw new IOException("HTTP headers longer than " + MAX_HEADER_BYTES + " bytes");
            }
            int colon = line.indexOf(':');
            if (colon > 0) {
                headers.put(line.substring(0, colon).strip().toLowerCase(Locale.ROOT), line.substring(colon + 1).strip());
            }
        }
        if (status != 200) {
            return new Response(status, headers, new byte[0]);
        }
        String transferEncoding = headers.getOrDefault("transfer-encoding", "").toLowerCase(Locale.ROOT);
        byte[] body;
        if (transferEncoding.contains("chunked")) {
            body = readChunked(in, maxBytes);
        } else if (headers.containsKey("content-length")) {
            long length;
            try {
                length = Long.parseLong(headers.get("content-length"));
            } catch (NumberFormatException e) {
                throw new IOException("bad Content-Length [" + headers.get("content-length") + "]");
            }
            ImageLoader.tooLarge(length, maxBytes);
            body = in.readNBytes((int) length);
            if (body.length < length) {
                throw new IOException("connection closed after " + body.length + " of " + length + " bytes");
            }
        } else {
            body = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
            ImageLoader.tooLarge(body.length, maxBytes);
        }
        return new Response(status, headers, body);
    }

    private static byte[] readChunked(InputStream in, long maxBytes) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (true) {
            String sizeLine = readLine(in);
            int semicolon = sizeLine.indexOf(';');
            long size;
            try {
                size = Long.parseLong((semicolon >= 0 ? sizeLine.substring(0, semicolon) : sizeLine).strip(), 16);
            } catch (NumberFormatException e) {
                throw new IOException("bad chunk size [" + sizeLine + "]");
            }
            if (size == 0) {
                return body.toByteArray();
            }
            ImageLoader.tooLarge(body.size() + size, maxBytes);
            byte[] chunk = in.readNBytes((int) size);
            if (chunk.length < size) {
                throw new IOException("connection closed inside a chunk");
            }
            body.write(chunk);
            readLine(in);
        }
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b == -1) {
                throw new IOException("connection closed before the end of the HTTP headers");
            }
            if (line.size() > MAX_HEADER_BYTES) {
                throw new IOException("HTTP header line longer than " + MAX_HEADER_BYTES + " bytes");
            }
            if (b != '\r') {
                line.write(b);
            }
        }
        return line.toString(StandardCharsets.ISO_8859_1);
    }
}
