package io.kubevisor.runtime.runsc;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.kubevisor.runtime.logs.ContainerLogPump;

/**
 * One container as this agent tracks it: its record (persisted on every change), its log pump,
 * and the process that learns its exit code ({@code runsc wait}, or the foreground
 * {@code runsc run} of a single-container sandbox).
 *
 * <p>Thread-safe: the waiter's callback and API calls meet here.
 */
final class ContainerEntry {

    private final Path recordFile;
    private final CompletableFuture<ContainerRecord> exited = new CompletableFuture<>();
    private ContainerRecord record;
    private ContainerLogPump pump;
    private StdinPipe stdin;
    private Process waiter;
    /** The waiter is the container's foreground {@code runsc run}: ending it would end the container. */
    private boolean waiterOwnsContainer;
    private long oomKillsBefore;
    private boolean terminal;
    /** The holder of an app container's terminal, outside this agent. */
    private TerminalRelay relay;
    /** A single-container sandbox's terminal (script's), known by its path across agents. */
    private Path terminalPath;
    private boolean removed;
    private boolean detached;
    private long waiterGeneration;

    ContainerEntry(ContainerRecord record, Path recordFile) {
        this.record = record;
        this.recordFile = recordFile;
        if (record.isExited()) {
            exited.complete(record);
        }
    }

    synchronized ContainerRecord record() {
        return record;
    }

    /** Replaces and persists the record (not after removal); completes the exit future once exited. */
    void update(ContainerRecord next) {
        synchronized (this) {
            if (removed) {
                return;
            }
            record = next;
            Records.write(recordFile, next);
        }
        if (next.isExited()) {
            exited.complete(next);
        }
    }

    boolean isExited() {
        return exited.isDone();
    }

    /** Waits for the exit; returns false when it did not come within {@code timeout}. */
    boolean awaitExit(Duration timeout) {
        try {
            exited.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (ExecutionException e) {
            return true;
        }
    }

    synchronized ContainerLogPump pump() {
        return pump;
    }

    synchronized void stdin(StdinPipe p) {
        stdin = p;
    }

    /** Closes the container's stdin holder, if it has one. Idempotent. */
    void closeStdin() {
        StdinPipe p;
        synchronized (this) {
            p = stdin;
            stdin = null;
        }
        if (p != null) {
            p.close();
        }
    }

    synchronized void pump(ContainerLogPump p) {
        pump = p;
    }

    /** Registers a new waiter; returns its generation, which {@link #isCurrentWaiter} checks. */
    synchronized long waiter(Process p) {
        return waiter(p, false);
    }

    /**
     * As {@link #waiter(Process)}; {@code ownsContainer} for a foreground {@code runsc run},
     * which is let be when the agent stops watching (its end would be the container's).
     */
    synchronized long waiter(Process p, boolean ownsContainer) {
        waiter = p;
        waiterOwnsContainer = ownsContainer;
        return ++waiterGeneration;
    }

    /** The process waiting for the container (its foreground run, or a runsc wait), if this instance started one. */
    synchronized Process waiterProcess() {
        return waiter;
    }

    /**
     * Whether it runs on a terminal whose output is its raw stdout: a single-container
     * sandbox's {@code tty} (script's terminal), or an app container's held by a relay.
     */
    synchronized boolean hasTerminal() {
        return terminal || relay != null;
    }

    /** The relay that holds an app container's terminal, or null. */
    synchronized TerminalRelay relay() {
        return relay;
    }

    synchronized void relay(TerminalRelay r) {
        relay = r;
    }

    synchronized void terminal(boolean onTerminal) {
        terminal = onTerminal;
    }

    /** The host terminal a single-container sandbox's container runs on, when known. */
    synchronized Path terminalPath() {
        return terminalPath;
    }

    /** Records that it runs on {@code path} (script's terminal), also for an adopting instance. */
    synchronized void terminalPath(Path path) {
        terminal = true;
        terminalPath = path;
    }

    /** The sandbox cgroup's OOM-kill count when this instance started (or was adopted running). */
    synchronized void oomKillsBefore(long count) {
        oomKillsBefore = count;
    }

    synchronized long oomKillsBefore() {
        return oomKillsBefore;
    }

    /** Whether the waiter of this generation still speaks for the container. */
    synchronized boolean isCurrentWaiter(long generation) {
        return !detached && generation == waiterGeneration;
    }

    /** The process is about to stop without exiting (checkpoint): its waiter's end is no exit. */
    void stopWatching() {
        Process w;
        synchronized (this) {
            waiterGeneration++;
            w = waiterOwnsContainer ? null : waiter;
            waiter = null;
        }
        if (w != null) {
            w.destroy();
        }
    }

    /** The agent stops: the container goes on, so its waiter's end must not count as an exit. */
    void detach() {
        Process w;
        synchronized (this) {
            detached = true;
            w = waiterOwnsContainer ? null : waiter;
        }
        if (w != null) {
            w.destroy();
        }
        ContainerLogPump p = pump();
        if (p != null) {
            p.close();
        }
        StdinPipe in;
        synchronized (this) {
            in = stdin;
        }
        if (in != null) {
            in.detach();
        }
    }

    /** From now on nothing is persisted for this container; its stdin and terminal relay go. */
    void markRemoved() {
        TerminalRelay r;
        synchronized (this) {
            removed = true;
            r = relay;
            relay = null;
        }
        closeStdin();
        if (r != null) {
            r.close();
        }
    }
}
