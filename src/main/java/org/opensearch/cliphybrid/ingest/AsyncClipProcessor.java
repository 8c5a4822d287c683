package org.opensearch.cliphybrid.ingest;

import org.opensearch.ingest.IngestDocument;
import org.opensearch.ingest.Processor;

/**
 * What the plugin's ingest processors have in common: they answer through a handler, never by return (inference runs on its
 * own pool), and they read one source field that {@code ignore_missing} may let be absent.
 */
interface AsyncClipProcessor extends Processor {
    @Override
    default IngestDocument execute(IngestDocument document) {
        throw new UnsupportedOperationException("[" + getType() + "] runs asynchronously");
    }

    /**
     * The value of {@code field}, or null when it is missing or null and {@code ignoreMissing} lets the document pass unchanged.
     *
     * @throws IllegalArgumentException naming the processor and the field when it is missing and must not be
     */
    default Object fieldValue(IngestDocument document, String field, boolean ignoreMissing) {
        Object value = document.getFieldValue(field, Object.class, true);
        if (value == null && ignoreMissing == false) {
            throw new IllegalArgumentException("[" + getType() + "] field [" + field + "] is missing or null");
        }
        return value;
    }
}
