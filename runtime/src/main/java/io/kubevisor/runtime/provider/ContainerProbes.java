package io.kubevisor.runtime.provider;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.fabric8.kubernetes.api.model.Container;

/**
 * The probe workers of a pod's container instances: started with an instance, stopped with it,
 * resumed for an adopted pod. Their verdicts set the slot's started and ready flags; a failed
 * liveness or startup probe has the instance killed. Thread-safe.
 */
final class ContainerProbes {

    /** Kills an instance whose probe failed. */
    @FunctionalInterface
    interface Killer {
        void kill(String slotName, String instanceId, String message, Long probeGrace);
    }

    private final PodState state;
    private final Services s;
    private final Runnable wake;
    private final Killer killer;
    private final Map<String, List<ProbeWorker>> probes = new ConcurrentHashMap<>();

    ContainerProbes(PodState state, Services services, Runnable wake, Killer killer) {
        this.state = state;
        this.s = services;
        this.wake = wake;
        this.killer = killer;
    }

    /** Starts the probes of a new instance, replacing the slot's earlier ones. */
    void start(ContainerSlot slot, Container c, String instanceId) {
        List<ProbeWorker> list = new ArrayList<>();
        if (c.getStartupProbe() != null) {
            list.add(new ProbeWorker(ProbeWorker.Kind.STARTUP, c.getStartupProbe(), c, slot, instanceId, this, state, s));
        }
        if (c.getLivenessProbe() != null) {
            list.add(new ProbeWorker(ProbeWorker.Kind.LIVENESS, c.getLivenessProbe(), c, slot, instanceId, this, state, s));
        }
        if (c.getReadinessProbe() != null) {
            list.add(new ProbeWorker(ProbeWorker.Kind.READINESS, c.getReadinessProbe(), c, slot, instanceId, this, state,
                    s));
        }
        if (!list.isEmpty()) {
            List<ProbeWorker> before = probes.put(slot.name, list);
            if (before != null) {
                before.forEach(ProbeWorker::stop);
            }
            list.forEach(ProbeWorker::start);
        }
    }

    /** Probes again the running instances of an adopted pod. */
    void resume() {
        List<ContainerSlot> slots;
        synchronized (state) {
            slots = List.copyOf(state.slots.values());
        }
        for (ContainerSlot slot : slots) {
            String id;
            synchronized (state) {
                if (!slot.running() || slot.handle == null) {
                    continue;
                }
                id = slot.instanceId;
            }
            start(slot, state.spec(slot), id);
        }
    }

    /** A probe's verdict changed the slot: the worker reports the new status. */
    void probeResult(ContainerSlot slot, String instanceId, ProbeWorker.Kind kind, boolean success) {
        Container c;
        synchronized (state) {
            if (!instanceId.equals(slot.instanceId) || !slot.running()) {
                return;
            }
            c = state.spec(slot);
            switch (kind) {
                case STARTUP -> {
                    slot.started = success;
                    if (success && c.getReadinessProbe() == null) {
                        slot.ready = true;
                    }
                }
                case READINESS -> slot.ready = success && slot.started;
                case LIVENESS -> {
                }
            }
        }
        wake.run();
    }

    void stop(String slotName) {
        List<ProbeWorker> list = probes.remove(slotName);
        if (list != null) {
            list.forEach(ProbeWorker::stop);
        }
    }

    void stopAll() {
        for (String name : List.copyOf(probes.keySet())) {
            stop(name);
        }
    }

    /** A liveness or startup probe failed: the instance is killed (by its {@link Containers}). */
    void kill(String slotName, String instanceId, String message, Long probeGrace) {
        killer.kill(slotName, instanceId, message, probeGrace);
    }
}
