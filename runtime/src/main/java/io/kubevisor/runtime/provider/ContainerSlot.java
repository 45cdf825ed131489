package io.kubevisor.runtime.provider;

import java.time.Instant;

import io.kubevisor.runtime.sandbox.ContainerHandle;

/**
 * One container of a pod as its worker tracks it: the durable facts of {@link PodRecord.Slot}
 * plus what lives only in memory (the runtime handle, the waiting reason, probe results).
 * Guarded by the owning {@link PodState}'s monitor.
 */
final class ContainerSlot {

    /** Why a container does not run, as its status shows it. */
    record Waiting(String reason, String message) {
    }

    final String name;
    final boolean init;
    int restartCount;
    String instanceId;
    String imageName;
    String imageId;
    Instant startedAt;
    PodRecord.Terminated terminated;
    PodRecord.Terminated last;
    Backoff.Entry crashBackoff;
    Backoff.Entry pullBackoff;
    String pullError;

    ContainerHandle handle;
    Waiting waiting;
    boolean ready;
    boolean started;
    /** The spec changed (image): stop the running instance and start a new one, back-off or not. */
    boolean restartRequested;

    ContainerSlot(String name, boolean init) {
        this.name = name;
        this.init = init;
    }

    static ContainerSlot of(PodRecord.Slot r) {
        ContainerSlot s = new ContainerSlot(r.name(), r.init());
        s.restartCount = r.restartCount();
        s.instanceId = r.instanceId();
        s.imageName = r.imageName();
        s.imageId = r.imageId();
        s.startedAt = r.startedAt();
        s.terminated = r.terminated();
        s.last = r.last();
        s.crashBackoff = r.crashBackoff();
        s.pullBackoff = r.pullBackoff();
        s.pullError = r.pullError();
        return s;
    }

    PodRecord.Slot record() {
        return new PodRecord.Slot(name, init, restartCount, instanceId, imageName, imageId, startedAt, terminated, last,
                crashBackoff, pullBackoff, pullError);
    }

    /** An instance was started and has not been seen to end. */
    boolean running() {
        return instanceId != null && terminated == null;
    }

    /** No instance was ever started (or init containers are to run again). */
    boolean neverStarted() {
        return instanceId == null && terminated == null;
    }

    boolean succeeded() {
        return terminated != null && terminated.exitCode() == 0;
    }
}
