package org.opensearch.cliphybrid.model;

/**
 * How each ONNX Runtime session of a model uses threads.
 *
 * @param intraOp  threads inside one call (0: ONNX Runtime's choice, one per physical core)
 * @param spinning whether those threads spin while they wait for work (ONNX Runtime's default): it shortens one call a
 *                 little and, on a node whose cores also decode and index images, takes CPU from them
 */
public record OrtThreads(int intraOp, boolean spinning) {
    public OrtThreads {
        if (intraOp < 0) {
            throw new IllegalArgumentException("intra-op threads must be at least 0, got " + intraOp);
        }
    }

    /** ONNX Runtime's defaults but for the thread count. */
    public static OrtThreads intraOp(int threads) {
        return new OrtThreads(threads, true);
    }
}
