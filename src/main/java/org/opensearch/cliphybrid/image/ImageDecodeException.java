package org.opensearch.cliphybrid.image;

/**
 * Image bytes that cannot be turned into pixels. It is an {@link IllegalArgumentException} because the fault lies in
 * the input, so REST layers answer 400, not 500; the message is written for the person who sent the image.
 */
public class ImageDecodeException extends IllegalArgumentException {
    private final ImageFailure failure;

    public ImageDecodeException(String message) {
        this(ImageFailure.DECODE, message);
    }

    public ImageDecodeException(ImageFailure failure, String message) {
        super(message);
        this.failure = failure;
    }

    public ImageDecodeException(String message, Throwable cause) {
        super(message, cause);
        this.failure = ImageFailure.DECODE;
    }

    /** {@link ImageFailure#DECODE}, or {@link ImageFailure#TOO_LARGE} for an image refused by its declared size. */
    public ImageFailure failure() {
        return failure;
    }
}
