package io.kubevisor.node;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;

/** Kubernetes' {@code metav1.Time}: RFC 3339 in UTC, whole seconds. Stateless. */
public final class KubeTime {

    private KubeTime() {
    }

    /** e.g. {@code 2025-01-31T12:00:00Z}. */
    public static String format(Instant t) {
        return t.truncatedTo(ChronoUnit.SECONDS).toString();
    }

    /** The instant, or null when the text is null or not RFC 3339. */
    public static Instant parse(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
