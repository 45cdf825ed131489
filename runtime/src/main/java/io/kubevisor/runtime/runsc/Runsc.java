package io.kubevisor.runtime.runsc;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Builds and runs runsc command lines with this runtime's global flags. Commands whose children
 * outlive them (create, start, restore hand their stdio to the sandbox and the gofer) never get
 * pipes, only files, or reading their output would wait for the sandbox to end.
 *
 * <p>Thread-safe and stateless apart from the options.
 */
final class Runsc {

    /** Hides /proc/sys/net while runsc starts a root container in a network namespace (runsc's
     * check for "the root network namespace" misfires on kernels that show it in every netns). */
    private static final String HIDE_PROC_SYS_NET =
            "mount -t tmpfs -o size=4k kubevisor-hide /proc/sys/net && exec \"$0\" \"$@\"";

    static final Duration SHORT = Duration.ofSeconds(30);
    static final File DEV_NULL = new File("/dev/null");

    /** What a finished command printed. */
    record Result(int rc, String out, String err) {
        boolean ok() {
            return rc == 0;
        }

        /** runsc's own message, one line. */
        String message() {
            String m = (err.isBlank() ? out : err).strip();
            return m.isEmpty() ? "runsc exited with " + rc : m.replace('\n', ' ');
        }
    }

    private final RunscOptions options;

    Runsc(RunscOptions options) {
        this.options = options;
    }

    RunscOptions options() {
        return options;
    }

    /** {@code runsc <global flags> args…} for a sandbox with the given network flag. */
    List<String> command(String network, List<String> args) {
        var cmd = new ArrayList<String>();
        cmd.add(options.runsc().toString());
        cmd.add("--root=" + options.stateRoot());
        cmd.add("--platform=" + options.platform());
        cmd.add("--network=" + network);
        // The image's root stays read-only on the host; writes go to memory inside the sandbox.
        cmd.add("--overlay2=root:memory");
        if (options.debugLogDir() != null) {
            cmd.add("--debug");
            cmd.add("--debug-log=" + options.debugLogDir() + "/");
        }
        cmd.addAll(args);
        return cmd;
    }

    /** The command wrapped so that it runs with /proc/sys/net hidden in a private mount namespace. */
    static List<String> hidingProcSysNet(List<String> cmd) {
        var wrapped = new ArrayList<String>(List.of("unshare", "-m", "--propagation", "private", "sh", "-c",
                HIDE_PROC_SYS_NET));
        wrapped.addAll(cmd);
        return wrapped;
    }

    /**
     * The command run by {@code script} on a fresh host pseudo-terminal, its exit code passed
     * through: runsc with {@code terminal: true} and no console socket hands its own terminal to
     * the sandbox, and the other end of this one is script's stdin and stdout (stderr merged, as
     * on any terminal).
     */
    static List<String> onTerminal(List<String> argv) {
        StringBuilder line = new StringBuilder();
        for (String a : argv) {
            line.append(line.isEmpty() ? "" : " ").append('\'').append(a.replace("'", "'\\''")).append('\'');
        }
        return List.of("script", "--quiet", "--flush", "--return", "--command", line.toString(), "/dev/null");
    }

    /** Runs a short command with piped output (state, kill, wait, delete, events, list…). */
    Result run(String network, Duration timeout, String... args) {
        return run(command(network, List.of(args)), timeout);
    }

    static Result run(List<String> cmd, Duration timeout) {
        try {
            Path out = Files.createTempFile("runsc-out", ".txt");
            Path err = Files.createTempFile("runsc-err", ".txt");
            try {
                Process p = new ProcessBuilder(cmd)
                        .redirectInput(DEV_NULL)
                        .redirectOutput(out.toFile())
                        .redirectError(err.toFile())
                        .start();
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

    /**
     * Runs a command whose stdio the sandbox inherits: output to files opened for appending,
     * stdin from /dev/null.
     */
    static int runDetached(List<String> cmd, Path stdout, Path stderr, Duration timeout) {
        return runDetached(cmd, null, stdout, stderr, timeout);
    }

    /** As above, with stdin read from {@code stdin} (a FIFO the container inherits) or /dev/null. */
    static int runDetached(List<String> cmd, Path stdin, Path stdout, Path stderr, Duration timeout) {
        try {
            Process p = new ProcessBuilder(cmd)
                    .redirectInput(stdin == null ? DEV_NULL : stdin.toFile())
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(stdout.toFile()))
                    .redirectError(ProcessBuilder.Redirect.appendTo(stderr.toFile()))
                    .start();
            return waitFor(p, timeout, cmd);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + cmd.getFirst(), e);
        }
    }

    private static int waitFor(Process p, Duration timeout, List<String> cmd) {
        try {
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new RunscException("runsc timed out after " + timeout.toSeconds() + "s: " + describe(cmd));
            }
            return p.exitValue();
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new RunscException("interrupted: " + describe(cmd), e);
        }
    }

    /** The verb and id of a command line, for messages. */
    static String describe(List<String> cmd) {
        var verbs = new ArrayList<String>();
        for (String a : cmd) {
            if (!a.startsWith("-") && !a.contains("/")) {
                verbs.add(a);
            }
        }
        return String.join(" ", verbs.subList(0, Math.min(3, verbs.size())));
    }
}
