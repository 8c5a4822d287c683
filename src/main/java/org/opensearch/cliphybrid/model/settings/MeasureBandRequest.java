package org.opensearch.cliphybrid.model.settings;

import org.opensearch.action.ActionRequest;
import org.opensearch.action.ActionRequestValidationException;
import org.opensearch.core.common.io.stream.StreamInput;
import org.opensearch.core.common.io.stream.StreamOutput;
import org.opensearch.core.xcontent.XContentParser;

import java.io.IOException;
import java.util.Map;
import java.util.Set;

/** Which documents to measure a model's band on, and whether to store it as the model's settings. */
public final class MeasureBandRequest extends ActionRequest {
    public static final int DEFAULT_SAMPLE_SIZE = 200, MAX_SAMPLE_SIZE = 2000;
    private static final Set<String> FIELDS = Set.of("index", "vector_field", "text_field", "sample_size", "store");

    private final String model, index, vectorField, textField;
    private final int sampleSize;
    private final boolean store;

    public MeasureBandRequest(String model, String index, String vectorField, String textField, int sampleSize, boolean store) {
        this.model = ModelSettings.checkModelName("name", model);
        this.index = required("index", index);
        this.vectorField = required("vector_field", vectorField);
        this.textField = required("text_field", textField);
        if (sampleSize < BandMeasurement.MIN_PAIRS || sampleSize > MAX_SAMPLE_SIZE) {
            throw new IllegalArgumentException(
                "[sample_size] must be between " + BandMeasurement.MIN_PAIRS + " and " + MAX_SAMPLE_SIZE + ", got " + sampleSize
            );
        }
        this.sampleSize = sampleSize;
        this.store = store;
    }

    public static MeasureBandRequest parse(String model, XContentParser parser) throws IOException {
        Map<String, Object> body = parser.map();
        for (String key : body.keySet()) {
            if (FIELDS.contains(key) == false) {
                throw new IllegalArgumentException("[_measure_band] does not know the field [" + key + "]; it takes " + FIELDS);
            }
        }
        Object size = body.getOrDefault("sample_size", DEFAULT_SAMPLE_SIZE);
        if (size instanceof Integer == false) {
            throw new IllegalArgumentException("[sample_size] must be an integer, got [" + size + "]");
        }
        Object store = body.getOrDefault("store", false);
        if (store instanceof Boolean == false) {
            throw new IllegalArgumentException("[store] must be true or false, got [" + store + "]");
        }
        return new MeasureBandRequest(
            model,
            string(body, "index"),
            string(body, "vector_field"),
            string(body, "text_field"),
            (Integer) size,
            (Boolean) store
        );
    }

    private static String string(Map<String, Object> body, String field) {
        Object value = body.get(field);
        if (value != null && value instanceof String == false) {
            throw new IllegalArgumentException("[" + field + "] must be a string, got [" + value + "]");
        }
        return (String) value;
    }

    private static String required(String field, String value) {
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException("[_measure_band] needs [" + field + "]");
        }
        return value;
    }

    public MeasureBandRequest(StreamInput in) throws IOException {
        super(in);
        model = in.readString();
        index = in.readString();
        vectorField = in.readString();
        textField = in.readString();
        sampleSize = in.readVInt();
        store = in.readBoolean();
    }

    @Override
    public void writeTo(StreamOutput out) throws IOException {
        super.writeTo(out);
        out.writeString(model);
        out.writeString(index);
        out.writeString(vectorField);
        out.writeString(textField);
        out.writeVInt(sampleSize);
        out.writeBoolean(store);
    }

    public String model() {
        return model;
    }

    public String index() {
        return index;
    }

    public String vectorField() {
        return vectorField;
    }

    public String textField() {
        return textField;
    }

    public int sampleSize() {
        return sampleSize;
    }

    public boolean store() {
        return store;
    }

    @Override
    public ActionRequestValidationException validate() {
        return null;
    }
}
