package io.kubevisor.runtime.logs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The pump gives converted raw output back to the disk (fallocate) and still reads on after it. */
class ContainerLogPumpIT {

    @TempDir
    Path dir;

    @Test
    void convertedRawOutputIsPunchedOutButOffsetsStay() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/fallocate")), "fallocate (util-linux) missing");
        Path out = dir.resolve("stdout");
        String line = "x".repeat(1023) + "\n";
        try (var w = Files.newBufferedWriter(out, StandardCharsets.US_ASCII, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND)) {
            for (int i = 0; i < 12 * 1024; i++) {
                w.write(line);
            }
        }
        long size = Files.size(out);
        var pump = new ContainerLogPump("c", out, dir.resolve("stderr"), dir.resolve("offsets"),
                new CriLogWriter(dir.resolve("log"), new LogRotation(64L << 20, 2)), Clock.systemUTC(),
                Duration.ofSeconds(1));
        pump.close();
        assertThat(Files.size(out)).isEqualTo(size);
        assertThat(allocatedBytes(out)).isLessThan(size / 2);
        Files.writeString(out, "after the hole\n", StandardOpenOption.APPEND);
        var again = new ContainerLogPump("c", out, dir.resolve("stderr"), dir.resolve("offsets"),
                new CriLogWriter(dir.resolve("log"), new LogRotation(64L << 20, 2)), Clock.systemUTC(),
                Duration.ofSeconds(1));
        again.finish(Duration.ofSeconds(5));
        var lines = Files.readAllLines(dir.resolve("log"));
        assertThat(lines).hasSize(12 * 1024 + 1);
        assertThat(lines.getLast()).endsWith(" stdout F after the hole");
    }

    private static long allocatedBytes(Path p) throws IOException, InterruptedException {
        Process proc = new ProcessBuilder("stat", "-c", "%b %B", p.toString()).start();
        String[] f = new String(proc.getInputStream().readAllBytes()).trim().split(" ");
        proc.waitFor();
        return Long.parseLong(f[0]) * Long.parseLong(f[1]);
    }
}
