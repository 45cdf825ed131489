package io.kubevisor.runtime.runsc;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import io.kubevisor.runtime.linux.Fd;
import io.kubevisor.runtime.linux.PtyCalls;
import io.kubevisor.runtime.linux.Spawn;
import io.kubevisor.runtime.sandbox.TerminalSize;

/**
 * Holds the terminal master of an app container with {@code tty} in a process outside the agent,
 * as {@code script} does for a single-container sandbox's: a master that only the agent held
 * would hang the container's terminal up when the agent ends, and no agent could pass it on.
 *
 * <p>The relay is a shell with two {@code cat}s on the master: one appends what the terminal
 * writes to the container's raw stdout (the log pump's and attach's source, as for any
 * container), one copies the stdin FIFO into it and types ^D when that FIFO closes for good
 * (what {@code script} does at the end of its input). The first ends with the container (the
 * master reads EIO once the sandbox let go of the terminal), the second when the stdin is closed.
 * It is started through a launcher that exits at once, so it is no agent's child, and it is
 * found again by its pid file and its command line ({@code terminal.holder} beside the stdout)
 * by a later agent, with the terminal's path ({@code terminal}) for resizes.
 *
 * <p>Thread-safe: immutable apart from the processes it refers to.
 */
final class TerminalRelay {

    private static final String RELAY =
            "cat <&3 >>\"$1\" & { cat <\"$2\"; printf '\\004'; } >&3 & exec 3>&-; wait";
    private static final String LAUNCH = "sh -c \"$0\" relay \"$1\" \"$2\" & echo $! > \"$3\"";
    private static final List<String> ENV = List.of("PATH=/usr/sbin:/usr/bin:/sbin:/bin");
    private static final Duration POLL = Duration.ofMillis(10);
    private static final Duration END_WAIT = Duration.ofSeconds(2);

    private final ProcessHandle relay;
    private final Path out;
    private final Path terminal;

    private TerminalRelay(ProcessHandle relay, Path out, Path terminal) {
        this.relay = relay;
        this.out = out;
        this.terminal = terminal;
    }

    /**
     * Starts the relay on {@code master} (which the caller still owns and should close: the
     * relay has its own copy), between the raw stdout {@code raw} and the stdin FIFO {@code stdin}.
     */
    static TerminalRelay start(Fd master, Path raw, Path stdin) {
        Path out = raw.toAbsolutePath();
        Path terminal = Path.of(PtyCalls.slavePath(master));
        Path pidFile = pidFile(out);
        int rc = Spawn.runWithFd(List.of("/bin/sh", "-c", LAUNCH, RELAY, out.toString(),
                stdin.toAbsolutePath().toString(),
                pidFile.toString()), ENV, master);
        if (rc != 0) {
            throw new RunscException("the terminal relay's launcher exited with " + rc);
        }
        TextFiles.write(terminalFile(out), terminal.toString());
        return find(out).orElseThrow(() -> new RunscException("the terminal relay for " + out + " did not start"));
    }

    /** The relay an earlier agent started for the container whose raw stdout is {@code out}, if it runs. */
    static Optional<TerminalRelay> adopt(Path out) {
        return find(out.toAbsolutePath());
    }

    long pid() {
        return relay.pid();
    }

    /** The host terminal the container runs on ({@code /dev/pts/N}). */
    Path terminal() {
        return terminal;
    }

    /** Whether the terminal's output is still being copied (the container has not let go of it). */
    boolean relaying() {
        return relay.descendants().anyMatch(p -> HostHolders.holdsOpen(p.pid(), out));
    }

    /** Waits until the terminal's last output is in the raw file, at most {@code timeout}. */
    void awaitOutput(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (relaying() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(POLL);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Sets the terminal's size, which the sandbox reads from it; false when the relay ended. */
    boolean resize(TerminalSize size) {
        return relay.isAlive() && TerminalResizer.resize(terminal, size);
    }

    /** Ends the relay and its copies, and waits for them (briefly). Idempotent. */
    void close() {
        List<ProcessHandle> all = relay.descendants().toList();
        relay.destroy();
        all.forEach(ProcessHandle::destroy);
        long deadline = System.nanoTime() + END_WAIT.toNanos();
        for (ProcessHandle p : all) {
            awaitEnd(p, deadline);
        }
        awaitEnd(relay, deadline);
        try {
            Files.deleteIfExists(pidFile(out));
            Files.deleteIfExists(terminalFile(out));
        } catch (IOException e) {
            // The container's directory goes with it.
        }
    }

    private static void awaitEnd(ProcessHandle p, long deadline) {
        long left = deadline - System.nanoTime();
        try {
            if (left > 0) {
                p.onExit().get(left, java.util.concurrent.TimeUnit.NANOSECONDS);
            }
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            p.destroyForcibly();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The relay of {@code out} by its pid file, checked by its command line (a pid can be reused). */
    private static Optional<TerminalRelay> find(Path out) {
        Optional<Path> terminal = TerminalResizer.recorded(out);
        if (terminal.isEmpty()) {
            return Optional.empty();
        }
        return HostHolders.find(pidFile(out),
                        h -> h.info().arguments().map(a -> List.of(a).contains(out.toString())).orElse(false))
                .map(h -> new TerminalRelay(h, out, terminal.get()));
    }

    private static Path pidFile(Path out) {
        return out.resolveSibling("terminal.holder");
    }

    private static Path terminalFile(Path out) {
        return TerminalResizer.recordFile(out);
    }
}
