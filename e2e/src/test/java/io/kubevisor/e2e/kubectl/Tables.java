package io.kubevisor.e2e.kubectl;

import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Regexes for what kubectl prints: its tables come from a tabwriter that puts at least three spaces between
 * columns, so a header is checked exactly (titles, order, spacing rule) and a row cell by cell.
 */
final class Tables {

    /** An AGE cell as kubectl prints it ("0s", "59s", "2m3s", "5h", "2y3d"). */
    static final String AGE = "[0-9]+[smhdy][0-9smhdy]*";
    /** A CREATED AT cell (RFC 3339, UTC). */
    static final String TIMESTAMP = "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ";
    /** A ClusterIP from Kubernetes' default service range 10.96.0.0/12. */
    static final String CLUSTER_IP = "10\\.(9[6-9]|10[0-9]|11[01])\\.\\d+\\.\\d+";

    private Tables() {
    }

    /** Matches a whole header line with exactly these column titles in this order. */
    static String header(String... titles) {
        return Arrays.stream(titles).map(Pattern::quote).collect(Collectors.joining(" {3,}", "", " *"));
    }

    /**
     * A multi-line pattern for one whole row; each cell is a regex (use {@link Pattern#quote} for literals with
     * regex characters). Empty cells are simply left out: kubectl prints them as spaces.
     */
    static String row(String... cells) {
        return "(?m)^" + line(cells) + "$";
    }

    /** Like {@link #row} but for {@link String#matches} on a single line. */
    static String line(String... cells) {
        return Arrays.stream(cells).collect(Collectors.joining("\\s+", "", "\\s*"));
    }

    static String firstLine(String text) {
        return text.lines().findFirst().orElse("");
    }

    static List<String> lines(String text) {
        return text.lines().toList();
    }

    /** How many lines match {@code regex} completely. */
    static long count(String text, String regex) {
        Pattern p = Pattern.compile(regex);
        return text.lines().filter(l -> p.matcher(l).matches()).count();
    }
}
