package io.kubevisor.runtime.runsc;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.kubevisor.runtime.sandbox.TerminalSize;

/**
 * Applies a client's terminal sizes to a host pseudo-terminal that an exec or a container runs
 * on. The terminal is the one {@code script} made: its child (the shell running runsc) has the
 * terminal's other end as stdin, found through /proc; or an app container's, known by its path
 * ({@link TerminalRelay}). {@code stty -F} sets the size there; the host kernel then signals
 * SIGWINCH to the terminal's foreground processes, runsc exec passes it to the process in the
 * sandbox, and the sandbox reads its terminal's size from this host terminal.
 */
final class TerminalResizer {

    private static final Logger LOG = LoggerFactory.getLogger(TerminalResizer.class);
    /** How long a size waits for script to have made its terminal. */
    private static final Duration FIND_TERMINAL = Duration.ofSeconds(5);

    private TerminalResizer() {
    }

    /** Follows {@code sizes} on a virtual thread until {@code script} ends; returns that thread. */
    static Thread follow(Process script, BlockingQueue<TerminalSize> sizes) {
        return Thread.ofVirtual().name("exec-resize-" + script.pid()).start(() -> {
            Path terminal = null;
            try {
                while (script.isAlive()) {
                    TerminalSize size = sizes.take();
                    if (!size.valid()) {
                        continue;
                    }
                    if (terminal == null) {
                        terminal = awaitTerminal(script).orElse(null);
                        if (terminal == null) {
                            LOG.info("event=exec-terminal-not-found pid={}", script.pid());
                            return;
                        }
                    }
                    apply(terminal, size);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }

    /**
     * Sets the size of the terminal that {@code process} or one of its descendants runs on (a
     * container's terminal: its run's script is a child of the exit-code shell); false when none
     * is found.
     */
    static boolean resize(Process process, TerminalSize size) {
        Optional<Path> terminal = findTerminal(process);
        terminal.ifPresent(t -> apply(t, size));
        return terminal.isPresent();
    }

    /** Sets the size of a host terminal known by its path; false when stty failed. */
    static boolean resize(Path terminal, TerminalSize size) {
        return apply(terminal, size);
    }

    /**
     * Where the host terminal a container runs on is recorded, beside its raw stdout {@code out}:
     * an agent that adopts the container reads it to resize the terminal.
     */
    static Path recordFile(Path out) {
        return out.resolveSibling("terminal");
    }

    /**
     * Finds the terminal a single-container sandbox's run made ({@code run} is its exit-code
     * shell; script's child reads the terminal) and records it beside {@code out}.
     */
    static Optional<Path> record(Process run, Path out) {
        Optional<Path> terminal = findTerminal(run);
        terminal.ifPresent(t -> TextFiles.write(recordFile(out), t.toString()));
        return terminal;
    }

    /** The terminal recorded beside {@code out}, if any. */
    static Optional<Path> recorded(Path out) {
        try {
            String s = Files.readString(recordFile(out)).strip();
            return s.startsWith("/dev/pts/") ? Optional.of(Path.of(s)) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static Optional<Path> findTerminal(Process process) {
        return process.toHandle().descendants().map(TerminalResizer::stdinTerminal).flatMap(Optional::stream)
                .findFirst();
    }

    private static Optional<Path> awaitTerminal(Process script) throws InterruptedException {
        long deadline = System.nanoTime() + FIND_TERMINAL.toNanos();
        while (script.isAlive() && System.nanoTime() < deadline) {
            Optional<Path> t = findTerminal(script);
            if (t.isPresent()) {
                return t;
            }
            Thread.sleep(10);
        }
        return Optional.empty();
    }

    /** The pseudo-terminal a process reads from, if its stdin is one. */
    private static Optional<Path> stdinTerminal(ProcessHandle p) {
        try {
            Path target = Files.readSymbolicLink(Path.of("/proc", Long.toString(p.pid()), "fd", "0"));
            return target.startsWith("/dev/pts/") ? Optional.of(target) : Optional.empty();
        } catch (IOException | UnsupportedOperationException e) {
            return Optional.empty();
        }
    }

    private static boolean apply(Path terminal, TerminalSize size) {
        var r = Runsc.run(List.of("stty", "-F", terminal.toString(), "rows", Integer.toString(size.height()),
                "cols", Integer.toString(size.width())), Duration.ofSeconds(10));
        if (!r.ok()) {
            LOG.info("event=exec-resize-failed terminal={} error=\"{}\"", terminal, r.message());
        }
        return r.ok();
    }
}
