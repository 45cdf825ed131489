package io.kubevisor.runtime.runsc;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executor;

import io.kubevisor.api.Json;
import io.kubevisor.runtime.logs.ContainerLogPump;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

/**
 * Learns exit codes. runsc reports a container's exit status only to {@code runsc wait}, and
 * only while its sandbox runs (for an app container also after it ended, as long as the sandbox
 * lives), so a waiter process is spawned right after start, and again for each running container
 * when a restarted agent adopts it; a single-container sandbox's container has its foreground
 * {@code runsc run} instead ({@link #own}). When the sandbox itself died, no status exists: its
 * exit code is the one a single-container sandbox's run left in its file, or else
 * {@link #UNKNOWN_EXIT} (255, what containerd reports for a lost status). If the host
 * OOM killer struck in the sandbox's cgroup while the container ran, it counts as OOM-killed (137)
 * whatever code was reported.
 */
final class ExitWatcher {

    /** The exit code of a container whose status was lost with its sandbox. */
    static final int UNKNOWN_EXIT = 255;
    static final int OOM_EXIT = 137;

    private static final Logger LOG = LoggerFactory.getLogger(ExitWatcher.class);

    /** How long a lost status waits for the exit file of a single-container sandbox's run. */
    private static final Duration EXIT_FILE_WAIT = Duration.ofSeconds(3);
    /** How long an exit waits for an app container's terminal relay to copy the last output. */
    private static final Duration TERMINAL_DRAIN = Duration.ofSeconds(2);

    private final Runsc runsc;
    private final Layout layout;
    private final HostCgroups cgroups;
    private final Clock clock;
    private final Executor executor;

    ExitWatcher(Runsc runsc, Layout layout, HostCgroups cgroups, Clock clock, Executor executor) {
        this.runsc = runsc;
        this.layout = layout;
        this.cgroups = cgroups;
        this.clock = clock;
        this.executor = executor;
    }

    /** Spawns {@code runsc wait} for a started container; its end updates the entry. */
    void watch(SandboxRecord sandbox, ContainerEntry entry) {
        String cid = entry.record().id();
        Process p;
        try {
            p = new ProcessBuilder(runsc.command(sandbox.network(), java.util.List.of("wait", cid)))
                    .redirectInput(Runsc.DEV_NULL)
                    .start();
        } catch (IOException e) {
            LOG.warn("event=wait-spawn-failed container={} error=\"{}\"", cid, e.getMessage());
            executor.execute(() -> finish(sandbox, entry, null));
            return;
        }
        long generation = entry.waiter(p);
        p.onExit().thenRunAsync(() -> {
            String out;
            String err;
            try {
                out = new String(p.getInputStream().readAllBytes());
                err = new String(p.getErrorStream().readAllBytes());
            } catch (IOException e) {
                out = "";
                err = e.getMessage();
            }
            if (!entry.isCurrentWaiter(generation)) {
                return;
            }
            Integer code = p.exitValue() == 0 ? parseExitStatus(out) : null;
            if (code == null && sandbox.singleContainer()) {
                // An adopted run ended: it writes the code right after the sandbox, which this wait saw end.
                code = awaitExitFile(layout.exitCode(sandbox.id(), cid));
            }
            if (code == null) {
                LOG.info("event=exit-status-lost container={} rc={} error=\"{}\"", cid, p.exitValue(),
                        err.strip().replace('\n', ' '));
            }
            finish(sandbox, entry, code);
        }, executor);
    }

    /**
     * Takes a single-container sandbox's foreground {@code runsc run} ({@link RootRun}) as the
     * container's waiter: its exit value is the container's exit code.
     */
    void own(SandboxRecord sandbox, ContainerEntry entry, Process run) {
        long generation = entry.waiter(run, true);
        run.onExit().thenRunAsync(() -> {
            if (entry.isCurrentWaiter(generation)) {
                finish(sandbox, entry, run.exitValue());
            }
        }, executor);
    }

    /**
     * Records the exit: drains the log first, so that whoever sees Exited also finds the last
     * lines in the log.
     *
     * @param code the exit status, or null when it was lost with the sandbox
     */
    void finish(SandboxRecord sandbox, ContainerEntry entry, Integer code) {
        if (code == null && sandbox.singleContainer()) {
            code = RootRun.exitCode(layout.exitCode(sandbox.id(), entry.record().id()));
        }
        // Whatever killed-looking code runsc reports (none from a lost sandbox, 137 or 128 from a run
        // whose sandbox was killed), an OOM kill in the sandbox since this instance started is the cause.
        boolean oom = (code == null || code >= 128) && cgroups.oomKills(sandbox.cgroupPath()) > entry.oomKillsBefore();
        int exit = oom ? OOM_EXIT : code != null ? code : UNKNOWN_EXIT;
        TerminalRelay relay = entry.relay();
        if (relay != null) {
            // runsc wait may answer before the relay copied the terminal's last output.
            relay.awaitOutput(TERMINAL_DRAIN);
        }
        ContainerLogPump pump = entry.pump();
        if (pump != null) {
            pump.finish(Duration.ofSeconds(10));
        }
        ContainerRecord r = entry.record();
        if (!r.isExited()) {
            entry.update(r.exited(exit, oom, clock.instant()));
            LOG.info("event=container-exited container={} sandbox={} exitCode={} oomKilled={}", r.id(),
                    sandbox.id(), exit, oom);
        }
    }

    /** A single-container sandbox's run writes its code right after the sandbox ended. */
    private static Integer awaitExitFile(java.nio.file.Path file) {
        long deadline = System.nanoTime() + EXIT_FILE_WAIT.toNanos();
        while (true) {
            Integer code = RootRun.exitCode(file);
            if (code != null || System.nanoTime() > deadline) {
                return code;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
        }
    }

    static Integer parseExitStatus(String json) {
        try {
            JsonNode n = Json.MAPPER.readTree(json.strip());
            JsonNode s = n.get("exitStatus");
            return s == null || !s.isNumber() ? null : s.asInt();
        } catch (RuntimeException e) {
            return null;
        }
    }
}
