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
 * Reads named one-number float initializers of an ONNX graph (SigLIP's {@code logit_scale} and {@code logit_bias} in a
 * combined {@code model.onnx}) straight from the protobuf, without loading the graph: the split towers a node serves
 * lack them, and loading a combined graph of a gigabyte for two numbers would cost its memory. Large tensors are skipped
 * by their length, so the whole file is never read.
 */
final class OnnxScalars {
    // field numbers of onnx.proto: ModelProto.graph, GraphProto.initializer, TensorProto.{data_type, float_data, name, raw_data}
    private static final int MODEL_GRAPH = 7;
    private static final int GRAPH_INITIALIZER = 5;
    private static final int TENSOR_DATA_TYPE = 2;
    private static final int TENSOR_FLOAT_DATA = 4;
    private static final int TENSOR_NAME = 8;
    private static final int TENSOR_RAW_DATA = 9;
    private static final int FLOAT = 1;
    /** A one-number tensor's record is a few dozen bytes; anything longer is a weight to skip. */
    private static final long MAX_SCALAR_RECORD = 1024;

    private OnnxScalars() {}

    static Map<String, Float> read(Path onnx, Set<String> names) throws IOException {
        Map<String, Float> found = new HashMap<>();
        try (InputStream file = Files.newInputStream(onnx); DataInputStream in = new DataInputStream(new BufferedInputStream(file, 1 << 16))) {
            long graphEnd = -1;
            Reader reader = new Reader(in);
            while (found.size() < names.size() && (graphEnd < 0 || reader.position < graphEnd)) {
                long tag = reader.varintOrEnd();
                if (tag < 0) {
                    break;
                }
                int field = (int) (tag >>> 3), wire = (int) (tag & 7);
                if (graphEnd < 0 && field == MODEL_GRAPH && wire == 2) {
                    long length = reader.varint();
                    graphEnd = reader.position + length;
                } else if (graphEnd >= 0 && field == GRAPH_INITIALIZER && wire == 2) {
                    long length = reader.varint();
                    if (length <= MAX_SCALAR_RECORD) {
                        tensor(reader.bytes((int) length), names, found);
                    } else {
                        reader.skip(length);
                    }
                } else {
                    reader.skipValue(wire);
                }
            }
        }
        return found;
    }

    private static void tensor(byte[] record, Set<String> names, Map<String, Float> found) throws IOException {
        Reader r = new Reader(new DataInputStream(new ByteArrayInputStream(record)));
        String name = null;
        long type = -1;
        Float value = null;
        for (long tag = r.varintOrEnd(); tag >= 0; tag = r.varintOrEnd()) {
            int field = (int) (tag >>> 3), wire = (int) (tag & 7);
            if (field == TENSOR_NAME && wire == 2) {
                name = new String(r.bytes((int) r.varint()), StandardCharsets.UTF_8);
            } else if (field == TENSOR_DATA_TYPE && wire == 0) {
                type = r.varint();
            } else if (field == TENSOR_RAW_DATA && wire == 2) {
                byte[] raw = r.bytes((int) r.varint());
                value = raw.length == 4 ? ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN).getFloat() : null;
            } else if (field == TENSOR_FLOAT_DATA && wire == 2) {
                byte[] packed = r.bytes((int) r.varint());
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
        long position;

        Reader(DataInputStream in) {
            this.in = in;
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

        byte[] bytes(int length) throws IOException {
            byte[] out = new byte[length];
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
