package io.kubevisor.api.codec;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;

/**
 * The JSON forms of Kubernetes' {@code meta/v1.Time} (RFC 3339, whole seconds, UTC) and
 * {@code meta/v1.MicroTime} (RFC 3339 with exactly six fraction digits, UTC). Stateless.
 */
final class KubeTime {

    private static final DateTimeFormatter SECONDS = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss'Z'")
            .withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter MICROS = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS'Z'")
            .withZone(ZoneOffset.UTC);

    private KubeTime() {
    }

    /** {@code Time}: Kubernetes drops the sub-second part when writing JSON. */
    static String formatSeconds(long epochSeconds) {
        return SECONDS.format(Instant.ofEpochSecond(epochSeconds));
    }

    /** {@code MicroTime}: truncated (not rounded) to microseconds, as Go's formatter does. */
    static String formatMicros(long epochSeconds, int nanos) {
        return MICROS.format(Instant.ofEpochSecond(epochSeconds, nanos).truncatedTo(ChronoUnit.MICROS));
    }

    /** Parses any RFC 3339 timestamp, with or without fraction and with any offset. */
    static Instant parse(String text) {
        try {
            return OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("invalid RFC 3339 time \"" + text + "\"", e);
        }
    }
}
