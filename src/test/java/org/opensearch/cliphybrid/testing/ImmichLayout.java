package org.opensearch.cliphybrid.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * mini-clip re-wrapped as Immich's exporter writes an OpenCLIP model, made at test time from {@code ../shared} (its weights
 * are research-use and never committed): each tower gets the layout's input ({@code text} int32 [1, 77] cast to the ids
 * the graph takes, {@code image} [1, 3, 224, 224]) and one output {@code embedding}, L2-normalised inside the graph, with the
 * batch fixed at one. The towers' own nodes and weights are untouched, so the copy must give mini-clip's vectors.
 * <p>
 * The graphs are edited as protobuf, field by field: the graph's inputs and outputs are replaced and nodes are appended
 * (ONNX Runtime orders nodes by their data flow), everything else is copied byte for byte.
 */
public final class ImmichLayout {
    private static final int CONTEXT = 77;
    // onnx.proto field numbers
    private static final int MODEL_GRAPH = 7;
    private static final int GRAPH_NODE = 1, GRAPH_INPUT = 11, GRAPH_OUTPUT = 12;
    private static final int NODE_INPUT = 1, NODE_OUTPUT = 2, NODE_NAME = 3, NODE_OP = 4, NODE_ATTRIBUTE = 5;
    private static final int ATTR_NAME = 1, ATTR_I = 3, ATTR_INTS = 8, ATTR_TYPE = 20;
    private static final int ATTR_INT = 2, ATTR_INTS_TYPE = 7;
    private static final int FLOAT = 1, INT32 = 6, INT64 = 7;

    private ImmichLayout() {}

    public static Path miniClip(Path into) throws IOException {
        Path from = SharedFixtures.miniClip();
        Files.createDirectories(into.resolve("textual"));
        Files.createDirectories(into.resolve("visual"));
        Files.write(
            into.resolve("textual/model.onnx"),
            rewrap(Files.readAllBytes(from.resolve("text_model.onnx")), "text", INT32, new long[] { 1, CONTEXT }, "text_embeds", true)
        );
        Files.write(
            into.resolve("visual/model.onnx"),
            rewrap(Files.readAllBytes(from.resolve("vision_model.onnx")), "image", FLOAT, new long[] { 1, 3, 224, 224 }, "image_embeds", false)
        );
        Files.copy(from.resolve("tokenizer.json"), into.resolve("textual/tokenizer.json"));
        Files.writeString(into.resolve("textual/tokenizer_config.json"), """
            {"tokenizer_class": "CLIPTokenizer", "model_max_length": 77, "pad_token": "<|endoftext|>",
             "bos_token": "<|startoftext|>", "eos_token": "<|endoftext|>", "unk_token": "<|endoftext|>"}""");
        Files.writeString(into.resolve("visual/preprocess_cfg.json"), """
            {"size": [224, 224], "mode": "RGB", "mean": [0.48145466, 0.4578275, 0.40821073],
             "std": [0.26862954, 0.26130258, 0.27577711], "interpolation": "bicubic", "resize_mode": "shortest", "fill_color": 0}""");
        Files.writeString(into.resolve("config.json"), """
            {"embed_dim": 256, "vision_cfg": {"image_size": 224}, "text_cfg": {"context_length": 77, "vocab_size": 49408}}""");
        return into;
    }

