package org.opensearch.cliphybrid.image;

/**
 * An image that cannot be read, fetched or accepted. It is an {@link IllegalArgumentException} because the fault lies in the
 * reference or what it points at (REST answers 400), and it carries the kind of failure for the stats API.
 */
public class ImageLoadException extends IllegalArgumentException {
    private final ImageFailure failure;

    public ImageLoadException(ImageFailure failure, String message) {
        super(message);
        this.failure = failure;
    }

    public ImageFailure failure() {
        return failure;
    }
}
