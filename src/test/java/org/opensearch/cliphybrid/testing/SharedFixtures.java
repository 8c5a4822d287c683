package org.opensearch.cliphybrid.testing;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The research-use fixtures that tests read from {@code ../shared} (never copied into the repo):
 * the mini-clip model, the real CLIP tokenizer and the Flickr8k test images.
 */
public final class SharedFixtures {
    private SharedFixtures() {}

    public static Path sharedDir() {
        Path dir = Path.of(System.getProperty("shared.dir", "../shared")).toAbsolutePath().normalize();
        if (Files.isDirectory(dir) == false) {
            throw new IllegalStateException(
                "test fixtures not found: expected the folder [" + dir + "] (set -Dshared.dir=... to point elsewhere)"
            );
        }
        return dir;
    }

    public static Path miniClip() {
        return existing(sharedDir().resolve("models/mini-clip-flickr8k"));
    }

    public static Path b32Shape() {
        return existing(sharedDir().resolve("models/clip-vit-b32-shape"));
    }

    /** Real configuration files of other CLIP-family exports, without weights. */
    public static Path familyConfigs() {
        return existing(sharedDir().resolve("models/family-configs"));
    }

    /** The real openai/clip-vit-base-patch32 tokenizer and configs. */
    public static Path clipTokenizer() {
        return existing(sharedDir().resolve("models/clip-vit-base-patch32-tokenizer"));
    }

    public static Path flickrDir() {
        return existing(sharedDir().resolve("datasets/flickr8k-test1000-224"));
    }

    public static Path flickrImages() {
        return existing(flickrDir().resolve("images"));
    }

    private static Path existing(Path p) {
        if (Files.exists(p) == false) {
            throw new IllegalStateException("test fixture missing: [" + p + "]");
        }
        return p;
    }
}
