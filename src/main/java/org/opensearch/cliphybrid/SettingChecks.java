package org.opensearch.cliphybrid;

import org.opensearch.common.unit.TimeValue;

import java.util.function.Function;

/**
 * The checks a setting and its deprecated old name share. Apart from both setting classes so that neither has to be initialised
 * for the other to build its settings (each refers to the other's fields otherwise, and a cycle of static initialisers sees nulls).
 */
final class SettingChecks {
    private SettingChecks() {}

    static final TimeValue FETCH_TIMEOUT_MIN = TimeValue.timeValueMillis(1);
    static final TimeValue FETCH_TIMEOUT_MAX = TimeValue.timeValueHours(1);

    /** A time in [min, max], with the message OpenSearch's own bounded time settings give. */
    static Function<String, TimeValue> timeBetween(String key, TimeValue min, TimeValue max) {
        return value -> {
            TimeValue time = TimeValue.parseTimeValue(value, key);
            if (time.compareTo(min) < 0) {
                throw new IllegalArgumentException("failed to parse value [" + value + "] for setting [" + key + "], must be >= [" + min + "]");
            }
            if (time.compareTo(max) > 0) {
                throw new IllegalArgumentException("failed to parse value [" + value + "] for setting [" + key + "], must be <= [" + max + "]");
            }
            return time;
        };
    }

    /** {@code cpu} or {@code cuda}; the error names {@code key}, the name the value was given under. */
    static Function<String, String> device(String key) {
        return value -> {
            if (value.equals("cpu") == false && value.equals("cuda") == false) {
                throw new IllegalArgumentException(key + " must be [cpu] or [cuda], got [" + value + "]");
            }
            return value;
        };
    }
}
