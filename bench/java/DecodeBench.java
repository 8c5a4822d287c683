import org.opensearch.cliphybrid.image.ImageDecoder;
import org.opensearch.cliphybrid.model.ModelFolder;
import org.opensearch.cliphybrid.model.image.ClipImagePreprocessor;

import javax.imageio.ImageIO;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.lang.management.ManagementFactory;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * What decoding costs next to a plain decoder, on the same bytes, one thread: {@code ImageIO.read} (the plain decoder),
 * the plugin's {@code ImageDecoder.decode}, and its {@code ClipImagePreprocessor.preprocess} on the decoded image.
 * The bytes are read into memory first; each variant runs over all images several rounds, alternating, and the best
 * round is reported (ms per image, wall and thread CPU), so that a loaded machine skews it less.
 *
 * <p>{@code java -cp target/classes:$(cat cp.txt) bench/java/DecodeBench.java --model DIR --images DIR [--limit N] [--rounds R]}
 */
public final class DecodeBench {
    private static final long MAX_PIXELS = 40_000_000L;

    /** The JDK's own JPEG reader (module java.desktop), whatever else is registered: what TwelveMonkeys delegates to. */
    private static BufferedImage jdkRead(byte[] bytes) throws Exception {
        var readers = ImageIO.getImageReadersByFormatName("jpeg");
        while (readers.hasNext()) {
            var reader = readers.next();
            if (reader.getClass().getModule() == ImageIO.class.getModule()) {
                try (var in = new javax.imageio.stream.MemoryCacheImageInputStream(new ByteArrayInputStream(bytes))) {
                    reader.setInput(in, true, true);
                    return reader.read(0);
                } finally {
                    reader.dispose();
                }
            }
        }
        throw new IllegalStateException("no JDK jpeg reader");
    }

    public static void main(String[] args) throws Exception {
        Path modelDir = null;
        Path imagesDir = null;
        int limit = 1000;
        int rounds = 5;
        int threadCount = 1;
        for (int i = 0; i < args.length; i += 2) {
            switch (args[i]) {
                case "--model" -> modelDir = Path.of(args[i + 1]);
                case "--images" -> imagesDir = Path.of(args[i + 1]);
                case "--limit" -> limit = Integer.parseInt(args[i + 1]);
                case "--rounds" -> rounds = Integer.parseInt(args[i + 1]);
                case "--threads" -> threadCount = Integer.parseInt(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        ModelFolder folder = ModelFolder.open(modelDir.getFileName().toString(), modelDir, false);
        ClipImagePreprocessor preprocessor = ClipImagePreprocessor.fromConfig(folder.preprocessorSettings());
        List<byte[]> images = new ArrayList<>();
        try (Stream<Path> list = Files.list(imagesDir)) {
            for (Path p : list.filter(p -> p.toString().endsWith(".jpg")).sorted().limit(limit).toList()) {
                images.add(Files.readAllBytes(p));
            }
        }
        List<BufferedImage> decoded = new ArrayList<>();
        for (byte[] b : images) {
            decoded.add(ImageDecoder.decode(b, MAX_PIXELS));
        }
        if (threadCount > 1) {
            parallel(images, preprocessor, threadCount, rounds);
            return;
        }
        FloatBuffer out = FloatBuffer.allocate(preprocessor.size());
        var threads = ManagementFactory.getThreadMXBean();
        String[] names = { "ImageIO.read (plain)", "JDK jpeg reader", "ImageDecoder.decode", "preprocess", "decode+preprocess" };
        double[] bestWall = new double[names.length];
        double[] bestCpu = new double[names.length];
        java.util.Arrays.fill(bestWall, Double.MAX_VALUE);
        java.util.Arrays.fill(bestCpu, Double.MAX_VALUE);
        long sink = 0;
        for (int r = 0; r < rounds + 1; r++) {
            for (int v = 0; v < names.length; v++) {
                long cpu0 = threads.getCurrentThreadCpuTime();
                long t0 = System.nanoTime();
                for (int i = 0; i < images.size(); i++) {
                    switch (v) {
                        case 0 -> sink += ImageIO.read(new ByteArrayInputStream(images.get(i))).getWidth();
                        case 1 -> sink += jdkRead(images.get(i)).getWidth();
                        case 2 -> sink += ImageDecoder.decode(images.get(i), MAX_PIXELS).getWidth();
                        case 3 -> {
                            preprocessor.preprocess(decoded.get(i), out);
                            sink += Float.floatToIntBits(out.get(7));
                        }
                        default -> {
                            preprocessor.preprocess(ImageDecoder.decode(images.get(i), MAX_PIXELS), out);
                            sink += Float.floatToIntBits(out.get(7));
                        }
                    }
                }
                double wall = (System.nanoTime() - t0) / 1e6 / images.size();
                double cpu = (threads.getCurrentThreadCpuTime() - cpu0) / 1e6 / images.size();
                if (r > 0) { // round 0 warms up
                    bestWall[v] = Math.min(bestWall[v], wall);
                    bestCpu[v] = Math.min(bestCpu[v], cpu);
                }
            }
        }
        System.out.printf("%d images, %d rounds (best shown), load %s, sink %d%n", images.size(), rounds,
            Files.readString(Path.of("/proc/loadavg")).split(" ")[0], sink & 1);
        System.out.printf("%-24s %10s %10s %8s%n", "variant", "wall ms", "cpu ms", "x plain");
        for (int v = 0; v < names.length; v++) {
            System.out.printf("%-24s %10.3f %10.3f %8.2f%n", names[v], bestWall[v], bestCpu[v], bestCpu[v] / bestCpu[0]);
        }
    }

    /**
     * As the node's fetch pool does: {@code n} threads decode and preprocess at once. Reports the process CPU per image
     * (which contention between the threads would raise) and the wall time per image one thread sees (which sharing
     * the cores raises, and which is what the node's decode stage measures).
     */
    private static void parallel(List<byte[]> images, ClipImagePreprocessor preprocessor, int n, int rounds) throws Exception {
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        for (int r = 0; r < rounds + 1; r++) {
            var next = new java.util.concurrent.atomic.AtomicInteger();
            var decodeWall = new java.util.concurrent.atomic.AtomicLong();
            long cpu0 = os.getProcessCpuTime();
            long t0 = System.nanoTime();
            List<Thread> workers = new ArrayList<>();
            for (int t = 0; t < n; t++) {
                workers.add(Thread.ofPlatform().start(() -> {
                    FloatBuffer out = FloatBuffer.allocate(preprocessor.size());
                    for (int i; (i = next.getAndIncrement()) < images.size();) {
                        long s0 = System.nanoTime();
                        preprocessor.preprocess(ImageDecoder.decode(images.get(i), MAX_PIXELS), out);
                        decodeWall.addAndGet(System.nanoTime() - s0);
                    }
                }));
            }
            for (Thread w : workers) {
                w.join();
            }
            double wall = (System.nanoTime() - t0) / 1e6;
            System.out.printf("round %d, %d threads: %.1f img/s, process CPU %.3f ms/img, decode+preprocess %.3f ms/img as one thread sees it%n",
                r, n, images.size() / wall * 1000, (os.getProcessCpuTime() - cpu0) / 1e6 / images.size(),
                decodeWall.get() / 1e6 / images.size());
        }
    }
}
