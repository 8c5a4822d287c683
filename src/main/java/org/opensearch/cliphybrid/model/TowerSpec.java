package org.opensearch.cliphybrid.model;

import java.nio.file.Path;
import java.util.List;

/**
 * One tower's graph and the names its layout exports it with. Which of the candidate input names the graph has, whether
 * it also takes an attention mask, and whether its batch is fixed at one, the loaded graph says.
 *
 * @param onnx   the graph
 * @param inputs the names the ids or pixels input may have, most likely first ({@code input_ids}, {@code text},
 *               {@code pixel_values}, {@code image})
 * @param int32  whether ids go in as int32 (OpenCLIP exports) rather than int64 (Hugging Face exports)
 * @param output the output that holds one embedding per row
 */
public record TowerSpec(Path onnx, List<String> inputs, boolean int32, String output) {
    public TowerSpec {
        inputs = List.copyOf(inputs);
    }
}
