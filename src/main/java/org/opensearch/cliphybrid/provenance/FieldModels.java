package org.opensearch.cliphybrid.provenance;

/** What clip_embedding asks about the model of a field's vectors, and how it records one ({@link VectorModelStamper}). */
public interface FieldModels {
    /** The model that served a request naming {@code requested} (or none), if it is loaded; else null. */
    VectorModel model(String requested);

    /** The model whose vectors {@code field} of {@code index} holds, or null when none is recorded. */
    VectorModel stamped(String index, String field);

    /** Records {@code model} for {@code field} of {@code index} unless a record is there or on its way. */
    void ensure(String index, String field, VectorModel model);
}
