package org.opensearch.cliphybrid.model.text;

import java.util.regex.Pattern;

/**
 * The form of a FLORES-200 code, the language an NLLB text tower reads: an ISO 639-3 language, an underscore, an ISO 15924
 * script ({@code eng_Latn}, {@code zho_Hans}). Requests and settings check the form; whether a model knows the code is
 * for the model to say ({@link TextTokenizer#languages()}).
 */
public final class LanguageCode {
    static final Pattern PATTERN = Pattern.compile("[a-z]{3}_[A-Z][a-z]{3}");

    private LanguageCode() {}

    static boolean matches(String value) {
        return PATTERN.matcher(value).matches();
    }

    /** Why {@code value} is not a FLORES-200 code, or null when it has the form. */
    public static String problem(String value) {
        if (matches(value)) {
            return null;
        }
        return "must be a FLORES-200 code, three lower-case letters, _ and a script (such as eng_Latn, zho_Hans), got ["
            + (value.length() > 32 ? value.substring(0, 32) + "..." : value) + "]";
    }

    /** {@code value}, when it has the form; else an error naming {@code field}. */
    public static String check(String field, String value) {
        String problem = problem(value);
        if (problem != null) {
            throw new IllegalArgumentException("[" + field + "] " + problem);
        }
        return value;
    }
}
