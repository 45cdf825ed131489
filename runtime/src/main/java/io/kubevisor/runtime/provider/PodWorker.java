package io.kubevisor.runtime.provider;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.fabric8.kubernetes.api.model.PodStatus;
import io.kubevisor.node.provider.PodRef;
import io.kubevisor.runtime.sandbox.ContainerState;

/**
 * Keeps one pod in line with its spec, as the kubelet's pod worker does: a virtual thread runs a
 * pass every sync interval (or when woken by a probe or an update). A pass observes exits, fails
 * the pod past its activeDeadlineSeconds, (re)creates the sandbox when it is gone and something
 * is to run, runs init containers in order, then starts and restarts containers by the restart
 * policy with the kubelet's back-off, and settles the phase once the pod is done. After each pass
 * the status is compared with the last one reported and the agent's listener is told of changes.
 * Thread-safe: passes are serialized by a lock.
 */
final class PodWorker {

    private static final Logger LOG = LoggerFactory.getLogger(PodWorker.class);
    private static final Duration SANDBOX_RETRY = Duration.ofSeconds(5);

    private final PodState state;
    private final Services s;
    private final Consumer<PodRef> changed;
    private final Containers containers;
    private final ReentrantLock pass = new ReentrantLock();
    private final Object signal = new Object();
    private boolean woken;
    private volatile boolean stopped;
    private Thread thread;
    private PodStatus lastReported;
    private Instant lastVolumeRefresh;
    private Instant sandboxRetryAt;
    private String volumeError;

    PodWorker(PodState state, Services services, Consumer<PodRef> changed) {
        this.state = state;
        this.s = services;
        this.changed = changed;
        this.containers = new Containers(state, services, this::wake);
    }

    PodState state() {
        return state;
    }

    Containers containers() {
        return containers;
    }

    /** Starts the worker's thread. */
    void start() {
        thread = Thread.ofVirtual().name("pod-" + state.ref).start(this::loop);
    }

    /** Runs one pass on the caller's thread (serialized with the worker's). */
    void syncNow() {
        pass.lock();
        try {
            sync();
        } finally {
            pass.unlock();
        }
        report();
    }

    /** Asks for a pass soon. */
    void wake() {
        synchronized (signal) {
            woken = true;
            signal.notifyAll();
        }
    }

