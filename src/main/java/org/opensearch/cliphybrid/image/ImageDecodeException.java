package org.opensearch.cliphybrid.image;

/**
 * Image bytes that cannot be turned into pixels. It is an {@link IllegalArgumentException} because the fault lies in
 * the input, so REST layers answer 400, not 500; the message is written for the person who sent the image.
 */
public class ImageDecodeException extends IllegalArgumentException {
    public ImageDecodeException(String message) {
        super(message);
    }

    public ImageDecodeException(String message, Throwable cause) {
        super(message, cause);
    }
}
