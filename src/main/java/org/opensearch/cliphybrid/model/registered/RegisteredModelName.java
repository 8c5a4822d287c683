package org.opensearch.cliphybrid.model.registered;

import java.util.regex.Pattern;

/** Names of models registered through the cluster: they are document ids, URL segments and, on each node, a folder name. */
public final class RegisteredModelName {
    public static final int MAX_CHARS = 100;
    // starts with a letter or digit, so that no name is "." or ".." or a hidden folder
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]*");

    private RegisteredModelName() {}

    public static String check(String name) {
        if (name == null || name.isEmpty() || name.length() > MAX_CHARS || NAME.matcher(name).matches() == false) {
            throw new IllegalArgumentException(
                "CLIP model name must be 1 to " + MAX_CHARS + " characters of [a-z0-9._-] starting with a letter or digit, got ["
                    + name + "]"
            );
        }
        return name;
    }
}
