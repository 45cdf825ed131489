package io.kubevisor.runtime.sandbox;

import java.time.Instant;

/** The closed set of states a container is in. */
public sealed interface ContainerState {

    /** Created, not started. */
    record Created() implements ContainerState {
    }

    /** Its process runs. */
    record Running(Instant startedAt) implements ContainerState {
    }

    /**
     * Its process ended.
     *
     * @param exitCode   the exit status (128+signal when killed by a signal)
     * @param oomKilled  killed for exceeding its memory limit
     */
    record Exited(int exitCode, boolean oomKilled, Instant startedAt, Instant finishedAt) implements ContainerState {
    }

    /** The runtime no longer knows it. */
    record Unknown(String why) implements ContainerState {
    }
}
