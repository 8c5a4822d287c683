package org.opensearch.cliphybrid;

/** The words an error message shows for a cause: its message, or its class name when it has none (an NPE, an EOF). */
public final class ErrorReason {
    private ErrorReason() {}

    public static String of(Throwable cause) {
        return cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
    }
}
