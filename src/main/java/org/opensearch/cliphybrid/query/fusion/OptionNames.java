package org.opensearch.cliphybrid.query.fusion;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The DSL spells enum options in lower case ({@code z_score}); one place turns them into names and back. */
public final class OptionNames {
    private OptionNames() {}

    public static String of(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT);
    }

    public static <E extends Enum<E>> E parse(Class<E> type, String option, String value) {
        for (E e : type.getEnumConstants()) {
            if (of(e).equals(value)) {
                return e;
            }
        }
        String names = Arrays.stream(type.getEnumConstants()).map(OptionNames::of).collect(Collectors.joining(", "));
        throw new IllegalArgumentException("[" + option + "] must be one of " + names + ", got [" + value + "]");
    }
}
