package io.kubevisor.runtime.logs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CriLogReaderTest {

    @TempDir
    Path dir;

    private static final Instant T0 = Instant.parse("2024-01-02T03:04:05Z");

    private static CriLogLine at(int second, CriLogLine.Stream s, boolean partial, String text) {
        return new CriLogLine(T0.plusSeconds(second), s, partial, text.getBytes(StandardCharsets.UTF_8));
    }

    private Path sample() {
        Path log = dir.resolve("log");
        try (var w = new CriLogWriter(log, LogRotation.defaults())) {
            w.write(at(0, CriLogLine.Stream.STDOUT, false, "one"));
            w.write(at(1, CriLogLine.Stream.STDERR, false, "two"));
            w.write(at(2, CriLogLine.Stream.STDOUT, true, "thr"));
            w.write(at(3, CriLogLine.Stream.STDOUT, false, "ee"));
            w.write(at(4, CriLogLine.Stream.STDOUT, false, "four"));
        }
        return log;
    }

    private static String read(Path log, CriLogReader.Options o) throws IOException {
        var out = new ByteArrayOutputStream();
        new CriLogReader(log, Duration.ofMillis(10)).copy(o, out, () -> false);
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void readsAllLinesJoiningPartials() throws IOException {
        assertThat(read(sample(), CriLogReader.Options.all())).isEqualTo("one\ntwo\nthree\nfour\n");
    }

    @Test
    void timestampsPrefixTheFirstFragment() throws IOException {
        assertThat(read(sample(), new CriLogReader.Options(false, -1, null, true, -1))).isEqualTo(
                "2024-01-02T03:04:05Z one\n2024-01-02T03:04:06Z two\n2024-01-02T03:04:07Z three\n"
                        + "2024-01-02T03:04:09Z four\n");
    }

    @Test
    void tailCountsWholeLines() throws IOException {
        assertThat(read(sample(), new CriLogReader.Options(false, 2, null, false, -1))).isEqualTo("three\nfour\n");
        assertThat(read(sample(), new CriLogReader.Options(false, 0, null, false, -1))).isEmpty();
    }

    @Test
    void sinceSkipsOlderEntries() throws IOException {
        assertThat(read(sample(), new CriLogReader.Options(false, -1, T0.plusSeconds(1), false, -1)))
                .isEqualTo("two\nthree\nfour\n");
    }

    @Test
    void limitBytesCutsTheOutput() throws IOException {
        assertThat(read(sample(), new CriLogReader.Options(false, -1, null, false, 6))).isEqualTo("one\ntw");
    }

    @Test
    void readsRotatedFilesOldestFirst() throws IOException {
        Path log = dir.resolve("log");
        try (var w = new CriLogWriter(log, new LogRotation(1024, 5))) {
            for (int i = 0; i < 40; i++) {
                w.write(at(i, CriLogLine.Stream.STDOUT, false, "line " + i + " " + "y".repeat(100)));
            }
        }
        String all = read(log, CriLogReader.Options.all());
        assertThat(all.lines().map(l -> l.split(" ")[1]).mapToInt(Integer::parseInt).toArray())
                .isSorted().endsWith(39);
        assertThat(read(log, new CriLogReader.Options(false, 1, null, false, -1))).startsWith("line 39 ");
    }

    @Test
    void followSeesNewLinesAcrossRotationUntilTold() throws Exception {
        Path log = dir.resolve("log");
        var w = new CriLogWriter(log, new LogRotation(1024, 3));
        w.write(at(0, CriLogLine.Stream.STDOUT, false, "first"));
        var out = new ByteArrayOutputStream();
        var keep = new AtomicBoolean(true);
        Thread reader = Thread.ofVirtual().start(() -> {
            try {
                new CriLogReader(log, Duration.ofMillis(10))
                        .copy(new CriLogReader.Options(true, -1, null, false, -1), out, keep::get);
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        });
        for (int i = 1; i <= 30; i++) {
            w.write(at(i, CriLogLine.Stream.STDOUT, false, "n" + i + " " + "z".repeat(100)));
            Thread.sleep(3);
        }
        w.close();
        Thread.sleep(100);
        keep.set(false);
        reader.join(5000);
        assertThat(reader.isAlive()).isFalse();
        String[] lines = out.toString(StandardCharsets.UTF_8).split("\n");
        assertThat(lines[0]).isEqualTo("first");
        assertThat(lines).hasSize(31);
        for (int i = 1; i <= 30; i++) {
            assertThat(lines[i]).startsWith("n" + i + " ");
        }
    }
}
