package org.opensearch.cliphybrid.harvest;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Parses a {@code srcset} attribute as the HTML standard does (URLs may hold commas; a candidate ends at a comma that follows
 * whitespace or the URL's end) and picks the largest candidate, so that the harvester embeds the best picture a page offers.
 */
public final class SrcSet {
    private SrcSet() {}

    /** One candidate: {@code width} from a {@code w} descriptor (0 when absent), {@code density} from an {@code x} one (1 by default). */
    public record Candidate(String url, int width, double density) {}

    /** Width descriptors say more than densities, so any candidate with a width beats one with only a density. */
    public static final Comparator<Candidate> SIZE = Comparator.<Candidate>comparingInt(c -> c.width() > 0 ? 1 : 0)
        .thenComparingInt(Candidate::width)
        .thenComparingDouble(Candidate::density);

    public static List<Candidate> parse(String srcset) {
        List<Candidate> candidates = new ArrayList<>();
        if (srcset == null) {
            return candidates;
        }
        int i = 0, n = srcset.length();
        while (i < n) {
            while (i < n && (Character.isWhitespace(srcset.charAt(i)) || srcset.charAt(i) == ',')) {
                i++;
            }
            int start = i;
            while (i < n && Character.isWhitespace(srcset.charAt(i)) == false) {
                i++;
            }
            String url = srcset.substring(start, i);
            if (url.isEmpty()) {
                break;
            }
            List<String> descriptors = new ArrayList<>();
            if (url.endsWith(",")) {
                url = url.replaceAll(",+$", "");
            } else {
                i = readDescriptors(srcset, i, descriptors);
            }
            Candidate candidate = candidate(url, descriptors);
            if (candidate != null) {
                candidates.add(candidate);
            }
        }
        return candidates;
    }

    public static Optional<Candidate> largest(String srcset) {
        return parse(srcset).stream().max(SIZE);
    }

    /** Reads descriptors up to the comma that ends the candidate; commas inside parentheses belong to the descriptor. */
    private static int readDescriptors(String s, int i, List<String> out) {
        StringBuilder current = new StringBuilder();
        boolean inParens = false;
        for (; i < s.length(); i++) {
            char c = s.charAt(i);
            if (inParens) {
                current.append(c);
                inParens = c != ')';
            } else if (c == ',') {
                i++;
                break;
            } else if (Character.isWhitespace(c)) {
                if (current.length() > 0) {
                    out.add(current.toString());
                    current.setLength(0);
                }
            } else {
                current.append(c);
                inParens = c == '(';
            }
        }
        if (current.length() > 0) {
            out.add(current.toString());
        }
        return i;
    }

    /** Null for a candidate the standard says to drop (a malformed or repeated descriptor). */
    private static Candidate candidate(String url, List<String> descriptors) {
        int width = 0;
        double density = 1;
        boolean seenWidth = false, seenDensity = false;
        for (String d : descriptors) {
            String lower = d.toLowerCase(Locale.ROOT);
            try {
                if (lower.endsWith("w") && seenWidth == false && seenDensity == false) {
                    width = Integer.parseInt(lower.substring(0, lower.length() - 1));
                    seenWidth = width > 0;
                    if (seenWidth == false) {
                        return null;
                    }
                } else if (lower.endsWith("x") && seenWidth == false && seenDensity == false) {
                    density = Double.parseDouble(lower.substring(0, lower.length() - 1));
                    seenDensity = density > 0;
                    if (seenDensity == false) {
                        return null;
                    }
                } else if (lower.endsWith("h") == false) {
                    // a height descriptor is allowed beside a width and says nothing new about size
                    return null;
                }
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return new Candidate(url, width, density);
    }
}
