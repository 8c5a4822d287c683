package org.opensearch.cliphybrid.ui;

import org.opensearch.cliphybrid.image.ImageLoader;
import org.opensearch.cliphybrid.image.ImageSource;

import java.io.IOException;
import java.util.function.Supplier;

/**
 * The image files the search page shows as thumbnails: files under {@code plugins.clip.images.path}, read through the same loader as
 * an image to embed, so under the same confinement (no {@code ..}, no symbolic link out of the folder) and byte cap.
 */
public final class ImageFiles {
    private final ImageLoader loader;
    private final Supplier<ImageLoader.Limits> limits;

    public ImageFiles(ImageLoader loader, Supplier<ImageLoader.Limits> limits) {
        this.loader = loader;
        this.limits = limits;
    }

    /** The bytes of the file at {@code path}, relative to {@code plugins.clip.images.path}. */
    public byte[] read(String path) throws IOException {
        return loader.load(new ImageSource.LocalFile(path), limits.get());
    }
}
