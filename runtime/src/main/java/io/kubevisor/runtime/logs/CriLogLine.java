package io.kubevisor.runtime.logs;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.util.Arrays;

/**
 * One entry of a CRI log file: {@code 2024-01-02T03:04:05.123456789Z stdout F text}. {@code P}
 * marks a fragment of a longer line whose remainder follows in later entries.
 *
 * @param time    when the runtime read it
 * @param stream  stdout or stderr
 * @param partial a fragment, not the end of a line
 * @param content the bytes without the line's newline
 */
public record CriLogLine(Instant time, Stream stream, boolean partial, byte[] content) {

    /** The container stream a line came from. */
    public enum Stream {
        STDOUT("stdout"), STDERR("stderr");

        private final String tag;

        Stream(String tag) {
            this.tag = tag;
        }

        /** The word in the file. */
        public String tag() {
            return tag;
        }

        static Stream of(String tag) {
            return switch (tag) {
                case "stdout" -> STDOUT;
                case "stderr" -> STDERR;
                default -> null;
            };
        }
    }

    /** Fixed nine fraction digits in the file, so names and lines sort as text. */
    private static final DateTimeFormatter FILE_TIME = new DateTimeFormatterBuilder()
            .appendPattern("uuuu-MM-dd'T'HH:mm:ss")
            .appendFraction(ChronoField.NANO_OF_SECOND, 9, 9, true)
            .appendLiteral('Z')
            .toFormatter()
            .withZone(ZoneOffset.UTC);

    /** Go's RFC3339Nano: trailing zeros of the fraction trimmed, as the kubelet prints it. */
    private static final DateTimeFormatter GO_RFC3339_NANO = new DateTimeFormatterBuilder()
            .appendPattern("uuuu-MM-dd'T'HH:mm:ss")
            .appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true)
            .appendLiteral('Z')
            .toFormatter()
            .withZone(ZoneOffset.UTC);

    /** The line as written to a file, newline included. */
    public byte[] encode() {
        byte[] head = (FILE_TIME.format(time) + ' ' + stream.tag() + ' ' + (partial ? 'P' : 'F') + ' ')
                .getBytes(StandardCharsets.US_ASCII);
        byte[] out = Arrays.copyOf(head, head.length + content.length + 1);
        System.arraycopy(content, 0, out, head.length, content.length);
        out[out.length - 1] = '\n';
        return out;
    }

    /** A timestamp as {@code kubectl logs --timestamps} shows it. */
    public static String formatTimestamp(Instant time) {
        return GO_RFC3339_NANO.format(time);
    }

    /**
     * Parses one line of a file (without its newline).
     *
     * @return the entry, or null when the line is not in CRI format
     */
    public static CriLogLine parse(byte[] line, int off, int len) {
        int end = off + len;
        int s1 = indexOf(line, off, end, (byte) ' ');
        if (s1 < 0) {
            return null;
        }
        int s2 = indexOf(line, s1 + 1, end, (byte) ' ');
        if (s2 < 0) {
            return null;
        }
        int s3 = indexOf(line, s2 + 1, end, (byte) ' ');
        // An empty line is "... F" followed by nothing after the tag's space; tolerate a missing space.
        int tagEnd = s3 < 0 ? end : s3;
        Instant time;
        try {
            time = Instant.parse(new String(line, off, s1 - off, StandardCharsets.US_ASCII));
        } catch (DateTimeParseException e) {
            return null;
        }
        Stream stream = Stream.of(new String(line, s1 + 1, s2 - s1 - 1, StandardCharsets.US_ASCII));
        if (stream == null) {
            return null;
        }
        // Tags may be several, separated by ':'; the first says partial or full.
        String tags = new String(line, s2 + 1, tagEnd - s2 - 1, StandardCharsets.US_ASCII);
        boolean partial = tags.startsWith("P");
        byte[] content = s3 < 0 ? new byte[0] : Arrays.copyOfRange(line, s3 + 1, end);
        return new CriLogLine(time, stream, partial, content);
    }

    private static int indexOf(byte[] b, int from, int to, byte v) {
        for (int i = from; i < to; i++) {
            if (b[i] == v) {
                return i;
            }
        }
        return -1;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CriLogLine l && l.time.equals(time) && l.stream == stream && l.partial == partial
                && Arrays.equals(l.content, content);
    }

    @Override
    public int hashCode() {
        return time.hashCode() * 31 + Arrays.hashCode(content);
    }

    @Override
    public String toString() {
        return "CriLogLine[" + time + " " + stream.tag() + " " + (partial ? "P" : "F") + " "
                + new String(content, StandardCharsets.UTF_8) + "]";
    }
}
