package io.kubevisor.runtime.runsc;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import io.kubevisor.api.Json;
import io.kubevisor.runtime.linux.LinuxCallException;
import io.kubevisor.runtime.linux.Spawn;
import tools.jackson.databind.JsonNode;

/**
 * Runs a single-container sandbox's container with a foreground {@code runsc run}, which then
 * stays as the container's waiter. The sandbox is that process's child, so runsc learns the exit
 * status by waiting for it: a {@code runsc wait} started after {@code start} loses the status of
 * a root container that ends within about 30 ms (the sandbox ends with it), and it saves the
 * separate create, start and wait processes.
 *
 * <p>The run outlives an agent that stops, and leaves the exit code in a file for the next one
 * ({@link #keepingExitCode}). {@code run} says nothing when the container has started, so this watches runsc's own state
 * file ({@code <root>/<id>_sandbox:<id>.state}, a file read instead of a {@code runsc state}
 * process per poll), and falls back to {@code runsc state} when that file is not where this
 * runsc version was seen to keep it.
 */
final class RootRun {

    /** How runsc run reports that it could not start the container (its exit code is then 128). */
    static final String START_FAILED = "running container: ";
    /**
     * How often runsc's state file is read while the container starts: every pod start waits for
     * it, and a read costs some 20 µs, so waiting half of 5 ms on average was the dearer part.
     */
    private static final Duration POLL = Duration.ofMillis(1);
    private static final Duration STATE_FILE_GRACE = Duration.ofSeconds(2);
    private static final Duration ASK_RUNSC_EVERY = Duration.ofMillis(100);
    private static final Duration REPARSE = Duration.ofMillis(10);

    private final Runsc runsc;

    RootRun(Runsc runsc) {
        this.runsc = runsc;
    }

    /** What became of a run: the process (the waiter), and whether it ended before it was seen running. */
    record Started(Process process, boolean endedEarly) {
    }

    /**
     * Starts {@code runsc run} with its output appended to the container's raw files and waits
     * until the container runs or the process ended.
     *
     * @param stdin the container's stdin FIFO, or null for /dev/null
     * @param tty   run it on a host pseudo-terminal (its bundle has {@code terminal: true})
     *
     * @throws RunscException with runsc's message when it could not start the container, or when
     *                        it is neither running nor ended after {@code timeout}
     */
    Started start(SandboxRecord sandbox, String cid, Path bundle, Path exitFile, Path stdin, boolean tty, Path out,
                  Path err, Duration timeout) {
        List<String> cmd = runsc.command(sandbox.network(), List.of("run", "--bundle", bundle.toString(), cid));
        if (sandbox.network().equals("sandbox")) {
            cmd = Runsc.hidingProcSysNet(cmd);
        }
        if (tty) {
            // The bundle asks for a terminal: runsc passes on the one script makes, whose other end
            // reads stdin and writes stdout.
            cmd = Runsc.onTerminal(cmd);
        }
        cmd = keepingExitCode(cmd, exitFile);
        long from = TextFiles.size(err);
        Process p;
        try {
            // Not ProcessBuilder: its helper process cost 2-4 ms of every pod start (Spawn says why).
            p = Spawn.start(cmd, stdin == null ? Runsc.DEV_NULL.toPath() : stdin, out, err);
        } catch (LinuxCallException e) {
            throw new RunscException("cannot run runsc: " + e.getMessage(), e);
        }
        Path stateFile = runsc.options().stateRoot().resolve(cid + "_sandbox:" + cid + ".state");
        long t0 = System.nanoTime();
        long deadline = t0 + timeout.toNanos();
        // The state file is parsed when it changed, and every REPARSE anyway: runsc writes it a few
        // times, and parsing its spec-sized JSON on every poll cost the JVM more CPU than the rest of
        // the wait. (A rewrite can keep size and timestamp: "created" and "running" are as long, and
        // the timestamps are as coarse as the kernel's tick.)
        String seen = null;
        long parsed = t0;
        long asked = t0;
        while (true) {
            if (!p.isAlive()) {
                String written = TextFiles.appendedSince(err, from);
                if (exitValue(p) == 128 && written.contains(START_FAILED)) {
                    throw new RunscException(written.strip());
                }
                return new Started(p, true);
            }
            String version = fileVersion(stateFile);
            long now = System.nanoTime();
            // Without its state file after the grace, runsc itself is asked, a process each time: not every poll.
            boolean askRunsc = now - t0 > STATE_FILE_GRACE.toNanos() && now - asked > ASK_RUNSC_EVERY.toNanos();
            boolean due = version != null && (!version.equals(seen) || now - parsed >= REPARSE.toNanos());
            if (due || (version == null && askRunsc)) {
                seen = version;
                parsed = now;
                if (askRunsc) {
                    asked = now;
                }
                if (running(sandbox, cid, stateFile, askRunsc)) {
                    return new Started(p, false);
                }
            }
            if (System.nanoTime() > deadline) {
                // Still starting after the timeout: it is not ours to keep (KILL reaches the sandbox too).
                p.destroyForcibly();
                throw new RunscException("runsc run of container " + cid + " did not start within "
                        + timeout.toSeconds() + "s");
            }
            try {
                Thread.sleep(POLL);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new RunscException("interrupted while starting container " + cid, e);
            }
        }
    }

    /**
     * Runs the command under a shell that writes its exit code to {@code exitFile} (atomically),
     * so that an agent that was not there when the container ended still learns the code: the
     * shell and runsc outlive the agent, and only runsc knows the code.
     */
    static List<String> keepingExitCode(List<String> cmd, Path exitFile) {
        var wrapped = new java.util.ArrayList<String>(List.of("/bin/sh", "-c",
                "\"$@\"; rc=$?; echo $rc > \"$0.tmp\" && mv \"$0.tmp\" \"$0\"; exit $rc", exitFile.toString()));
        wrapped.addAll(cmd);
        return wrapped;
    }

    /** The code a run left in its exit file, or null when there is none (yet). */
    static Integer exitCode(Path exitFile) {
        try {
            return Integer.valueOf(Files.readString(exitFile).strip());
        } catch (IOException | NumberFormatException e) {
            return null;
        }
    }

    private boolean running(SandboxRecord sandbox, String cid, Path stateFile, boolean askRunsc) {
        String status = stateFileStatus(stateFile);
        if (status == null && askRunsc) {
            var r = runsc.run(sandbox.network(), Runsc.SHORT, "state", cid);
            status = r.ok() ? statusOf(r.out()) : null;
        }
        return "running".equals(status);
    }

    /**
     * The file's modification time and size, which change with every write (a half-written file
     * is read again once it is complete), or null while it is missing.
     */
    static String fileVersion(Path file) {
        try {
            BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
            return a.fileKey() + "/" + a.lastModifiedTime() + "/" + a.size();
        } catch (IOException e) {
            return null;
        }
    }

    /** The status in runsc's state file, or null while it is missing or half written. */
    static String stateFileStatus(Path stateFile) {
        try {
            return statusOf(Files.readString(stateFile));
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            return null;
        }
    }

    private static String statusOf(String json) {
        try {
            JsonNode status = Json.MAPPER.readTree(json).get("status");
            return status == null || !status.isString() ? null : status.asString();
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static int exitValue(Process p) {
        try {
            return p.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }
}
