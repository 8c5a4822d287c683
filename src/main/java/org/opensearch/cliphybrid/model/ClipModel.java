package org.opensearch.cliphybrid.model;

import ai.djl.Model;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.util.PairList;

import org.opensearch.cliphybrid.model.image.ClipImagePreprocessor;
import org.opensearch.cliphybrid.model.text.ClipTokenizer;

import java.awt.image.BufferedImage;
import java.io.Closeable;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One loaded CLIP model: its tokenizer, image preprocessor and the two ONNX Runtime sessions. It turns texts and
 * preprocessed images into L2-normalised embeddings. Thread-safe; callers choose the thread (see the inference package).
 */
public final class ClipModel implements Closeable {
    private static final String ENGINE = "OnnxRuntime";
    /** Idle image buffers kept for reuse (600 KB each at 224x224): about as many as images in preparation at once. */
    private static final int SPARE_IMAGE_BUFFERS = 16;
    /** Idle batch buffers kept: one per inference thread that is usually busy; larger batches of a burst are freed. */
    private static final int SPARE_BATCH_BUFFERS = 2;

    private final ModelFolder folder;
    private final ClipTokenizer tokenizer;
    private final ClipImagePreprocessor preprocessor;
    private final ZooModel<NDList, NDList> text;
    private final ZooModel<NDList, NDList> vision;
    private final boolean textTakesAttentionMask;
    private final int dimension;
    private final long loadMillis;
    private final DirectFloatPool imageBuffers = new DirectFloatPool(SPARE_IMAGE_BUFFERS);
    private final DirectFloatPool batchBuffers = new DirectFloatPool(SPARE_BATCH_BUFFERS);

    private ClipModel(
        ModelFolder folder,
        ClipTokenizer tokenizer,
        ClipImagePreprocessor preprocessor,
        ZooModel<NDList, NDList> text,
        ZooModel<NDList, NDList> vision,
        long startNanos
    ) throws Exception {
        this.folder = folder;
        this.tokenizer = tokenizer;
        this.preprocessor = preprocessor;
        this.text = text;
        this.vision = vision;
        this.textTakesAttentionMask = inputNames(text).contains("attention_mask");
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
    }

    /** Loads both towers on the CPU; must run inside {@link DjlRuntime#call}. */
    public static ClipModel load(ModelFolder folder, int intraOpThreads) throws Exception {
        return load(folder, intraOpThreads, InferenceDevice.CPU);
    }

    /** Loads both towers on {@code device}; must run inside {@link DjlRuntime#call}. */
    public static ClipModel load(ModelFolder folder, int intraOpThreads, InferenceDevice device) throws Exception {
        device.checkAvailable();
        long start = System.nanoTime();
        ClipTokenizer tokenizer = ClipTokenizer.load(folder.tokenizer());
        ClipImagePreprocessor preprocessor = ClipImagePreprocessor.load(folder.preprocessorConfig());
        ZooModel<NDList, NDList> text = null;
        try {
            text = session(folder.textModel(), intraOpThreads, device);
            ZooModel<NDList, NDList> vision = session(folder.visionModel(), intraOpThreads, device);
            try {
                return new ClipModel(folder, tokenizer, preprocessor, text, vision, start);
            } catch (Exception | Error e) {
                vision.close();
                throw e;
            }
        } catch (Exception | Error e) {
            if (text != null) {
                text.close();
            }
            tokenizer.close();
            throw e;
        }
    }

    private static ZooModel<NDList, NDList> session(Path onnx, int intraOpThreads, InferenceDevice device) throws Exception {
        Criteria.Builder<NDList, NDList> criteria = Criteria.builder()
            .setTypes(NDList.class, NDList.class)
            .optModelPath(onnx)
            .optEngine(ENGINE)
            // a GPU device makes DJL add ONNX Runtime's CUDA execution provider to the session
            .optDevice(device.djlDevice())
            // several inference threads each run one session call; one inter-op thread avoids oversubscribing the cores
            .optOption("interOpNumThreads", "1");
        if (intraOpThreads > 0) {
            criteria.optOption("intraOpNumThreads", Integer.toString(intraOpThreads));
        }
        return criteria.build().loadModel();
    }

    private static List<String> inputNames(Model model) {
        PairList<String, Shape> inputs = model.describeInput();
        return inputs == null ? List.of() : inputs.keys();
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

    public ClipImagePreprocessor preprocessor() {
        return preprocessor;
    }

    public ClipTokenizer tokenizer() {
        return tokenizer;
    }

    /** L2-normalised text embeddings, one per text, encoded as one batch padded to its longest member. */
    public float[][] embedTexts(List<String> texts) throws Exception {
        return DjlRuntime.call(() -> {
            List<long[]> ids = new ArrayList<>(texts.size());
            for (String t : texts) {
                ids.add(tokenizer.encode(t));
            }
            return normalized(runText(ids));
        });
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

    /** L2-normalised image embeddings of already preprocessed images ({@link ClipImagePreprocessor#preprocess}). */
    public float[][] embedImages(List<float[]> pixelValues) throws Exception {
        return embedPixels(wrapped(pixelValues));
    }

    /**
     * L2-normalised image embeddings of preprocessed images, each the {@code remaining()} floats of its buffer (such as
     * {@link #preprocess} fills). A lone image in a native-order direct buffer goes to ONNX Runtime as it is; a batch is
     * copied into one pooled direct buffer, which ONNX Runtime reads in place as well.
     */
    public float[][] embedPixels(List<FloatBuffer> pixelValues) throws Exception {
        return DjlRuntime.call(() -> normalized(runVisionBuffers(pixelValues)));
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
        long[][] padded = ClipTokenizer.padded(ids);
        int batch = padded.length;
        int length = padded[0].length;
        long[] flat = new long[batch * length];
        long[] mask = new long[batch * length];
        for (int i = 0; i < batch; i++) {
            System.arraycopy(padded[i], 0, flat, i * length, length);
            Arrays.fill(mask, i * length, i * length + ids.get(i).length, 1L);
        }
        try (NDManager manager = text.getNDManager().newSubManager()) {
            NDList inputs = new NDList();
            NDArray inputIds = manager.create(flat, new Shape(batch, length));
            inputIds.setName("input_ids");
            inputs.add(inputIds);
            if (textTakesAttentionMask) {
                NDArray attention = manager.create(mask, new Shape(batch, length));
                attention.setName("attention_mask");
                inputs.add(attention);
            }
            return rows(predict(text, inputs), "text_embeds", batch);
        }
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
            pixels.setName("pixel_values");
            return rows(predict(vision, new NDList(pixels)), "image_embeds", batch);
        }
    }

    private static NDList predict(ZooModel<NDList, NDList> model, NDList inputs) throws Exception {
        try (Predictor<NDList, NDList> predictor = model.newPredictor()) {
            return predictor.predict(inputs);
        }
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
            double norm = 0;
            for (float x : v) {
                norm += (double) x * x;
            }
            norm = Math.sqrt(norm);
            if (norm > 0) {
                for (int i = 0; i < v.length; i++) {
                    v[i] = (float) (v[i] / norm);
                }
            }
        }
        return vectors;
    }

    @Override
    public void close() {
        text.close();
        vision.close();
        tokenizer.close();
        imageBuffers.close();
        batchBuffers.close();
    }
}
