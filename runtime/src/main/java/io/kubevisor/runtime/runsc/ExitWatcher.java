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
 * when a restarted agent adopts it. When the sandbox itself died, no status exists: if the host
 * OOM killer struck in the sandbox's cgroup the container counts as OOM-killed (137), otherwise its
 * exit code is {@link #UNKNOWN_EXIT} (255, what containerd reports for a lost status).
 */
final class ExitWatcher {

    /** The exit code of a container whose status was lost with its sandbox. */
    static final int UNKNOWN_EXIT = 255;
    static final int OOM_EXIT = 137;

    private static final Logger LOG = LoggerFactory.getLogger(ExitWatcher.class);

    private final Runsc runsc;
    private final HostCgroups cgroups;
    private final Clock clock;
    private final Executor executor;

    ExitWatcher(Runsc runsc, HostCgroups cgroups, Clock clock, Executor executor) {
        this.runsc = runsc;
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
            if (code == null) {
                LOG.info("event=exit-status-lost container={} rc={} error=\"{}\"", cid, p.exitValue(),
                        err.strip().replace('\n', ' '));
            }
            finish(sandbox, entry, code);
        }, executor);
    }

    /**
     * Records the exit: drains the log first, so that whoever sees Exited also finds the last
     * lines in the log.
     *
     * @param code the exit status, or null when it was lost with the sandbox
     */
    void finish(SandboxRecord sandbox, ContainerEntry entry, Integer code) {
        boolean oom = false;
        int exit;
        if (code != null) {
            exit = code;
        } else if (cgroups.oomKills(sandbox.cgroupPath()) > 0) {
            oom = true;
            exit = OOM_EXIT;
        } else {
            exit = UNKNOWN_EXIT;
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
