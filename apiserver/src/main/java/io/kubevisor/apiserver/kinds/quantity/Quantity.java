package io.kubevisor.apiserver.kinds.quantity;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;

/**
 * A Kubernetes resource quantity ({@code 500m}, {@code 1Gi}, {@code 1e3}): an exact decimal value
 * and the notation it was written in. Parsing and the canonical text follow
 * {@code k8s.io/apimachinery/pkg/api/resource}: {@code 1000m} prints as {@code 1}, {@code 1024Mi}
 * as {@code 1Gi}, {@code 0.5} as {@code 500m}; values are rounded up to nano units. Immutable and
 * thread-safe; compares by value.
 */
public final class Quantity implements Comparable<Quantity> {

    /** The notation a quantity prints in. */
    public enum Format {
        /** {@code 1e3}, {@code 12e-3}. */
        DECIMAL_EXPONENT,
        /** {@code 1Ki}, {@code 5Gi}. */
        BINARY_SI,
        /** {@code 1k}, {@code 500m}, {@code 3}. */
        DECIMAL_SI
    }

    /** Kubernetes' error for text that is not a quantity at all. */
    public static final String FORMAT_ERROR =
            "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";
    static final String SUFFIX_ERROR = "unable to parse quantity's suffix";

    private static final int NANO = 9;
    private static final BigDecimal B1024 = BigDecimal.valueOf(1024);

    private final BigDecimal value;
    private final Format format;

    private Quantity(BigDecimal value, Format format) {
        this.value = value;
        this.format = format;
    }

    /** A quantity of {@code value} in {@code format}. */
    public static Quantity of(BigDecimal value, Format format) {
        return new Quantity(value, format);
    }

    /**
     * Parses a quantity as Kubernetes does.
     *
     * @throws QuantityFormatException with Kubernetes' message when {@code text} is not a quantity
     */
    public static Quantity parse(String text) {
        if (text == null || text.isEmpty()) {
            throw new QuantityFormatException(FORMAT_ERROR);
        }
        Parts p = Parts.split(text);
        Suffix s = Suffix.interpret(p.suffix());
        BigDecimal amount = new BigDecimal(p.num() + (p.denom().isEmpty() ? "" : "." + p.denom()));
        if (s.base() == 10) {
            amount = amount.scaleByPowerOfTen(s.exponent());
        } else {
            amount = amount.multiply(new BigDecimal(BigInteger.ONE.shiftLeft(s.exponent())));
        }
        if (amount.signum() != 0 && amount.scale() > NANO) {
            // Kubernetes rounds tiny requests up: asking for some resource should yield some.
            amount = amount.setScale(NANO, RoundingMode.UP);
        }
        return new Quantity(p.negative() ? amount.negate() : amount, s.format());
    }

    /** The exact value. */
    public BigDecimal value() {
        return value;
    }

    /** The notation. */
    public Format format() {
        return format;
    }

    /** -1, 0 or 1. */
    public int signum() {
        return value.signum();
    }

    /** This quantity plus {@code other}, in this quantity's notation. */
    public Quantity add(Quantity other) {
        return new Quantity(value.add(other.value), format);
    }

    /** The value in thousandths, rounded up (Quantity.MilliValue). */
    public long milliValue() {
        return value.movePointRight(3).setScale(0, RoundingMode.UP).longValue();
    }

    /** Rounds the value up to {@code decimals} places (RoundUp(-3) keeps milli units). */
    public Quantity roundUp(int decimals) {
        if (value.scale() <= decimals) {
            return this;
        }
        return new Quantity(value.setScale(decimals, RoundingMode.UP), format);
    }

    @Override
    public int compareTo(Quantity o) {
        return value.compareTo(o.value);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Quantity q && value.compareTo(q.value) == 0;
    }

    @Override
    public int hashCode() {
        return value.stripTrailingZeros().hashCode();
    }

    /** The canonical text Kubernetes writes for this quantity. */
    @Override
    public String toString() {
        if (value.signum() == 0) {
            return "0";
        }
        if (format == Format.BINARY_SI) {
            boolean small = value.abs().compareTo(B1024) < 0;
            boolean whole = value.stripTrailingZeros().scale() <= 0;
            if (!small && whole) {
                return binary(value.toBigIntegerExact());
            }
        }
        return decimal(value, format == Format.DECIMAL_EXPONENT);
    }

