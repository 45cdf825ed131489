package io.kubevisor.runtime.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link Spawn#start}: a child as ProcessBuilder's redirects would make it, without its helper. */
class SpawnTest {

    @TempDir
    Path dir;

    @Test
    void theChildReadsItsStdinFileAppendsToItsOutputFilesAndReportsItsExitCode() throws Exception {
        Path in = Files.writeString(dir.resolve("in"), "hello\n");
        Path out = Files.writeString(dir.resolve("out"), "kept\n");
        Path err = dir.resolve("err");

        Process p = Spawn.start(List.of("/bin/sh", "-c", "read x; echo \"got $x\"; echo oops >&2; exit 3"), in, out,
                err);

        assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isEqualTo(3);
        assertThat(p.isAlive()).isFalse();
        assertThat(p.onExit().get(10, TimeUnit.SECONDS)).isSameAs(p);
        assertThat(Files.readString(out)).isEqualTo("kept\ngot hello\n");
        assertThat(Files.readString(err)).isEqualTo("oops\n");
        assertThat(p.getInputStream().read()).isEqualTo(-1);
    }

    @Test
    void theChildGetsTheEnvironmentAndNoOtherDescriptorOfTheJvm() throws Exception {
        Path out = dir.resolve("out");
        // The JVM has jar files, sockets and pipes open; the child must see only 0, 1 and 2 (and
        // the descriptor ls itself opens to read the directory).
        Process p = Spawn.start(List.of("/bin/sh", "-c", "echo \"path=$PATH\"; ls /proc/self/fd | wc -l"),
                Path.of("/dev/null"), out, dir.resolve("err"));

        assertThat(p.waitFor()).isZero();
        List<String> lines = Files.readAllLines(out);
        assertThat(lines.get(0)).isEqualTo("path=" + System.getenv("PATH"));
        assertThat(Integer.parseInt(lines.get(1).strip())).isLessThanOrEqualTo(4);
    }

    @Test
    void aRunningChildIsAliveUntilKilledAndThenReportsTheSignal() throws Exception {
        Process p = Spawn.start(List.of("/bin/sleep", "60"), Path.of("/dev/null"), dir.resolve("out"),
                dir.resolve("err"));

        assertThat(p.isAlive()).isTrue();
        assertThat(p.waitFor(50, TimeUnit.MILLISECONDS)).isFalse();
        assertThatThrownBy(p::exitValue).isInstanceOf(IllegalThreadStateException.class);
        assertThat(p.toHandle().pid()).isEqualTo(p.pid());

        p.destroyForcibly();

        assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isEqualTo(128 + 9);
        assertThat(ProcessHandle.of(p.pid())).as("reaped").isEmpty();
    }

    @Test
    void aProgramThatCannotRunIsRefusedWithItsErrno() {
        assertThatThrownBy(() -> Spawn.start(List.of("/nonexistent/kubevisor"), Path.of("/dev/null"),
                dir.resolve("out"), dir.resolve("err")))
                .isInstanceOfSatisfying(LinuxCallException.class, e -> assertThat(e.is(Errno.ENOENT)).isTrue());
        assertThatThrownBy(() -> Spawn.start(List.of("sh"), Path.of("/dev/null"), dir.resolve("out"),
                dir.resolve("err")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("absolute");
    }
}
