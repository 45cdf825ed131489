package io.kubevisor.runtime.logs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ContainerLogPumpTest {

    @TempDir
    Path dir;

    private Path out() {
        return dir.resolve("stdout");
    }

    private Path err() {
        return dir.resolve("stderr");
    }

    private Path log() {
        return dir.resolve("ctr.log");
    }

    private ContainerLogPump pump(Duration partialDelay) {
        return new ContainerLogPump("c1", out(), err(), dir.resolve("offsets"),
                new CriLogWriter(log(), LogRotation.defaults()), Clock.systemUTC(), partialDelay);
    }

    private static void append(Path p, String s) throws IOException {
        Files.writeString(p, s, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    /** "stream tag text" of each entry. */
    private List<String> entries() throws IOException {
        if (!Files.exists(log())) {
            return List.of();
        }
        return Files.readAllLines(log()).stream().map(l -> l.substring(l.indexOf(' ') + 1)).toList();
    }

    @Test
    void convertsBothStreamsAndEndsAnOpenLineAtFinish() throws IOException {
        append(out(), "hello\nwor");
        append(err(), "bad\n");
        var p = pump(Duration.ofSeconds(30));
        p.start();
        await().atMost(Duration.ofSeconds(5)).until(() -> entries().size() == 2);
        assertThat(entries()).containsExactlyInAnyOrder("stdout F hello", "stderr F bad");
        append(out(), "ld");
        p.finish(Duration.ofSeconds(5));
        assertThat(entries()).contains("stdout F world");
    }

    @Test
    void aLineWithoutNewlineGoesOutAsPartialAfterTheDelay() throws IOException {
        append(out(), "prompt> ");
        var p = pump(Duration.ofMillis(200));
        p.start();
        await().atMost(Duration.ofSeconds(5)).until(() -> entries().contains("stdout P prompt> "));
        append(out(), "answer\n");
        await().atMost(Duration.ofSeconds(5)).until(() -> entries().contains("stdout F answer"));
        p.close();
        var text = new java.io.ByteArrayOutputStream();
        new CriLogReader(log()).copy(CriLogReader.Options.all(), text, () -> false);
        assertThat(text.toString()).isEqualTo("prompt> answer\n");
    }

    @Test
    void longLinesAreSplitIntoPartialEntries() throws IOException {
        String big = "a".repeat(RawStreamTailer.MAX_LINE * 2 + 10);
        append(out(), big + "\n");
        var p = pump(Duration.ofSeconds(30));
        p.finish(Duration.ofSeconds(5));
        List<String> e = entries();
        assertThat(e).hasSize(3);
        assertThat(e.get(0)).startsWith("stdout P ").hasSize(9 + RawStreamTailer.MAX_LINE);
        assertThat(e.get(2)).isEqualTo("stdout F " + "a".repeat(10));
    }

    @Test
    void aNewPumpResumesFromTheSavedOffsets() throws IOException {
        append(out(), "one\ntwo\n");
        var first = pump(Duration.ofSeconds(30));
        first.start();
        await().atMost(Duration.ofSeconds(5)).until(() -> entries().size() == 2);
        first.close();
        // Written while no agent ran.
        append(out(), "three\n");
        append(err(), "four\n");
        var second = pump(Duration.ofSeconds(30));
        second.start();
        await().atMost(Duration.ofSeconds(5)).until(() -> entries().size() == 4);
        second.close();
        assertThat(entries()).containsExactly("stdout F one", "stdout F two", "stdout F three", "stderr F four");
    }

    @Test
    void offsetsFileSurvivesAndIsReadable() throws IOException {
        Files.writeString(dir.resolve("offsets"), "stdout 12\nstderr 7\n");
        assertThat(ContainerLogPump.readOffsets(dir.resolve("offsets"))).containsExactly(12, 7);
        assertThat(ContainerLogPump.readOffsets(dir.resolve("missing"))).containsExactly(0, 0);
    }
}
