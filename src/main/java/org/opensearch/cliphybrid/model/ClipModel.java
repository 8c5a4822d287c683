package org.opensearch.cliphybrid.model;

import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.translate.NoopTranslator;
import ai.djl.util.PairList;
import ai.onnxruntime.OrtSession;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.opensearch.cliphybrid.model.image.ClipImagePreprocessor;
import org.opensearch.cliphybrid.model.text.TextTokenizer;

import java.awt.image.BufferedImage;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * One loaded CLIP model: its tokenizer, image preprocessor and the two ONNX Runtime sessions. It turns texts and
 * preprocessed images into L2-normalised embeddings. Thread-safe; callers choose the thread (see the inference package).
 * <p>
 * Every call holds a read lock for as long as it uses the natives, and {@link #close} frees them under the write lock: freeing
 * an ONNX Runtime session while a thread is inside it is a use-after-free that takes the whole JVM down.
 */
public final class ClipModel implements Closeable {
    private static final Logger logger = LogManager.getLogger(ClipModel.class);
    private static final String ENGINE = "OnnxRuntime";
    /** Idle image buffers kept for reuse (600 KB each at 224x224): about as many as images in preparation at once. */
    private static final int SPARE_IMAGE_BUFFERS = 16;
    /** Idle batch buffers kept: one per inference thread that is usually busy; larger batches of a burst are freed. */
    private static final int SPARE_BATCH_BUFFERS = 2;
    /** How long {@link #close()} waits for running calls; node shutdown should not hang on a stuck one. */
    public static final long CLOSE_WAIT_MILLIS = 30_000;

    private final ModelFolder folder;
    private final TextTokenizer tokenizer;
    private final float[] cosineBand;
    private final ClipImagePreprocessor preprocessor;
    private final ZooModel<NDList, NDList> text;
    private final ZooModel<NDList, NDList> vision;
    private final String textInput;
    private final boolean textTakesAttentionMask;
    /** OpenCLIP exports fix the batch at one item: a batch is then run one item at a time. */
    private final boolean textOneAtATime;
    private final String visionInput;
    private final boolean visionOneAtATime;
    private final int dimension;
    private final long loadMillis;
    /** Wall-clock time the load ended, for GET _plugins/clip/models' per-node state. */
    private final long loadedAtMillis;
    private final String fingerprint;
    private final DirectFloatPool imageBuffers = new DirectFloatPool(SPARE_IMAGE_BUFFERS);
    private final DirectFloatPool batchBuffers = new DirectFloatPool(SPARE_BATCH_BUFFERS);
    private final ReentrantReadWriteLock calls = new ReentrantReadWriteLock();
    private volatile boolean closed;
    /** Set under the write lock; natives are freed exactly once, by close or by the last call it gave up waiting for. */
    private volatile boolean freed;

    private ClipModel(
        ModelFolder folder,
        TextTokenizer tokenizer,
        ClipImagePreprocessor preprocessor,
        ZooModel<NDList, NDList> text,
        ZooModel<NDList, NDList> vision,
        String fingerprint,
        long startNanos
    ) throws Exception {
        this.folder = folder;
        this.fingerprint = fingerprint;
        this.cosineBand = folder.cosineBand();
        this.tokenizer = tokenizer;
        this.preprocessor = preprocessor;
        this.text = text;
        this.vision = vision;
        this.textInput = input(folder, folder.text(), text);
        this.textTakesAttentionMask = inputNames(text).contains("attention_mask");
        this.textOneAtATime = batchOfOne(folder, folder.text(), textInput);
        this.visionInput = input(folder, folder.vision(), vision);
        this.visionOneAtATime = batchOfOne(folder, folder.vision(), visionInput);
        // the graph, not a constant or the config, says how long the vectors are; one pass through each tower also warms them up
        int textDim = runText(List.of(tokenizer.encode("")))[0].length;
        int visionDim = runVision(List.of(new float[preprocessor.channels() * preprocessor.height() * preprocessor.width()]))[0].length;
        if (textDim != visionDim) {
            throw new IllegalArgumentException(
                "CLIP model [" + folder.name() + "]: text embeddings have " + textDim + " dimensions but image embeddings " + visionDim
            );
        }
        this.dimension = textDim;
        this.loadMillis = (System.nanoTime() - startNanos) / 1_000_000;
        this.loadedAtMillis = System.currentTimeMillis();
    }

    /** Loads both towers on the CPU; must run inside {@link DjlRuntime#call}. */
    public static ClipModel load(ModelFolder folder, int intraOpThreads) throws Exception {
        return load(folder, OrtThreads.intraOp(intraOpThreads), InferenceDevice.CPU);
    }

    /**
     * Loads both towers on {@code device}; must run inside {@link DjlRuntime#call}. Every config file is read and checked
     * before anything native exists, and whatever native was loaded is closed again when a later step fails.
     */
    public static ClipModel load(ModelFolder folder, OrtThreads threads, InferenceDevice device) throws Exception {
        device.checkAvailable();
        long start = System.nanoTime();
        ClipImagePreprocessor preprocessor = preprocessor(folder);
        // read before the sessions open: the files are then in the page cache for ONNX Runtime
        String fingerprint = ModelFingerprint.of(folder);
        List<AutoCloseable> opened = new ArrayList<>(3);
        try {
            TextTokenizer tokenizer = tokenizer(folder);
            opened.add(tokenizer);
            ZooModel<NDList, NDList> text = session(folder, folder.textModel(), threads, device);
            opened.add(text);
            ZooModel<NDList, NDList> vision = session(folder, folder.visionModel(), threads, device);
            opened.add(vision);
            return new ClipModel(folder, tokenizer, preprocessor, text, vision, fingerprint, start);
        } catch (Exception | Error e) {
            closeAll(opened, e);
            throw e;
        }
    }

    private static ClipImagePreprocessor preprocessor(ModelFolder folder) {
        // a syntax error or a value another family's file cannot state names the file already
        Map<String, Object> settings = folder.preprocessorSettings();
        try {
            return ClipImagePreprocessor.fromConfig(settings);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                "CLIP model [" + folder.name() + "]: invalid image preprocessing in [" + folder.display(folder.preprocessorConfig()) + "]: "
                    + e.getMessage()
            );
        }
    }

    private static TextTokenizer tokenizer(ModelFolder folder) {
        try {
            return TextTokenizer.load(folder.tokenizer());
        } catch (Exception e) {
            // the tokenizers library may quote the file's absolute path, and a cause reaches the client too: both go to the log
            logger.warn("CLIP model [" + folder.name() + "]: cannot load the tokenizer [" + folder.tokenizer().file() + "]", e);
            throw new IllegalArgumentException(
                "CLIP model [" + folder.name() + "]: [" + folder.display(folder.tokenizer().file()) + "] is not a Hugging Face tokenizer: "
                    + folder.redact(e.getMessage())
            );
        }
    }

    /**
     * One ONNX Runtime session. Built by hand rather than through {@code Criteria}: DJL's model loader leaves the half-made
     * model (its NDManager, under the engine's) open when the graph does not load.
     */
    private static ZooModel<NDList, NDList> session(ModelFolder folder, Path onnx, OrtThreads threads, InferenceDevice device)
        throws Exception {
        String file = onnx.getFileName().toString();
        String graph = file.endsWith(".onnx") ? file.substring(0, file.length() - ".onnx".length()) : file;
        Map<String, Object> options = new HashMap<>();
        // several inference threads each run one session call; one inter-op thread avoids oversubscribing the cores
        options.put("interOpNumThreads", "1");
        if (threads.intraOp() > 0) {
            options.put("intraOpNumThreads", Integer.toString(threads.intraOp()));
        }
        // DJL's option names stop at the thread counts: the spinning switch is a session config entry of ONNX Runtime's own,
        // on options DJL then takes as the session's base. The session copies them when it is made, and DJL closes only its
        // own, so these are closed here once the session exists.
        OrtSession.SessionOptions sessionOptions = null;
        if (threads.spinning() == false) {
            sessionOptions = new OrtSession.SessionOptions();
            sessionOptions.addConfigEntry("session.intra_op.allow_spinning", "0");
            options.put("sessionOptions", sessionOptions);
        }
        // a GPU device makes DJL add ONNX Runtime's CUDA execution provider to the session
        Model model = Model.newInstance(graph, device.djlDevice(), ENGINE);
        try {
            model.load(onnx.getParent(), graph, options);
            return new ZooModel<>(model, new NoopTranslator());
        } catch (Exception | Error e) {
            model.close();
            if (e instanceof MalformedModelException || e instanceof IOException) {
                logger.warn("CLIP model [" + folder.name() + "]: ONNX Runtime cannot load [" + onnx + "]", e);
                throw new IllegalArgumentException(
                    "CLIP model [" + folder.name() + "]: ONNX Runtime cannot load [" + folder.display(onnx) + "]: "
                        + folder.redact(rootMessage(e))
                );
            }
            throw e;
        } finally {
            if (sessionOptions != null) {
                sessionOptions.close();
            }
        }
    }

    private static String rootMessage(Throwable e) {
        StringBuilder out = new StringBuilder(String.valueOf(e.getMessage()));
        for (Throwable c = e.getCause(); c != null && c != c.getCause(); c = c.getCause()) {
            if (c.getMessage() != null && out.indexOf(c.getMessage()) < 0) {
                out.append(": ").append(c.getMessage());
            }
        }
        return out.toString();
    }

    private static void closeAll(List<AutoCloseable> opened, Throwable failure) {
        for (int i = opened.size() - 1; i >= 0; i--) {
            try {
                opened.get(i).close();
            } catch (Exception | Error e) {
                failure.addSuppressed(e);
            }
        }
    }

    private static List<String> inputNames(Model model) {
        PairList<String, Shape> inputs = model.describeInput();
        return inputs == null ? List.of() : inputs.keys();
    }

    /** The first of the layout's candidate input names that the graph has. */
    private static String input(ModelFolder folder, TowerSpec tower, Model model) {
        List<String> names = inputNames(model);
        for (String candidate : tower.inputs()) {
            if (names.contains(candidate)) {
                return candidate;
            }
        }
        throw new IllegalArgumentException(
            "CLIP model [" + folder.name() + "]: [" + folder.display(tower.onnx()) + "] has no input " + tower.inputs() + ", only " + names
        );
    }

    /** Whether the graph fixes the input's batch at one, as Immich's exports do; the runtime's description has no shapes. */
    private static boolean batchOfOne(ModelFolder folder, TowerSpec tower, String input) {
        try {
            return OnnxProtobuf.firstDimensions(tower.onnx()).getOrDefault(input, -1L) == 1L;
        } catch (IOException e) {
            throw new IllegalArgumentException("CLIP model [" + folder.name() + "]: cannot read [" + folder.display(tower.onnx()) + "]: " + e.getMessage());
        }
    }

    public String name() {
        return folder.name();
    }

    public ModelFolder folder() {
        return folder;
    }

    public int dimension() {
        return dimension;
    }

    public long loadMillis() {
        return loadMillis;
    }

    /** When the load ended, in milliseconds since the epoch. */
    public long loadedAtMillis() {
        return loadedAtMillis;
    }

    /** SHA-256 of the files that decide the model's vectors ({@link ModelFingerprint}). */
    public String fingerprint() {
        return fingerprint;
    }

    public ClipImagePreprocessor preprocessor() {
        return preprocessor;
    }

    /** The model's own cosine band for clip_hybrid, read once at load; null when the folder states none. */
    public float[] cosineBand() {
        return cosineBand == null ? null : cosineBand.clone();
    }

    /** How many pieces the tokenizer cuts {@code word} into: a word the vocabulary holds whole is one. */
    public int pieces(String word) {
        return tokenizer.pieces(word);
    }

    /** Refuses, naming the model and the field, a language its text tower does not read. */
    public void checkLanguage(String language) {
        Set<String> languages = tokenizer.languages();
        if (language == null || languages.contains(language)) {
            return;
        }
        if (languages.isEmpty()) {
            throw new IllegalArgumentException(
                "[language] [" + language + "]: CLIP model [" + name() + "] reads no language code; only NLLB text towers do"
            );
        }
        throw new IllegalArgumentException(
            "[language] [" + language + "] is not a language of CLIP model [" + name() + "]: its tokenizer has " + languages.size()
                + " FLORES-200 codes, such as " + String.join(", ", languages.stream().limit(5).toList())
        );
    }

    /** The FLORES-200 codes its text tower reads, sorted; empty for all but NLLB towers. */
    public Set<String> languages() {
        return tokenizer.languages();
    }

    public TextTokenizer tokenizer() {
        return tokenizer;
    }

    /** L2-normalised text embeddings, one per text, encoded as one batch padded to its longest member. */
    public float[][] embedTexts(List<String> texts) throws Exception {
        return embedTexts(texts, null);
    }

    /**
     * As {@link #embedTexts(List)}, the texts in {@code language}, a FLORES-200 code the model's tokenizer knows (NLLB text
     * towers); null: the tokenizer's own default.
     */
    public float[][] embedTexts(List<String> texts, String language) throws Exception {
        checkLanguage(language);
        return inFlight(() -> DjlRuntime.call(() -> {
            List<long[]> ids = new ArrayList<>(texts.size());
            for (String t : texts) {
                ids.add(tokenizer.encode(t, language));
            }
            return normalized(runText(ids));
        }));
    }

    /**
     * The {@code pixel_values} of one image in a pooled direct buffer, ready for {@link #embedPixels}: the image's share of
     * the batch never sits on the heap. Close the lease once the image has been embedded, which gives the buffer back.
     */
    public DirectFloatPool.Lease preprocess(BufferedImage image) {
        DirectFloatPool.Lease pixels = imageBuffers.acquire(preprocessor.size());
        try {
            preprocessor.preprocess(image, pixels.floats());
            return pixels;
        } catch (RuntimeException | Error e) {
            pixels.close();
            throw e;
        }
    }

    /** As {@link #embedPixels}, from heap arrays: for this package's tests, which compare with goldens; nodes never copy so. */
    float[][] embedImages(List<float[]> pixelValues) throws Exception {
        return embedPixels(wrapped(pixelValues));
    }

    /**
     * L2-normalised image embeddings of preprocessed images, each the {@code remaining()} floats of its buffer (such as
     * {@link #preprocess} fills). A lone image in a native-order direct buffer goes to ONNX Runtime as it is; a batch is
     * copied into one pooled direct buffer, which ONNX Runtime reads in place as well.
     */
    public float[][] embedPixels(List<FloatBuffer> pixelValues) throws Exception {
        return inFlight(() -> DjlRuntime.call(() -> normalized(runVisionBuffers(pixelValues))));
    }

    /** The warm-up's way in: heap arrays, as {@link #embedImages} takes them. */
    private float[][] runVision(List<float[]> pixelValues) throws Exception {
        return runVisionBuffers(wrapped(pixelValues));
    }

    private static List<FloatBuffer> wrapped(List<float[]> arrays) {
        List<FloatBuffer> buffers = new ArrayList<>(arrays.size());
        for (float[] one : arrays) {
            buffers.add(FloatBuffer.wrap(one));
        }
        return buffers;
    }

    private float[][] runText(List<long[]> ids) throws Exception {
        TextTokenizer.Batch batch = tokenizer.batch(ids);
        if (textOneAtATime && batch.ids().length > 1) {
            float[][] out = new float[batch.ids().length][];
            for (int i = 0; i < out.length; i++) {
                out[i] = runTextBatch(new long[][] { batch.ids()[i] }, new long[][] { batch.mask()[i] })[0];
            }
            return out;
        }
        return runTextBatch(batch.ids(), batch.mask());
    }

    private float[][] runTextBatch(long[][] ids, long[][] mask) throws Exception {
        int batch = ids.length;
        int length = ids[0].length;
        try (NDManager manager = text.getNDManager().newSubManager()) {
            NDList inputs = new NDList();
            inputs.add(idsTensor(manager, textInput, ids, batch, length));
            if (textTakesAttentionMask) {
                inputs.add(idsTensor(manager, "attention_mask", mask, batch, length));
            }
            return rows(predict(text, inputs), folder.text().output(), batch);
        }
    }

    /** Ids as the graph takes them: int64 from Hugging Face exports, int32 from OpenCLIP's. */
    private NDArray idsTensor(NDManager manager, String name, long[][] rows, int batch, int length) {
        NDArray array;
        Shape shape = new Shape(batch, length);
        if (folder.text().int32()) {
            int[] flat = new int[batch * length];
            for (int i = 0; i < batch; i++) {
                for (int j = 0; j < length; j++) {
                    flat[i * length + j] = Math.toIntExact(rows[i][j]);
                }
            }
            array = manager.create(flat, shape);
        } else {
            long[] flat = new long[batch * length];
            for (int i = 0; i < batch; i++) {
                System.arraycopy(rows[i], 0, flat, i * length, length);
            }
            array = manager.create(flat, shape);
        }
        array.setName(name);
        return array;
    }

    private float[][] runVisionBuffers(List<FloatBuffer> pixelValues) throws Exception {
        int batch = pixelValues.size();
        int c = preprocessor.channels(), h = preprocessor.height(), w = preprocessor.width();
        int per = c * h * w;
        for (int i = 0; i < batch; i++) {
            int values = pixelValues.get(i).remaining();
            if (values != per) {
                throw new IllegalArgumentException("pixel_values of image " + i + " has " + values + " values, expected " + per);
            }
        }
        if (batch == 0) {
            return new float[0][];
        }
        if (visionOneAtATime && batch > 1) {
            float[][] out = new float[batch][];
            for (int i = 0; i < batch; i++) {
                out[i] = runVisionBuffers(List.of(pixelValues.get(i)))[0];
            }
            return out;
        }
        FloatBuffer only = batch == 1 ? pixelValues.get(0) : null;
        if (only != null && only.isDirect() && only.order() == ByteOrder.nativeOrder()) {
            return runVisionTensor(only.slice(), batch);
        }
        try (DirectFloatPool.Lease lease = batchBuffers.acquire(Math.multiplyExact(batch, per))) {
            FloatBuffer flat = lease.floats();
            for (int i = 0; i < batch; i++) {
                FloatBuffer one = pixelValues.get(i);
                flat.put(i * per, one, one.position(), per);
            }
            return runVisionTensor(flat, batch);
        }
    }

    /** {@code flat} must stay unchanged until this returns: ONNX Runtime reads it in place (DJL hands a direct buffer on). */
    private float[][] runVisionTensor(FloatBuffer flat, int batch) throws Exception {
        try (NDManager manager = vision.getNDManager().newSubManager()) {
            Shape shape = new Shape(batch, preprocessor.channels(), preprocessor.height(), preprocessor.width());
            NDArray pixels = manager.create(flat, shape, DataType.FLOAT32);
            pixels.setName(visionInput);
            return rows(predict(vision, new NDList(pixels)), folder.vision().output(), batch);
        }
    }

    private NDList predict(ZooModel<NDList, NDList> model, NDList inputs) throws Exception {
        return inFlight(() -> {
            try (Predictor<NDList, NDList> predictor = model.newPredictor()) {
                return predictor.predict(inputs);
            }
        });
    }

    /**
     * Runs {@code body} with the natives held open: {@link #close} waits for it. Re-entrant, so a call may nest another; a
     * call that starts once close has begun fails with IllegalStateException.
     */
    <T> T inFlight(Callable<T> body) throws Exception {
        boolean nested = calls.getReadHoldCount() > 0;
        if (closed && nested == false) {
            throw closedException();
        }
        calls.readLock().lock();
        try {
            if (closed && nested == false) {
                throw closedException();
            }
            return body.call();
        } finally {
            calls.readLock().unlock();
            if (closed && nested == false) {
                freeIfIdle();
            }
        }
    }

    private IllegalStateException closedException() {
        return new IllegalStateException("CLIP model [" + folder.name() + "] is closed");
    }

    private float[][] rows(NDList outputs, String name, int batch) {
        NDArray embeds = outputs.get(name);
        if (embeds == null) {
            List<String> names = new ArrayList<>();
            outputs.forEach(a -> names.add(a.getName()));
            throw new IllegalArgumentException("CLIP model [" + folder.name() + "]: the graph has no output [" + name + "], only " + names);
        }
        Shape shape = embeds.getShape();
        if (shape.dimension() != 2 || shape.get(0) != batch) {
            throw new IllegalArgumentException("CLIP model [" + folder.name() + "]: output [" + name + "] has shape " + shape);
        }
        int dim = (int) shape.get(1);
        float[] flat = embeds.toFloatArray();
        float[][] out = new float[batch][dim];
        for (int i = 0; i < batch; i++) {
            System.arraycopy(flat, i * dim, out[i], 0, dim);
        }
        return out;
    }

    static float[][] normalized(float[][] vectors) {
        for (float[] v : vectors) {
            Vectors.normalise(v);
        }
        return vectors;
    }

    /** Refuses new calls, waits up to {@link #CLOSE_WAIT_MILLIS} for running ones, then frees the natives. */
    @Override
    public void close() {
        close(CLOSE_WAIT_MILLIS);
    }

    /**
     * As {@link #close()}, waiting up to {@code waitMillis}. Calls still running then keep the natives: the last of them frees
     * them as it ends, so that shutdown goes on without a crash and without a leak.
     */
    public void close(long waitMillis) {
        closed = true;
        boolean locked;
        try {
            locked = calls.writeLock().tryLock(waitMillis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            locked = false;
        }
        if (locked) {
            try {
                free();
            } finally {
                calls.writeLock().unlock();
            }
        } else {
            logger.warn(
                "CLIP model [{}]: {} call(s) still running after {} ms; its ONNX Runtime sessions are freed when the last of them ends",
                folder.name(),
                calls.getReadLockCount(),
                waitMillis
            );
            // the last call may have ended while this thread waited for the lock and found it taken
            freeIfIdle();
        }
    }

    private void freeIfIdle() {
        if (calls.getReadLockCount() == 0 && calls.writeLock().tryLock()) {
            try {
                free();
            } finally {
                calls.writeLock().unlock();
            }
        }
    }

    /** Must hold the write lock. */
    private void free() {
        if (freed) {
            return;
        }
        freed = true;
        List<AutoCloseable> natives = List.of(tokenizer, text, vision, imageBuffers, batchBuffers);
        RuntimeException failure = new IllegalStateException("CLIP model [" + folder.name() + "]: failed to free its natives");
        closeAll(natives, failure);
        if (failure.getSuppressed().length > 0) {
            logger.warn("CLIP model [" + folder.name() + "]: closing failed", failure);
        }
    }

    /** Whether the natives have been freed: only after close, and only when no call uses them. */
    boolean freed() {
        return freed;
    }
}
