package org.opensearch.cliphybrid.net;

/**
 * A URL that cannot be fetched or whose answer is refused. It is an {@link IllegalArgumentException} because the fault lies in
 * the URL or what it points at (REST answers 400), and it carries the kind of failure, which callers count or act on.
 */
public class FetchException extends IllegalArgumentException {
    /** Why the fetch failed. */
    public enum Kind {
        TOO_LARGE,
        TIMEOUT,
        BLOCKED_ADDRESS,
        NOT_FOUND,
        HTTP_STATUS,
        NETWORK,
        INVALID
    }

    private final Kind kind;

    public FetchException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
