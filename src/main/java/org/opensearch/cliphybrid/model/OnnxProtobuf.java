package org.opensearch.cliphybrid.model;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Reads what the loader needs to know of an ONNX graph straight from its protobuf, without loading it: named one-number
 * float initializers (SigLIP's {@code logit_scale} and {@code logit_bias} in a combined {@code model.onnx}, which the split
 * towers a node serves lack, and loading a combined graph of a gigabyte for two numbers would cost its memory), and the
 * first dimension of each graph input (Immich's exports fix the batch at one, and the runtime's model description does not
 * carry shapes). Large records are skipped by their length, so the weights are never read.
 */
final class OnnxProtobuf {
    // field numbers of onnx.proto: ModelProto.graph, GraphProto.{initializer, input}, TensorProto.{data_type, float_data,
    // name, raw_data}, ValueInfoProto.{name, type}, TypeProto.tensor_type, TypeProto.Tensor.shape, TensorShapeProto.dim,
    // TensorShapeProto.Dimension.dim_value
    private static final int MODEL_GRAPH = 7;
    private static final int GRAPH_INITIALIZER = 5;
    private static final int GRAPH_INPUT = 11;
    private static final int TENSOR_DATA_TYPE = 2;
    private static final int TENSOR_FLOAT_DATA = 4;
    private static final int TENSOR_NAME = 8;
    private static final int TENSOR_RAW_DATA = 9;
    private static final int VALUE_NAME = 1, VALUE_TYPE = 2, TYPE_TENSOR = 1, TENSOR_SHAPE = 2, SHAPE_DIM = 1, DIM_VALUE = 1;
    private static final int FLOAT = 1;
    /** A one-number tensor's record is a few dozen bytes; anything longer is a weight to skip. */
    private static final long MAX_SCALAR_RECORD = 1024;
    /** An input's name and shape take a few hundred bytes at most. */
    private static final long MAX_INPUT_RECORD = 64 * 1024;

    private OnnxProtobuf() {}

    static Map<String, Float> scalars(Path onnx, Set<String> names) throws IOException {
        Map<String, Float> found = new HashMap<>();
        graph(onnx, (field, reader, length) -> {
            if (field == GRAPH_INITIALIZER && length <= MAX_SCALAR_RECORD) {
                tensor(reader.bytes(length), names, found);
            } else {
                reader.skip(length);
            }
            return found.size() < names.size();
        });
        return found;
    }

    /** Each graph input's first dimension: a number where the graph fixes it, -1 where it is symbolic or unstated. */
    static Map<String, Long> firstDimensions(Path onnx) throws IOException {
        Map<String, Long> found = new HashMap<>();
        graph(onnx, (field, reader, length) -> {
            if (field == GRAPH_INPUT && length <= MAX_INPUT_RECORD) {
                input(reader.bytes(length), found);
            } else {
                reader.skip(length);
            }
            return true;
        });
        return found;
    }

    private interface GraphField {
        /** Reads or skips the {@code length} bytes of one length-delimited graph field; false once nothing more is needed. */
        boolean accept(int field, Reader reader, long length) throws IOException;
    }

    private static void graph(Path onnx, GraphField visitor) throws IOException {
        try (InputStream file = Files.newInputStream(onnx); DataInputStream in = new DataInputStream(new BufferedInputStream(file, 1 << 16))) {
            long graphEnd = -1;
            Reader reader = new Reader(in, Files.size(onnx));
            while (graphEnd < 0 || reader.position < graphEnd) {
                long tag = reader.varintOrEnd();
                if (tag < 0) {
                    return;
                }
                int field = (int) (tag >>> 3), wire = (int) (tag & 7);
                if (graphEnd < 0 && field == MODEL_GRAPH && wire == 2) {
                    long length = reader.varint();
                    graphEnd = reader.position + length;
                } else if (graphEnd >= 0 && wire == 2) {
                    if (visitor.accept(field, reader, reader.varint()) == false) {
                        return;
                    }
                } else {
                    reader.skipValue(wire);
                }
            }
        }
    }

    private static void input(byte[] record, Map<String, Long> found) throws IOException {
        Reader r = reader(record);
        String name = null;
        long first = -1;
        for (long tag = r.varintOrEnd(); tag >= 0; tag = r.varintOrEnd()) {
            int field = (int) (tag >>> 3), wire = (int) (tag & 7);
            if (field == VALUE_NAME && wire == 2) {
                name = new String(r.bytes(r.varint()), StandardCharsets.UTF_8);
            } else if (field == VALUE_TYPE && wire == 2) {
                byte[] tensor = only(r.bytes(r.varint()), TYPE_TENSOR);
                byte[] shape = tensor == null ? null : only(tensor, TENSOR_SHAPE);
                byte[] dim = shape == null ? null : only(shape, SHAPE_DIM);
                first = dim == null ? -1 : varintField(dim, DIM_VALUE);
            } else {
                r.skipValue(wire);
            }
        }
        if (name != null) {
            found.put(name, first);
        }
    }