    /**
     * The tower with input {@code name} (dtype {@code type}, fixed {@code shape}) in place of its own, and {@code embedding}
     * = {@code output} / ‖{@code output}‖ as its only output.
     */
    private static byte[] rewrap(byte[] model, String name, int type, long[] shape, String output, boolean ids) throws IOException {
        List<Field> top = fields(model);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Field f : top) {
            if (f.number == MODEL_GRAPH) {
                writeBytes(out, MODEL_GRAPH, graph(f.value, name, type, shape, output, ids));
            } else {
                out.write(f.raw);
            }
        }
        return out.toByteArray();
    }

    private static byte[] graph(byte[] graph, String name, int type, long[] shape, String output, boolean ids) throws IOException {
        String original = null;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Field f : fields(graph)) {
            if (f.number == GRAPH_INPUT) {
                original = string(f.value, 1);
            } else if (f.number != GRAPH_OUTPUT) {
                out.write(f.raw);
            }
        }
        if (ids) {
            writeBytes(out, GRAPH_NODE, node("immich_cast", "Cast", List.of(name), List.of(original), intAttribute("to", INT64)));
        } else {
            writeBytes(out, GRAPH_NODE, node("immich_identity", "Identity", List.of(name), List.of(original)));
        }
        writeBytes(out, GRAPH_NODE, node("immich_norm", "ReduceL2", List.of(output), List.of("immich_l2"), intsAttribute("axes", 1), intAttribute("keepdims", 1)));
        writeBytes(out, GRAPH_NODE, node("immich_div", "Div", List.of(output, "immich_l2"), List.of("embedding")));
        writeBytes(out, GRAPH_INPUT, valueInfo(name, type, shape));
        writeBytes(out, GRAPH_OUTPUT, valueInfo("embedding", FLOAT, new long[] { 1, -1 }));
        return out.toByteArray();
    }

    private static byte[] node(String name, String op, List<String> inputs, List<String> outputs, byte[]... attributes) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (String in : inputs) {
            writeBytes(out, NODE_INPUT, in.getBytes(StandardCharsets.UTF_8));
        }
        for (String o : outputs) {
            writeBytes(out, NODE_OUTPUT, o.getBytes(StandardCharsets.UTF_8));
        }
        writeBytes(out, NODE_NAME, name.getBytes(StandardCharsets.UTF_8));
        writeBytes(out, NODE_OP, op.getBytes(StandardCharsets.UTF_8));
        for (byte[] attribute : attributes) {
            writeBytes(out, NODE_ATTRIBUTE, attribute);
        }
        return out.toByteArray();
    }

    private static byte[] intAttribute(String name, long value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        writeBytes(out, ATTR_NAME, name.getBytes(StandardCharsets.UTF_8));
        writeVarintField(out, ATTR_I, value);
        writeVarintField(out, ATTR_TYPE, ATTR_INT);
        return out.toByteArray();
    }

    private static byte[] intsAttribute(String name, long... values) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        writeBytes(out, ATTR_NAME, name.getBytes(StandardCharsets.UTF_8));
        for (long v : values) {
            writeVarintField(out, ATTR_INTS, v);
        }
        writeVarintField(out, ATTR_TYPE, ATTR_INTS_TYPE);
        return out.toByteArray();
    }

    /** ValueInfoProto{name, type: TypeProto{tensor_type: {elem_type, shape: {dim: [dim_value | nothing]}}}}. */
    private static byte[] valueInfo(String name, int type, long[] shape) {
        ByteArrayOutputStream dims = new ByteArrayOutputStream();
        for (long d : shape) {
            ByteArrayOutputStream dim = new ByteArrayOutputStream();
            if (d >= 0) {
                writeVarintField(dim, 1, d);
            }
            writeBytes(dims, 1, dim.toByteArray());
        }
        ByteArrayOutputStream tensor = new ByteArrayOutputStream();
        writeVarintField(tensor, 1, type);
        writeBytes(tensor, 2, dims.toByteArray());
        ByteArrayOutputStream typeProto = new ByteArrayOutputStream();
        writeBytes(typeProto, 1, tensor.toByteArray());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        writeBytes(out, 1, name.getBytes(StandardCharsets.UTF_8));
        writeBytes(out, 2, typeProto.toByteArray());
        return out.toByteArray();
    }

    private record Field(int number, byte[] value, byte[] raw) {}

    /** The top-level fields of a message; {@code value} is a length-delimited field's payload, {@code raw} the whole record. */
    private static List<Field> fields(byte[] message) throws IOException {
        List<Field> fields = new ArrayList<>();
        int[] at = { 0 };
        while (at[0] < message.length) {
            int start = at[0];
            long tag = varint(message, at);
            int wire = (int) (tag & 7);
            byte[] value = null;
            switch (wire) {
                case 0 -> varint(message, at);
                case 1 -> at[0] += 8;
                case 2 -> {
                    int length = Math.toIntExact(varint(message, at));
                    value = Arrays.copyOfRange(message, at[0], at[0] + length);
                    at[0] += length;
                }
                case 5 -> at[0] += 4;
                default -> throw new IOException("protobuf wire type " + wire);
            }
            fields.add(new Field((int) (tag >>> 3), value, Arrays.copyOfRange(message, start, at[0])));
        }
        return fields;
    }

    private static String string(byte[] message, int number) throws IOException {
        for (Field f : fields(message)) {
            if (f.number == number && f.value != null) {
                return new String(f.value, StandardCharsets.UTF_8);
            }
        }
        throw new IOException("no field " + number);
    }

    private static long varint(byte[] b, int[] at) {
        long value = 0;
        for (int shift = 0;; shift += 7) {
            int x = b[at[0]++] & 0xFF;
            value |= (long) (x & 0x7F) << shift;
            if ((x & 0x80) == 0) {
                return value;
            }
        }
    }

    private static void writeVarint(ByteArrayOutputStream out, long v) {
        while ((v & ~0x7FL) != 0) {
            out.write((int) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        out.write((int) v);
    }

    private static void writeVarintField(ByteArrayOutputStream out, int number, long v) {
        writeVarint(out, (long) number << 3);
        writeVarint(out, v);
    }

    private static void writeBytes(ByteArrayOutputStream out, int number, byte[] bytes) {
        writeVarint(out, ((long) number << 3) | 2);
        writeVarint(out, bytes.length);
        out.writeBytes(bytes);
    }
}