    /** Stops the thread and waits until no pass runs; probes stop too. */
    void stop() {
        stopped = true;
        wake();
        containers.stopAllProbes();
        if (thread != null) {
            try {
                thread.join(Duration.ofMinutes(2));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        pass.lock();
        pass.unlock();
    }

    private void loop() {
        while (!stopped) {
            pass.lock();
            try {
                if (!stopped) {
                    sync();
                }
            } catch (RuntimeException e) {
                LOG.warn("event=pod_sync_failed pod={} cause=\"{}\"", state.ref, e.toString());
            } finally {
                pass.unlock();
            }
            if (!stopped) {
                report();
            }
            synchronized (signal) {
                if (!woken && !stopped) {
                    try {
                        signal.wait(s.config().syncInterval().toMillis());
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                woken = false;
            }
        }
    }

    /** Tells the agent when the status changed since the last report. */
    void report() {
        PodStatus now = StatusBuilder.build(state, s.node().hostIp());
        boolean differs;
        synchronized (this) {
            differs = !now.equals(lastReported);
            lastReported = now;
        }
        if (differs) {
            changed.accept(state.ref);
        }
    }

    private void sync() {
        Instant now = s.clock().instant();
        containers.observeExits();
        if (state.terminal()) {
            return;
        }
        if (deadlineExceeded(now)) {
            return;
        }
        if (!volumesReady(now)) {
            return;
        }
        if (!sandboxReady(now)) {
            return;
        }
        String policy = PodSpecs.restartPolicy(state.pod());
        for (ContainerSlot slot : state.initSlots()) {
            boolean done;
            synchronized (state) {
                done = slot.succeeded();
            }
            if (done) {
                continue;
            }
            if (slot.running()) {
                return;
            }
            if (slot.terminated != null && policy.equals("Never")) {
                settle();
                return;
            }
            containers.start(slot, policy);
            return;
        }
        for (ContainerSlot slot : state.appSlots()) {
            if (slot.running()) {
                if (slot.restartRequested) {
                    containers.restartForChange(slot);
                }
                continue;
            }
            if (slot.neverStarted() || Containers.shouldRestart(policy, slot) || slot.restartRequested) {
                containers.start(slot, policy);
            }
        }
        settle();
    }

    /** Past activeDeadlineSeconds: every container is killed and the pod fails for good. */
    private boolean deadlineExceeded(Instant now) {
        Long ads = state.pod().getSpec().getActiveDeadlineSeconds();
        if (ads == null || state.startTime == null || !now.isAfter(state.startTime.plusSeconds(ads))) {
            return false;
        }
        String msg = "Pod was active on the node longer than the specified deadline";
        s.events().event(state.ref, "Warning", "DeadlineExceeded", msg);
        containers.stopAll(grace());
        synchronized (state) {
            state.reason = "DeadlineExceeded";
            state.message = msg;
            state.terminalPhase = "Failed";
            for (ContainerSlot slot : state.slots.values()) {
                if (slot.terminated == null && slot.instanceId == null) {
                    slot.waiting = new ContainerSlot.Waiting("ContainerCreating", null);
                }
            }
        }
        LOG.info("event=pod_deadline_exceeded pod={} activeDeadlineSeconds={}", state.ref, ads);
        containers.observeExits();
        releaseSandbox();
        s.store().save(state);
        return true;
    }

    private boolean volumesReady(Instant now) {
        boolean due = lastVolumeRefresh == null || volumeError != null
                || !now.isBefore(lastVolumeRefresh.plus(s.config().volumeResync()));
        if (!due) {
            return true;
        }
        try {
            if (lastVolumeRefresh == null || volumeError != null) {
                s.volumes().setUp(state.pod(), s.context(state.podIp));
            } else {
                s.volumes().refresh(state.pod(), s.context(state.podIp));
            }
            lastVolumeRefresh = now;
            volumeError = null;
            return true;
        } catch (VolumeFiles.MountException e) {
            if (!e.getMessage().equals(volumeError)) {
                s.events().event(state.ref, "Warning", "FailedMount", e.getMessage());
                LOG.info("event=pod_volume_failed pod={} cause=\"{}\"", state.ref, e.getMessage());
            }
            volumeError = e.getMessage();
            return false;
        }
    }

    /** A running sandbox, started anew when it died and something is still to run. */
    private boolean sandboxReady(Instant now) {
        var sandbox = state.sandbox;
        if (sandbox != null && (sandbox.singleContainer() || s.config().runtime().sandboxAlive(sandbox))) {
            // A single-container sandbox lives and dies with its container, which restarts in it.
            return true;
        }
        boolean anyRunning;
        synchronized (state) {
            anyRunning = state.slots.values().stream().anyMatch(ContainerSlot::running);
        }
        if (anyRunning) {
            // The sandbox died: its containers' exits arrive first (OOMKilled, or a lost status).
            return false;
        }
        if (!containers.wantsToRun()) {
            settle();
            return false;
        }
        if (sandboxRetryAt != null && now.isBefore(sandboxRetryAt)) {
            return false;
        }
        boolean recreate = sandbox != null;
        if (recreate) {
            LOG.info("event=pod_sandbox_changed pod={} sandbox={}", state.ref, sandbox.id());
            s.events().event(state.ref, "Normal", "SandboxChanged", "Pod sandbox changed, it will be killed and "
                    + "re-created.");
            releaseSandbox();
            containers.rerunInitContainers();
        }
        try {
            Sandboxes.start(state, s, false);
            sandboxRetryAt = null;
            return true;
        } catch (RuntimeException e) {
            sandboxRetryAt = now.plus(SANDBOX_RETRY);
            s.events().event(state.ref, "Warning", "FailedCreatePodSandBox", "Failed to create pod sandbox: "
                    + e.getMessage());
            LOG.warn("event=pod_sandbox_failed pod={} cause=\"{}\"", state.ref, e.getMessage());
            return false;
        }
    }

    /** Once every container is done for good, the phase is final and the sandbox goes. */
    private void settle() {
        // A pod with a running container is not finished: checked first, it spares every pass of a
        // running pod a status build (fabric8 builders, the most CPU of an idle pod's pass).
        synchronized (state) {
            if (state.slots.values().stream().anyMatch(ContainerSlot::running)) {
                return;
            }
        }
        String phase = StatusBuilder.build(state, null).getPhase();
        if (!phase.equals("Succeeded") && !phase.equals("Failed")) {
            return;
        }
        synchronized (state) {
            if (state.slots.values().stream().anyMatch(ContainerSlot::running)) {
                return;
            }
            state.terminalPhase = phase;
        }
        LOG.info("event=pod_finished pod={} phase={}", state.ref, phase);
        releaseSandbox();
        s.store().save(state);
    }

    private void releaseSandbox() {
        var sandbox = state.sandbox;
        if (sandbox == null) {
            return;
        }
        containers.stopAllProbes();
        try {
            s.config().runtime().remove(sandbox);
        } catch (RuntimeException e) {
            LOG.warn("event=pod_sandbox_remove_failed pod={} sandbox={} cause=\"{}\"", state.ref, sandbox.id(),
                    e.getMessage());
        }
        synchronized (state) {
            state.sandbox = null;
            state.slots.values().forEach(slot -> slot.handle = null);
        }
        s.store().save(state);
    }

    /** The pod's terminationGracePeriodSeconds, or Kubernetes' 30 s. */
    Duration grace() {
        return ContainerStopper.grace(state, null);
    }

    /** For {@link ContainerState} consumers in tests and logs. */
    static String describe(ContainerState st) {
        return switch (st) {
            case ContainerState.Created c -> "created";
            case ContainerState.Running r -> "running";
            case ContainerState.Exited e -> "exited(" + e.exitCode() + ")";
            case ContainerState.Unknown u -> "unknown(" + u.why() + ")";
        };
    }

    List<ContainerSlot> slots() {
        synchronized (state) {
            return List.copyOf(state.slots.values());
        }
    }
}
