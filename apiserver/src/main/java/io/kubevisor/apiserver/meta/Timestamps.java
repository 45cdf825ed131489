package io.kubevisor.apiserver.meta;

import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/** Kubernetes' timestamp format: RFC 3339 in UTC, whole seconds ({@code 2024-01-02T03:04:05Z}). */
public final class Timestamps {

    private Timestamps() {
    }

    public static String format(Instant t) {
        return DateTimeFormatter.ISO_INSTANT.format(t.truncatedTo(ChronoUnit.SECONDS));
    }

    /** MicroTime: six fractional digits, as in Lease renewTime and events.k8s.io eventTime. */
    public static String formatMicro(Instant t) {
        String s = DateTimeFormatter.ISO_INSTANT.format(t.truncatedTo(ChronoUnit.MICROS));
        int dot = s.indexOf('.');
        String base = dot < 0 ? s.substring(0, s.length() - 1) : s.substring(0, dot);
        String frac = dot < 0 ? "" : s.substring(dot + 1, s.length() - 1);
        return base + "." + (frac + "000000").substring(0, 6) + "Z";
    }

    public static Optional<Instant> parse(String s) {
        if (s == null || s.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(java.time.OffsetDateTime.parse(s).toInstant());
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }
}
