package io.kubevisor.runtime.provider;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.fabric8.kubernetes.api.model.Container;
import io.kubevisor.runtime.sandbox.ContainerHandle;

/**
 * Ends a pod's container instances as the kubelet does: a kill for a failed liveness or startup
 * probe (the probe's grace period), and stopping all of them with their preStop hooks within
 * the pod's grace period, in parallel. The exits are observed by the pod's worker.
 */
final class ContainerStopper {

    private static final Logger LOG = LoggerFactory.getLogger(ContainerStopper.class);

    private final PodState state;
    private final Services s;
    private final Runnable wake;
    private final LifecycleHooks hooks;

    ContainerStopper(PodState state, Services services, Runnable wake, LifecycleHooks hooks) {
        this.state = state;
        this.s = services;
        this.wake = wake;
        this.hooks = hooks;
    }

    /** Kills an instance whose liveness or startup probe failed (from a probe worker). */
    void kill(String slotName, String instanceId, String message, Long probeGrace) {
        ContainerHandle h;
        synchronized (state) {
            ContainerSlot slot = state.slots.get(slotName);
            if (slot == null || !instanceId.equals(slot.instanceId) || !slot.running() || slot.handle == null
                    || state.deleting) {
                return;
            }
            h = slot.handle;
        }
        s.events().event(state.ref, "Normal", "Killing", message);
        LOG.info("event=container_killed pod={} container={} why=\"{}\"", state.ref, slotName, message);
        try {
            s.config().runtime().stopContainer(h, grace(state, probeGrace));
        } catch (RuntimeException e) {
            LOG.warn("event=container_kill_failed pod={} container={} cause=\"{}\"", state.ref, slotName,
                    e.getMessage());
        }
        wake.run();
    }

    /** Runs preStop hooks, then stops every running instance within the grace period, in parallel. */
    void stopAll(Duration grace) {
        List<ContainerSlot> running;
        synchronized (state) {
            running = state.slots.values().stream().filter(ContainerSlot::running).toList();
        }
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (ContainerSlot slot : running) {
                pool.submit(() -> stop(slot, grace));
            }
        }
    }

    private void stop(ContainerSlot slot, Duration grace) {
        ContainerHandle h;
        Container c;
        synchronized (state) {
            h = slot.handle;
            c = state.spec(slot);
        }
        if (h == null) {
            return;
        }
        long t0 = System.nanoTime();
        var hook = c.getLifecycle() == null ? null : c.getLifecycle().getPreStop();
        if (LifecycleHooks.present(hook) && grace.isPositive()) {
            var r = hooks.run(hook, c, h, state.ref, state.podIp, grace);
            if (!r.success()) {
                s.events().event(state.ref, "Warning", "FailedPreStopHook", r.output());
            }
        }
        Duration left = grace.minusNanos(System.nanoTime() - t0);
        s.events().event(state.ref, "Normal", "Killing", "Stopping container " + slot.name);
        try {
            s.config().runtime().stopContainer(h, left.isNegative() ? Duration.ZERO : left);
        } catch (RuntimeException e) {
            LOG.warn("event=container_stop_failed pod={} container={} cause=\"{}\"", state.ref, slot.name,
                    e.getMessage());
        }
    }

    /** A probe's own terminationGracePeriodSeconds, else the pod's, else Kubernetes' 30 s. */
    static Duration grace(PodState state, Long probeGrace) {
        if (probeGrace != null) {
            return Duration.ofSeconds(Math.max(1, probeGrace));
        }
        Long g = state.pod().getSpec().getTerminationGracePeriodSeconds();
        return Duration.ofSeconds(g == null ? 30 : Math.max(0, g));
    }
}
