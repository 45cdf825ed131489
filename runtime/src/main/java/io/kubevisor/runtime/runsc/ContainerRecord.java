package io.kubevisor.runtime.runsc;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.kubevisor.runtime.sandbox.ContainerState;

/**
 * A container's spec essentials and its last known state, kept on disk so a restarted agent
 * still reports exit codes of containers that ended before it.
 *
 * @param status   {@code created}, {@code running} or {@code exited}
 * @param exitCode meaningful when exited
 */
record ContainerRecord(String id, String sandboxId, Map<String, String> labels, String logFile, List<String> env,
                       String workingDir, long uid, long gid, String status, Instant startedAt, Instant finishedAt,
                       int exitCode, boolean oomKilled) {

    static final String CREATED = "created";
    static final String RUNNING = "running";
    static final String EXITED = "exited";

    ContainerRecord running(Instant at) {
        return new ContainerRecord(id, sandboxId, labels, logFile, env, workingDir, uid, gid, RUNNING, at, null, 0,
                false);
    }

    ContainerRecord exited(int code, boolean oom, Instant at) {
        return new ContainerRecord(id, sandboxId, labels, logFile, env, workingDir, uid, gid, EXITED, startedAt, at,
                code, oom);
    }

    boolean isExited() {
        return EXITED.equals(status);
    }

    ContainerState state() {
        return switch (status) {
            case CREATED -> new ContainerState.Created();
            case RUNNING -> new ContainerState.Running(startedAt);
            case EXITED -> new ContainerState.Exited(exitCode, oomKilled, startedAt, finishedAt);
            default -> new ContainerState.Unknown("unknown status " + status);
        };
    }
}
