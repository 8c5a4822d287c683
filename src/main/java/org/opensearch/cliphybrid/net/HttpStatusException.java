package org.opensearch.cliphybrid.net;

import java.net.URI;

/** A response other than 200 or a redirect; the harvester tells a missing robots.txt (4xx) from an unreachable one by it. */
public final class HttpStatusException extends FetchException {
    private final int status;

    HttpStatusException(int status, URI uri) {
        super(status == 404 || status == 410 ? Kind.NOT_FOUND : Kind.HTTP_STATUS, "HTTP " + status + " from [" + uri + "]");
        this.status = status;
    }

    public int status() {
        return status;
    }
}
