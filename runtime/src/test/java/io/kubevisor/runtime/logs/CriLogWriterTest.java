package io.kubevisor.runtime.logs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CriLogWriterTest {

    @TempDir
    Path dir;

    private static CriLogLine line(String text, boolean partial) {
        return new CriLogLine(Instant.parse("2024-01-02T03:04:05.120Z"), CriLogLine.Stream.STDOUT, partial,
                text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void writesCriFormat() throws IOException {
        Path log = dir.resolve("c/0.log");
        try (var w = new CriLogWriter(log, LogRotation.defaults())) {
            w.write(line("hello world", false));
            w.write(new CriLogLine(Instant.parse("2024-01-02T03:04:05.000000001Z"), CriLogLine.Stream.STDERR, true,
                    "part".getBytes(StandardCharsets.UTF_8)));
            w.write(line("", false));
        }
        assertThat(Files.readAllLines(log)).containsExactly(
                "2024-01-02T03:04:05.120000000Z stdout F hello world",
                "2024-01-02T03:04:05.000000001Z stderr P part",
                "2024-01-02T03:04:05.120000000Z stdout F ");
    }

    @Test
    void parsesWhatItWrites() {
        CriLogLine l = line("a b  c", true);
        byte[] enc = l.encode();
        assertThat(CriLogLine.parse(enc, 0, enc.length - 1)).isEqualTo(l);
        byte[] bad = "not a cri line".getBytes(StandardCharsets.UTF_8);
        assertThat(CriLogLine.parse(bad, 0, bad.length)).isNull();
    }

    @Test
    void rotatesBySizeAndKeepsNFiles() throws IOException {
        Path log = dir.resolve("log");
        String text = "x".repeat(200);
        try (var w = new CriLogWriter(log, new LogRotation(1024, 3))) {
            for (int i = 0; i < 30; i++) {
                w.write(line(i + " " + text, false));
            }
        }
        assertThat(Files.exists(log)).isTrue();
        assertThat(Files.exists(CriLogWriter.rotated(log, 1))).isTrue();
        assertThat(Files.exists(CriLogWriter.rotated(log, 2))).isTrue();
        assertThat(Files.exists(CriLogWriter.rotated(log, 3))).isFalse();
        for (Path p : List.of(log, CriLogWriter.rotated(log, 1), CriLogWriter.rotated(log, 2))) {
            assertThat(Files.size(p)).isLessThanOrEqualTo(1024);
        }
        // The newest line is last in the current file; older files hold older lines.
        assertThat(Files.readAllLines(log).getLast()).contains(" F 29 ");
        int firstInCurrent = Integer.parseInt(Files.readAllLines(log).getFirst().split(" ")[3]);
        int lastInPrevious = Integer.parseInt(Files.readAllLines(CriLogWriter.rotated(log, 1)).getLast().split(" ")[3]);
        assertThat(lastInPrevious).isEqualTo(firstInCurrent - 1);
    }

    @Test
    void appendsToAnExistingLog() throws IOException {
        Path log = dir.resolve("log");
        try (var w = new CriLogWriter(log, LogRotation.defaults())) {
            w.write(line("one", false));
        }
        try (var w = new CriLogWriter(log, LogRotation.defaults())) {
            w.write(line("two", false));
        }
        assertThat(Files.readAllLines(log)).hasSize(2);
    }
}