    /** The first length-delimited field {@code wanted} of a message, or null. */
    private static byte[] only(byte[] message, int wanted) throws IOException {
        Reader r = reader(message);
        for (long tag = r.varintOrEnd(); tag >= 0; tag = r.varintOrEnd()) {
            int field = (int) (tag >>> 3), wire = (int) (tag & 7);
            if (field == wanted && wire == 2) {
                return r.bytes(r.varint());
            }
            r.skipValue(wire);
        }
        return null;
    }

    private static long varintField(byte[] message, int wanted) throws IOException {
        Reader r = reader(message);
        for (long tag = r.varintOrEnd(); tag >= 0; tag = r.varintOrEnd()) {
            int field = (int) (tag >>> 3), wire = (int) (tag & 7);
            if (field == wanted && wire == 0) {
                return r.varint();
            }
            r.skipValue(wire);
        }
        return -1;
    }

    private static Reader reader(byte[] record) {
        return new Reader(new DataInputStream(new ByteArrayInputStream(record)), record.length);
    }

    private static void tensor(byte[] record, Set<String> names, Map<String, Float> found) throws IOException {
        Reader r = reader(record);
        String name = null;
        long type = -1;
        Float value = null;
        for (long tag = r.varintOrEnd(); tag >= 0; tag = r.varintOrEnd()) {
            int field = (int) (tag >>> 3), wire = (int) (tag & 7);
            if (field == TENSOR_NAME && wire == 2) {
                name = new String(r.bytes(r.varint()), StandardCharsets.UTF_8);
            } else if (field == TENSOR_DATA_TYPE && wire == 0) {
                type = r.varint();
            } else if (field == TENSOR_RAW_DATA && wire == 2) {
                byte[] raw = r.bytes(r.varint());
                value = raw.length == 4 ? ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN).getFloat() : null;
            } else if (field == TENSOR_FLOAT_DATA && wire == 2) {
                byte[] packed = r.bytes(r.varint());
                value = packed.length == 4 ? ByteBuffer.wrap(packed).order(ByteOrder.LITTLE_ENDIAN).getFloat() : null;
            } else if (field == TENSOR_FLOAT_DATA && wire == 5) {
                value = Float.intBitsToFloat(Integer.reverseBytes(r.in.readInt()));
                r.position += 4;
            } else {
                r.skipValue(wire);
            }
        }
        if (name != null && names.contains(name) && type == FLOAT && value != null) {
            found.put(name, value);
        }
    }

    private static final class Reader {
        final DataInputStream in;
        /** Where the bytes end: a length past it is a broken or hostile file, not an allocation to make. */
        final long end;
        long position;

        Reader(DataInputStream in, long end) {
            this.in = in;
            this.end = end;
        }

        long varintOrEnd() throws IOException {
            int first = in.read();
            if (first < 0) {
                return -1;
            }
            position++;
            return rest(first);
        }

        long varint() throws IOException {
            int first = in.readUnsignedByte();
            position++;
            return rest(first);
        }

        private long rest(int first) throws IOException {
            long value = first & 0x7F;
            int shift = 7;
            int b = first;
            while ((b & 0x80) != 0) {
                if (shift > 63) {
                    throw new IOException("a varint longer than 10 bytes: not an ONNX file");
                }
                b = in.readUnsignedByte();
                position++;
                value |= (long) (b & 0x7F) << shift;
                shift += 7;
            }
            return value;
        }

        byte[] bytes(long length) throws IOException {
            if (length < 0 || length > end - position) {
                throw new IOException("a field of " + length + " bytes where " + (end - position) + " are left: not an ONNX file");
            }
            byte[] out = new byte[(int) length];
            in.readFully(out);
            position += length;
            return out;
        }

        void skip(long length) throws IOException {
            if (length < 0) {
                throw new IOException("a negative length: not an ONNX file");
            }
            long left = length;
            while (left > 0) {
                long skipped = in.skip(left);
                if (skipped <= 0) {
                    throw new EOFException("the file ends inside a field");
                }
                left -= skipped;
            }
            position += length;
        }

        void skipValue(int wire) throws IOException {
            switch (wire) {
                case 0 -> varint();
                case 1 -> skip(8);
                case 2 -> skip(varint());
                case 5 -> skip(4);
                default -> throw new IOException("protobuf wire type " + wire + ": not an ONNX file");
            }
        }
    }
}