    private static String binary(BigInteger v) {
        BigInteger k = BigInteger.valueOf(1024);
        int exp = 0;
        while (exp < 6 && v.signum() != 0 && v.mod(k).signum() == 0) {
            v = v.divide(k);
            exp++;
        }
        String[] suffixes = {"", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"};
        return v + suffixes[exp];
    }

    private static String decimal(BigDecimal v, boolean exponentForm) {
        BigDecimal stripped = v.stripTrailingZeros();
        BigInteger mantissa = stripped.unscaledValue();
        int exponent = -stripped.scale();
        switch (Math.floorMod(exponent, 3)) {
            case 1 -> {
                mantissa = mantissa.multiply(BigInteger.TEN);
                exponent -= 1;
            }
            case 2 -> {
                mantissa = mantissa.multiply(BigInteger.valueOf(100));
                exponent -= 2;
            }
            default -> {
            }
        }
        if (exponentForm) {
            return exponent == 0 ? mantissa.toString() : mantissa + "e" + exponent;
        }
        String suffix = switch (exponent) {
            case -9 -> "n";
            case -6 -> "u";
            case -3 -> "m";
            case 0 -> "";
            case 3 -> "k";
            case 6 -> "M";
            case 9 -> "G";
            case 12 -> "T";
            case 15 -> "P";
            case 18 -> "E";
            default -> null;
        };
        return suffix == null ? mantissa + "e" + exponent : mantissa + suffix;
    }

    /** The pieces of a quantity's text, split as Kubernetes' parseQuantityString does. */
    private record Parts(boolean negative, String num, String denom, String suffix) {

        static Parts split(String str) {
            int pos = 0;
            int end = str.length();
            boolean negative = false;
            if (str.charAt(0) == '-' || str.charAt(0) == '+') {
                negative = str.charAt(0) == '-';
                pos++;
            }
            while (pos < end && str.charAt(pos) == '0') {
                pos++;
            }
            int numStart = pos;
            while (pos < end && Character.isDigit(str.charAt(pos)) && str.charAt(pos) < 128) {
                pos++;
            }
            String num = str.substring(numStart, pos);
            if (num.isEmpty()) {
                num = "0";
            }
            String denom = "";
            if (pos < end && str.charAt(pos) == '.') {
                pos++;
                int denomStart = pos;
                while (pos < end && Character.isDigit(str.charAt(pos)) && str.charAt(pos) < 128) {
                    pos++;
                }
                denom = str.substring(denomStart, pos);
            }
            int suffixStart = pos;
            while (pos < end && "eEinumkKMGTP".indexOf(str.charAt(pos)) >= 0) {
                pos++;
            }
            if (pos < end && (str.charAt(pos) == '-' || str.charAt(pos) == '+')) {
                pos++;
            }
            while (pos < end && Character.isDigit(str.charAt(pos)) && str.charAt(pos) < 128) {
                pos++;
            }
            if (pos < end) {
                throw new QuantityFormatException(FORMAT_ERROR);
            }
            return new Parts(negative, num, denom, str.substring(suffixStart));
        }
    }

    /** What a suffix means: base 10 or 2, the exponent, and the notation it implies. */
    private record Suffix(int base, int exponent, Format format) {

        static Suffix interpret(String s) {
            return switch (s) {
                case "" -> new Suffix(10, 0, Format.DECIMAL_SI);
                case "n" -> new Suffix(10, -9, Format.DECIMAL_SI);
                case "u" -> new Suffix(10, -6, Format.DECIMAL_SI);
                case "m" -> new Suffix(10, -3, Format.DECIMAL_SI);
                case "k" -> new Suffix(10, 3, Format.DECIMAL_SI);
                case "M" -> new Suffix(10, 6, Format.DECIMAL_SI);
                case "G" -> new Suffix(10, 9, Format.DECIMAL_SI);
                case "T" -> new Suffix(10, 12, Format.DECIMAL_SI);
                case "P" -> new Suffix(10, 15, Format.DECIMAL_SI);
                case "E" -> new Suffix(10, 18, Format.DECIMAL_SI);
                case "Ki" -> new Suffix(2, 10, Format.BINARY_SI);
                case "Mi" -> new Suffix(2, 20, Format.BINARY_SI);
                case "Gi" -> new Suffix(2, 30, Format.BINARY_SI);
                case "Ti" -> new Suffix(2, 40, Format.BINARY_SI);
                case "Pi" -> new Suffix(2, 50, Format.BINARY_SI);
                case "Ei" -> new Suffix(2, 60, Format.BINARY_SI);
                default -> exponent(s);
            };
        }

        private static Suffix exponent(String s) {
            if (s.length() > 1 && (s.charAt(0) == 'e' || s.charAt(0) == 'E')) {
                try {
                    return new Suffix(10, Integer.parseInt(s.substring(1)), Format.DECIMAL_EXPONENT);
                } catch (NumberFormatException e) {
                    throw new QuantityFormatException(SUFFIX_ERROR);
                }
            }
            throw new QuantityFormatException(SUFFIX_ERROR);
        }
    }
}
