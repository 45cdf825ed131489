package io.kubevisor.apiserver.kinds.batch;

import java.util.Optional;
import java.util.Set;

/** Checks Go duration strings ({@code 1h30m}, {@code 1.5s}) with Go's time.ParseDuration errors. */
final class GoDuration {

    private static final Set<String> UNITS = Set.of("ns", "us", "µs", "μs", "ms", "s", "m", "h");

    private GoDuration() {
    }

    /** Why {@code s} is not a Go duration; empty when it is one. */
    static Optional<String> problem(String s) {
        String orig = s;
        String quoted = "\"" + orig + "\"";
        if (!s.isEmpty() && (s.charAt(0) == '-' || s.charAt(0) == '+')) {
            s = s.substring(1);
        }
        if (s.equals("0")) {
            return Optional.empty();
        }
        if (s.isEmpty()) {
            return Optional.of("time: invalid duration " + quoted);
        }
        int i = 0;
        while (i < s.length()) {
            int start = i;
            while (i < s.length() && Character.isDigit(s.charAt(i))) {
                i++;
            }
            boolean pre = i > start;
            boolean post = false;
            if (i < s.length() && s.charAt(i) == '.') {
                i++;
                int fracStart = i;
                while (i < s.length() && Character.isDigit(s.charAt(i))) {
                    i++;
                }
                post = i > fracStart;
            }
            if (!pre && !post) {
                return Optional.of("time: invalid duration " + quoted);
            }
            int unitStart = i;
            while (i < s.length() && s.charAt(i) != '.' && !Character.isDigit(s.charAt(i))) {
                i++;
            }
            if (unitStart == i) {
                return Optional.of("time: missing unit in duration " + quoted);
            }
            String unit = s.substring(unitStart, i);
            if (!UNITS.contains(unit)) {
                return Optional.of("time: unknown unit \"" + unit + "\" in duration " + quoted);
            }
        }
        return Optional.empty();
    }
}
