package org.opensearch.cliphybrid.model;

import org.opensearch.cliphybrid.testing.SharedFixtures;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** Model folders in a temp dir: mini-clip's files linked in, with one piece broken on purpose. */
final class BrokenModels {
    private BrokenModels() {}

    private static final String[] FILES = {
        "text_model.onnx",
        "vision_model.onnx",
        "tokenizer.json",
        "preprocessor_config.json",
        "config.json" };

    /** A folder {@code models/<name>} with every mini-clip file linked, except those in {@code replaced}, written instead. */
    static Path folder(Path models, String name, Map<String, byte[]> replaced) throws IOException {
        Path dir = Files.createDirectories(models.resolve(name));
        for (String file : FILES) {
            if (replaced.containsKey(file)) {
                if (replaced.get(file) != null) {
                    Files.write(dir.resolve(file), replaced.get(file));
                }
            } else {
                link(dir.resolve(file), SharedFixtures.miniClip().resolve(file));
            }
        }
        return dir;
    }

    /** A symbolic link; the test framework's temp dirs live on a wrapping file system, whose paths a link must use. */
    static void link(Path link, Path target) throws IOException {
        Files.createSymbolicLink(link, link.getFileSystem().getPath(target.toAbsolutePath().toString()));
    }

    /** Resources held by ONNX Runtime's engine-wide NDManager: every open DJL model holds one there until closed. */
    static int openOrtResources() throws Exception {
        Class<?> manager = Class.forName("ai.djl.onnxruntime.engine.OrtNDManager");
        Method system = manager.getDeclaredMethod("getSystemManager");
        system.setAccessible(true);
        Object systemManager = system.invoke(null);
        Field resources = Class.forName("ai.djl.ndarray.BaseNDManager").getDeclaredField("resources");
        resources.setAccessible(true);
        return ((Map<?, ?>) resources.get(systemManager)).size();
    }

    /** Fails when {@code message} shows any spelling of {@code dir}'s absolute path, or the name of a folder above the models. */
    static void assertNoAbsolutePath(String message, Path dir) throws IOException {
        for (String spelling : new String[] { dir.toString(), dir.toAbsolutePath().toString(), dir.toRealPath().toString() }) {
            if (message.contains(spelling)) {
                throw new AssertionError("message shows [" + spelling + "]: " + message);
            }
        }
        // e.g. the test runner's random temp folder names
        for (Path p = dir.toAbsolutePath(); p != null && p.getFileName() != null; p = p.getParent()) {
            String part = p.getFileName().toString();
            if (part.length() > 6 && message.contains(part)) {
                throw new AssertionError("message shows the folder name [" + part + "] of [" + dir + "]: " + message);
            }
        }
    }
}
