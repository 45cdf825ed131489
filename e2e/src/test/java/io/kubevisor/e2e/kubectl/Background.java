package io.kubevisor.e2e.kubectl;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;

import org.awaitility.core.ConditionTimeoutException;

import io.kubevisor.e2e.support.Cluster;
import io.kubevisor.e2e.support.Kubectl;

/**
 * A kubectl that keeps running (e.g. {@code get -w}, {@code wait}) while the test acts; its stdout and stderr go
 * to files that the test polls. Closing it kills the process (tests close it even when they fail).
 */
final class Background implements AutoCloseable {

    private final Process process;
    private final Path out;
    private final Path err;
    private final String command;

    private Background(Process process, Path out, Path err, String command) {
        this.process = process;
        this.out = out;
        this.err = err;
        this.command = command;
    }

    static Background start(Kubectl kubectl, Path dir, String... args) throws IOException {
        Files.createDirectories(dir);
        Path out = Files.createTempFile(dir, "bg", ".out");
        Process p = kubectl.start(out, args);
        return new Background(p, out, out.resolveSibling(out.getFileName() + ".err"), String.join(" ", args));
    }

    String stdout() {
        return read(out);
    }

    String stderr() {
        return read(err);
    }

    /** Waits until stdout satisfies {@code condition}; on timeout the failure shows both streams. */
    Background awaitStdout(String what, Predicate<String> condition) {
        awaitOrReport(what, () -> condition.test(stdout()));
        if (!condition.test(stdout())) {
            throw new AssertionError("kubectl " + command + " exited (rc " + process.exitValue() + ") before: " + what
                    + "\nstdout:\n" + stdout() + "\nstderr:\n" + stderr());
        }
        return this;
    }

    /** Waits until stderr satisfies {@code condition} (e.g. a -v=6 request log line). */
    Background awaitStderr(String what, Predicate<String> condition) {
        awaitOrReport(what, () -> condition.test(stderr()));
        if (!condition.test(stderr())) {
            throw new AssertionError("kubectl " + command + " exited (rc " + process.exitValue() + ") before: " + what
                    + "\nstdout:\n" + stdout() + "\nstderr:\n" + stderr());
        }
        return this;
    }

    /** Waits for the process to end by itself and returns its exit code. */
    int awaitExit() throws InterruptedException {
        if (!process.waitFor(Cluster.patience().toSeconds(), TimeUnit.SECONDS)) {
            throw new AssertionError("kubectl " + command + " still runs after " + Cluster.patience()
                    + "\nstdout:\n" + stdout() + "\nstderr:\n" + stderr());
        }
        return process.exitValue();
    }

    private void awaitOrReport(String what, BooleanSupplier condition) {
        try {
            await(command + ": " + what).atMost(Cluster.patience()).pollInterval(Duration.ofMillis(100))
                    .until(() -> condition.getAsBoolean() || exited());
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("kubectl " + command + " did not print " + what + " within " + Cluster.patience()
                    + "\nstdout:\n" + stdout() + "\nstderr:\n" + stderr(), e);
        }
    }

    /** A process that ended cannot print more: stop waiting and report what it printed. */
    private boolean exited() {
        return !process.isAlive();
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(5, TimeUnit.SECONDS);
        }
    }
}
