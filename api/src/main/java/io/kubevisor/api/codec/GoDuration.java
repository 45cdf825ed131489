package io.kubevisor.api.codec;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * Go's {@code time.Duration} text form, which {@code meta/v1.Duration} uses in JSON
 * ("1h0m0s", "1m30s", "1.5s", "250ms", "0s"). Stateless.
 */
final class GoDuration {

    private static final long MICRO = 1_000L;
    private static final long MILLI = 1_000_000L;
    private static final long SECOND = 1_000_000_000L;

    private GoDuration() {
    }

    /** Formats nanoseconds exactly like Go's {@code Duration.String()}. */
    static String format(long nanos) {
        if (nanos == 0) {
            return "0s";
        }
        boolean negative = nanos < 0;
        // Long.MIN_VALUE has no positive counterpart; BigDecimal-free unsigned handling keeps it exact.
        String body;
        if (nanos == Long.MIN_VALUE) {
            body = "2562047h47m16.854775808s";
        } else {
            long u = Math.abs(nanos);
            body = u < SECOND ? small(u) : large(u);
        }
        return negative ? "-" + body : body;
    }

    private static String small(long u) {
        if (u < MICRO) {
            return u + "ns";
        }
        if (u < MILLI) {
            return fraction(u, 3) + "µs";
        }
        return fraction(u, 6) + "ms";
    }

    private static String large(long u) {
        long wholeSeconds = u / SECOND;
        String seconds = fraction(u % SECOND + (wholeSeconds % 60) * SECOND, 9) + "s";
        long minutes = wholeSeconds / 60;
        if (minutes == 0) {
            return seconds;
        }
        long hours = minutes / 60;
        String m = (minutes % 60) + "m";
        return hours == 0 ? m + seconds : hours + "h" + m + seconds;
    }

    /** {@code v / 10^digits} with the fraction's trailing zeros (and a bare point) dropped. */
    private static String fraction(long v, int digits) {
        long scale = (long) Math.pow(10, digits);
        long whole = v / scale;
        long frac = v % scale;
        if (frac == 0) {
            return Long.toString(whole);
        }
        String f = String.format("%0" + digits + "d", frac).replaceAll("0+$", "");
        return whole + "." + f;
    }

    /** Parses Go's duration syntax ("300ms", "-1.5h", "2h45m", units ns us µs ms s m h). */
    static long parse(String text) {
        String s = text;
        if (s.isEmpty()) {
            throw bad(text);
        }
        boolean negative = false;
        if (s.charAt(0) == '-' || s.charAt(0) == '+') {
            negative = s.charAt(0) == '-';
            s = s.substring(1);
        }
        if (s.equals("0")) {
            return 0;
        }
        if (s.isEmpty()) {
            throw bad(text);
        }
        BigDecimal total = BigDecimal.ZERO;
        int i = 0;
        while (i < s.length()) {
            int start = i;
            while (i < s.length() && (Character.isDigit(s.charAt(i)) || s.charAt(i) == '.')) {
                i++;
            }
            if (start == i) {
                throw bad(text);
            }
            BigDecimal number;
            try {
                number = new BigDecimal(s.substring(start, i));
            } catch (NumberFormatException e) {
                throw bad(text);
            }
            int unitStart = i;
            while (i < s.length() && !Character.isDigit(s.charAt(i)) && s.charAt(i) != '.') {
                i++;
            }
            long unit = switch (s.substring(unitStart, i)) {
                case "ns" -> 1L;
                case "us", "µs", "μs" -> MICRO;
                case "ms" -> MILLI;
                case "s" -> SECOND;
                case "m" -> 60 * SECOND;
                case "h" -> 3600 * SECOND;
                default -> throw bad(text);
            };
            total = total.add(number.multiply(BigDecimal.valueOf(unit)));
        }
        if (negative) {
            total = total.negate();
        }
        try {
            return total.setScale(0, RoundingMode.DOWN).longValueExact();
        } catch (ArithmeticException e) {
            throw bad(text);
        }
    }

    private static IllegalArgumentException bad(String text) {
        return new IllegalArgumentException("invalid duration \"" + text + "\"");
    }
}
