package org.opensearch.cliphybrid.model;

import org.opensearch.cliphybrid.testing.SharedFixtures;
import org.opensearch.common.unit.TimeValue;
import org.opensearch.test.OpenSearchTestCase;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * Models that are no folder of the node come from the registry's source (the cluster's registered models): loaded like a
 * folder, outranked by a folder of the same name, and dropped once the source says they are no longer registered.
 */
public class RegisteredSourceTests extends OpenSearchTestCase {
    private final AtomicLong clock = new AtomicLong(1_000_000_000L);

    /** A source with one registered model, a copy of mini-clip, which a test can unregister. */
    private static final class OneModel implements ModelRegistry.Source {
        final String name;
        final Path folder;
        volatile boolean registered = true;
        final AtomicInteger fetches = new AtomicInteger();
        final List<String> checks = new ArrayList<>();
        final List<Path> dropped = new ArrayList<>();

        OneModel(String name, Path folder) {
            this.name = name;
            this.folder = folder;
        }

        @Override
        public Path folder(String asked) {
            if (asked.equals(name) == false || registered == false) {
                return null;
            }
            fetches.incrementAndGet();
            return folder;
        }

        @Override
        public void checkStillRegistered(String asked, Path served, Runnable gone) {
            checks.add(asked);
            // the real source asks the cluster on the generic pool; answering at once keeps the test's order fixed
            if (registered == false || served.equals(folder) == false) {
                gone.run();
            }
        }

        @Override
        public void dropped(String asked, Path served) {
            dropped.add(served);
        }
    }

    private static Path copyOfMiniClip(Path into) throws Exception {
        Path source = SharedFixtures.miniClip();
        try (Stream<Path> files = Files.walk(source)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Path target = into.resolve(source.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(f, target);
                }
            }
        }
        return into;
    }

    private ModelRegistry registry(Path models, OneModel source) {
        ModelRegistry registry = new ModelRegistry(models, false, TimeValue.timeValueSeconds(60), clock::get,
            folder -> DjlRuntime.call(() -> ClipModel.load(folder, 1)));
        registry.registeredModels(source, TimeValue.timeValueSeconds(10));
        return registry;
    }

    public void testARegisteredModelLoadsAndIsDroppedOnceUnregistered() throws Exception {
        Path models = createTempDir();
        OneModel source = new OneModel("uploaded", copyOfMiniClip(createTempDir().resolve("cache")));
        try (ModelRegistry registry = registry(models, source)) {
            ClipModel model = registry.get("uploaded");
            assertEquals(256, model.dimension());
            assertTrue(registry.isRegistered("uploaded"));
            assertSame(model, registry.get("uploaded"));
            assertEquals("loaded once, fetched once", 1, source.fetches.get());
            assertEquals("no check inside the interval", List.of(), source.checks);

            source.registered = false;
            clock.addAndGet(TimeUnit.SECONDS.toNanos(11));
            // this use still gets the model (the check runs beside it); the next one finds it gone
            assertSame(model, registry.get("uploaded"));
            assertEquals(List.of("uploaded"), source.checks);
            assertNull(registry.ifLoaded("uploaded"));
            assertEquals("the source may remove its copy", List.of(source.folder), source.dropped);
            IllegalArgumentException gone = expectThrows(IllegalArgumentException.class, () -> registry.get("uploaded"));
            assertTrue(gone.getMessage(), gone.getMessage().startsWith("unknown CLIP model [uploaded]: no such folder under <config>/clip-models"
                + " and no model of that name registered"));
            expectThrows(IllegalStateException.class, () -> model.embedTexts(List.of("a dog")));
        }
    }

    public void testAFolderOfTheSameNameWins() throws Exception {
        Path models = createTempDir();
        copyOfMiniClip(models.resolve("same"));
        OneModel source = new OneModel("same", copyOfMiniClip(createTempDir().resolve("cache")));
        try (ModelRegistry registry = registry(models, source)) {
            registry.get("same");
            assertEquals("the source is not asked for a folder model", 0, source.fetches.get());
            assertFalse(registry.isRegistered("same"));
            assertFalse("drop never touches a folder model", registry.drop("same", null));
            assertEquals(List.of(), source.dropped);
            assertNotNull(registry.ifLoaded("same"));
        }
    }

    public void testAFailedFetchIsRememberedWithoutFetchingAgain() throws Exception {
        AtomicInteger fetches = new AtomicInteger();
        ModelRegistry.Source damaged = new ModelRegistry.Source() {
            @Override
            public Path folder(String name) {
                fetches.incrementAndGet();
                throw new IllegalStateException("registered CLIP model [" + name + "] does not match its registration: file [x] is missing");
            }

            @Override
            public void checkStillRegistered(String name, Path folder, Runnable gone) {}
        };
        try (ModelRegistry registry = new ModelRegistry(createTempDir(), false, TimeValue.timeValueSeconds(60), clock::get, folder -> {
            throw new AssertionError("nothing to load");
        })) {
            registry.registeredModels(damaged, TimeValue.timeValueSeconds(10));
            IllegalStateException first = expectThrows(IllegalStateException.class, () -> registry.get("damaged"));
            assertTrue(first.getMessage(), first.getMessage().contains("file [x] is missing"));
            clock.addAndGet(TimeUnit.SECONDS.toNanos(5));
            IllegalStateException second = expectThrows(IllegalStateException.class, () -> registry.get("damaged"));
            assertTrue(second.getMessage(), second.getMessage().startsWith("CLIP model [damaged] failed to load 5s ago: "));
            assertEquals("a fetch reads the whole model: not again inside the window", 1, fetches.get());
            clock.addAndGet(TimeUnit.SECONDS.toNanos(60));
            expectThrows(IllegalStateException.class, () -> registry.get("damaged"));
            assertEquals(2, fetches.get());
        }
    }

    public void testAnUnknownNameIsNotRemembered() throws Exception {
        OneModel source = new OneModel("uploaded", createTempDir());
        try (ModelRegistry registry = registry(createTempDir(), source)) {
            IllegalArgumentException e = expectThrows(IllegalArgumentException.class, () -> registry.get("nope"));
            assertTrue(e.getMessage(), e.getMessage().contains("unknown CLIP model [nope]"));
            assertEquals(java.util.Map.of(), registry.failures());
            assertEquals(0, registry.loadAttempts());
        }
    }
}
