package io.kubevisor.runtime.provider;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.kubevisor.node.provider.PodRef;
import io.kubevisor.runtime.sandbox.SandboxHandle;

/**
 * One pod as the provider runs it: its spec, sandbox, IP and container slots. Mutated by the
 * pod's worker (and probe results); read for status. Every access holds this object's monitor;
 * long runtime calls are made without it, by the worker alone.
 */
final class PodState {

    final PodRef ref;
    Pod pod;
    SandboxHandle sandbox;
    String podIp;
    Instant startTime;
    /** Init containers first, in order, then containers, in order. */
    final Map<String, ContainerSlot> slots = new LinkedHashMap<>();
    String terminalPhase;
    String reason;
    String message;
    /** The network is attached and the sandbox started at least once (PodReadyToStartContainers). */
    boolean sandboxReady;
    boolean deleting;
    /**
     * The pod network's attach as this agent started it (not persisted): running beside the
     * preparation of a single-container sandbox's first container, done, or null when this agent
     * has not attached it yet (it adopted the pod).
     */
    java.util.concurrent.CompletableFuture<io.kubevisor.runtime.net.PodInterface> network;

    PodState(Pod pod, Instant startTime) {
        this.pod = pod;
        this.ref = PodRef.of(pod);
        this.startTime = startTime;
        for (Container c : FieldRefs.nz(pod.getSpec().getInitContainers())) {
            slots.put(c.getName(), new ContainerSlot(c.getName(), true));
        }
        for (Container c : FieldRefs.nz(pod.getSpec().getContainers())) {
            slots.put(c.getName(), new ContainerSlot(c.getName(), false));
        }
    }

    /** Rebuilds a pod's state from its record (re-adoption). */
    static PodState of(Pod pod, PodRecord r) {
        PodState s = new PodState(pod, r.startTime());
        s.podIp = r.podIp();
        s.terminalPhase = r.terminalPhase();
        s.reason = r.reason();
        s.message = r.message();
        for (PodRecord.Slot slot : r.containers()) {
            if (s.slots.containsKey(slot.name())) {
                s.slots.put(slot.name(), ContainerSlot.of(slot));
            }
        }
        return s;
    }

    synchronized PodRecord record() {
        List<PodRecord.Slot> list = new ArrayList<>();
        slots.values().forEach(c -> list.add(c.record()));
        return new PodRecord(sandbox == null ? null : sandbox.id(), podIp, startTime, list, terminalPhase, reason,
                message);
    }

    synchronized List<ContainerSlot> initSlots() {
        return slots.values().stream().filter(s -> s.init).toList();
    }

    synchronized List<ContainerSlot> appSlots() {
        return slots.values().stream().filter(s -> !s.init).toList();
    }

    /** The spec of a slot's container. */
    synchronized Container spec(ContainerSlot slot) {
        List<Container> list = slot.init ? pod.getSpec().getInitContainers() : pod.getSpec().getContainers();
        for (Container c : FieldRefs.nz(list)) {
            if (c.getName().equals(slot.name)) {
                return c;
            }
        }
        throw new IllegalStateException("no container " + slot.name + " in pod " + ref);
    }

    synchronized ContainerSlot slot(String name) {
        return slots.get(name);
    }

    synchronized Pod pod() {
        return pod;
    }

    synchronized boolean terminal() {
        return terminalPhase != null;
    }
}
