package org.opensearch.cliphybrid.image;

import org.opensearch.cliphybrid.net.FetchException;
import org.opensearch.core.concurrency.OpenSearchRejectedExecutionException;

import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.file.NoSuchFileException;
import java.util.Locale;

/** Why an image could not be turned into pixels, in the few words the stats API counts failures by. */
public enum ImageFailure {
    TOO_LARGE,
    TIMEOUT,
    DECODE,
    BLOCKED_ADDRESS,
    NOT_FOUND,
    HTTP_STATUS,
    NETWORK,
    REJECTED,
    INVALID,
    /** Anything else, such as a failure inside the model. */
    ERROR;

    /** The name the stats API shows, such as {@code too_large}. */
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Classifies any exception met on the way from a reference to pixels; the first classifiable cause wins. */
    public static ImageFailure of(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof ImageLoadException load) {
                return load.failure();
            }
            if (t instanceof FetchException fetch) {
                return of(fetch.kind());
            }
            if (t instanceof ImageDecodeException decode) {
                return decode.failure();
            }
            if (t instanceof OpenSearchRejectedExecutionException) {
                return REJECTED;
            }
            if (t instanceof SocketTimeoutException) {
                return TIMEOUT;
            }
            if (t instanceof UnknownHostException || t instanceof NoSuchFileException) {
                return NOT_FOUND;
            }
            if (t instanceof java.io.IOException) {
                return NETWORK;
            }
        }
        return ERROR;
    }

    private static ImageFailure of(FetchException.Kind kind) {
        return switch (kind) {
            case TOO_LARGE -> TOO_LARGE;
            case TIMEOUT -> TIMEOUT;
            case BLOCKED_ADDRESS -> BLOCKED_ADDRESS;
            case NOT_FOUND -> NOT_FOUND;
            case HTTP_STATUS -> HTTP_STATUS;
            case NETWORK -> NETWORK;
            case INVALID -> INVALID;
        };
    }
}
