package io.kubevisor.bench;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs host commands (ip, umoci, skopeo, runsc, mount) for the pod benchmark. Commands whose
 * children outlive them ({@code runsc run --detach}, {@code create}, {@code start}) hand their
 * stdio to the sandbox, so they write to files opened for appending, never to pipes. Stateless.
 */
final class HostCommand {

    private static final File DEV_NULL = new File("/dev/null");

    /** What a finished command printed. */
    record Result(int rc, String out, String err) {
        boolean ok() {
            return rc == 0;
        }

        /** The command's own message, one line. */
        String message() {
            String m = (err.isBlank() ? out : err).strip();
            return m.isEmpty() ? "exit code " + rc : m.replace('\n', ' ');
        }
    }

    private HostCommand() {
    }

    /** Runs a command to its end with its output captured. */
    static Result run(Duration timeout, List<String> cmd) {
        try {
            Path out = Files.createTempFile("bench-out", ".txt");
            Path err = Files.createTempFile("bench-err", ".txt");
            try {
                Process p = new ProcessBuilder(cmd).redirectInput(DEV_NULL).redirectOutput(out.toFile())
                        .redirectError(err.toFile()).start();
                int rc = waitFor(p, timeout, cmd);
                return new Result(rc, Files.readString(out, StandardCharsets.UTF_8),
                        Files.readString(err, StandardCharsets.UTF_8));
            } finally {
                Files.deleteIfExists(out);
                Files.deleteIfExists(err);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + cmd.getFirst(), e);
        }
    }

    static Result run(Duration timeout, String... cmd) {
        return run(timeout, List.of(cmd));
    }

    /** Runs a command and fails unless it exits with 0; returns its stdout. */
    static String check(Duration timeout, String... cmd) {
        Result r = run(timeout, List.of(cmd));
        if (!r.ok()) {
            throw new IllegalStateException(String.join(" ", cmd) + ": " + r.message());
        }
        return r.out();
    }

    /**
     * Runs a command whose stdio a sandbox inherits: stdin from /dev/null, stdout and stderr
     * appended to {@code log}. Returns the exit code.
     */
    static int runDetached(List<String> cmd, Path log, Duration timeout) {
        try {
            Process p = new ProcessBuilder(cmd).redirectInput(DEV_NULL)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .redirectError(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
            return waitFor(p, timeout, cmd);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + cmd.getFirst(), e);
        }
    }

    private static int waitFor(Process p, Duration timeout, List<String> cmd) {
        try {
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("timed out after " + timeout.toSeconds() + " s: "
                        + String.join(" ", cmd));
            }
            return p.exitValue();
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted: " + String.join(" ", cmd), e);
        }
    }
}
