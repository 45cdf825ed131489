package io.kubevisor.runtime.provider;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.fabric8.kubernetes.api.model.Container;
import io.kubevisor.runtime.image.ResolvedImage;
import io.kubevisor.runtime.sandbox.ContainerHandle;
import io.kubevisor.runtime.sandbox.ContainerSpec;
import io.kubevisor.runtime.sandbox.ContainerState;

/**
 * A pod's containers as its worker drives them: starting an instance (restart back-off, image,
 * configuration, log file, runtime start, probes), learning exits, killing for probes and spec
 * changes, stopping all with preStop hooks. Called by the pod's worker, and by its probe workers
 * for probe results and kills.
 */
final class Containers {

    private static final Logger LOG = LoggerFactory.getLogger(Containers.class);
    /** The kubelet gives hooks no timeout of their own; a hung postStart must not hold the pod's worker forever. */
    private static final Duration HOOK_TIMEOUT = Duration.ofMinutes(2);

    private final PodState state;
    private final Services s;
    private final Runnable wake;
    private final ContainerProbes probes;
    private final TerminationMessages terminations;
    private final LifecycleHooks hooks;
    private final ContainerStopper stopper;

    Containers(PodState state, Services services, Runnable wake) {
        this.state = state;
        this.s = services;
        this.wake = wake;
        this.terminations = new TerminationMessages(services.layout());
        this.hooks = new LifecycleHooks(services.probes());
        this.stopper = new ContainerStopper(state, services, wake, hooks);
        this.probes = new ContainerProbes(state, services, wake, stopper::kill);
    }

    static boolean shouldRestart(String policy, ContainerSlot slot) {
        if (slot.terminated == null) {
            return false;
        }
        return switch (policy) {
            case "Always" -> !slot.init || slot.terminated.exitCode() != 0;
            case "OnFailure" -> slot.terminated.exitCode() != 0;
            default -> false;
        };
    }

    /** Whether anything is still to run: a sandbox is worth (re)creating. */
    boolean wantsToRun() {
        String policy = PodSpecs.restartPolicy(state.pod());
        synchronized (state) {
            for (ContainerSlot slot : state.slots.values()) {
                if (slot.init && slot.succeeded()) {
                    continue;
                }
                if (slot.neverStarted() || shouldRestart(policy, slot)) {
                    return true;
                }
                if (slot.init) {
                    return false;
                }
            }
        }
        return false;
    }

    /** Records how instances that were running have ended. */
    void observeExits() {
        for (ContainerSlot slot : slots()) {
            ContainerHandle h;
            String id;
            synchronized (state) {
                if (!slot.running()) {
                    continue;
                }
                h = slot.handle;
                id = slot.instanceId;
            }
            PodRecord.Terminated t;
            if (h == null) {
                t = unknown(id, slot.startedAt);
            } else {
                ContainerState st = s.config().runtime().state(h);
                t = switch (st) {
                    case ContainerState.Exited e -> new PodRecord.Terminated(e.exitCode(),
                            e.oomKilled() ? "OOMKilled" : e.exitCode() == 0 ? "Completed" : "Error",
                            terminations.read(state.ref.uid(), state.spec(slot), id, e.exitCode(),
                                    s.layout().log(state.ref, slot.name, slot.restartCount)),
                            e.startedAt() != null ? e.startedAt() : slot.startedAt,
                            e.finishedAt() != null ? e.finishedAt() : s.clock().instant(), id);
                    case ContainerState.Unknown u -> unknown(id, slot.startedAt);
                    default -> null;
                };
            }
            if (t == null) {
                continue;
            }
            probes.stop(slot.name);
            synchronized (state) {
                slot.terminated = t;
                slot.ready = false;
                slot.started = false;
                slot.waiting = null;
            }
            LOG.info("event=container_exited pod={} container={} exitCode={} reason={}", state.ref, slot.name,
                    t.exitCode(), t.reason());
            s.store().save(state);
        }
    }

    private PodRecord.Terminated unknown(String id, Instant startedAt) {
        Instant now = s.clock().instant();
        return new PodRecord.Terminated(137, "ContainerStatusUnknown",
                "The container could not be located when the pod was terminated", startedAt, now, id);
    }

    /** Init containers run again in a new sandbox (as the kubelet does when a sandbox changed). */
    void rerunInitContainers() {
        synchronized (state) {
            for (ContainerSlot slot : state.slots.values()) {
                if (slot.init && slot.terminated != null) {
                    slot.last = slot.terminated;
                    slot.terminated = null;
                    slot.instanceId = null;
                    slot.restartCount++;
                }
            }
        }
    }

    /**
     * Starts the slot's next instance unless it must wait: in its restart back-off
     * (CrashLoopBackOff), for its image (ErrImagePull, ImagePullBackOff) or for its configuration
     * (CreateContainerConfigError). A runtime failure to start is an instance that ended at once
     * (StartError, exit code 128).
     */
    void start(ContainerSlot slot, String policy) {
        Container c = state.spec(slot);
        Instant now = s.clock().instant();
        boolean restart;
        synchronized (state) {
            restart = slot.terminated != null;
            if (restart && !slot.restartRequested) {
                Instant finished = slot.terminated.finishedAt() == null ? now : slot.terminated.finishedAt();
                if (Backoff.KUBELET.inBackoffSince(slot.crashBackoff, finished, now)) {
                    String pod = state.ref.name() + "_" + state.ref.namespace() + "(" + state.ref.uid() + ")";
                    if (slot.waiting == null || !"CrashLoopBackOff".equals(slot.waiting.reason())) {
                        s.events().event(state.ref, "Warning", "BackOff", "Back-off restarting failed container "
                                + slot.name + " in pod " + pod);
                    }
                    slot.waiting = new ContainerSlot.Waiting("CrashLoopBackOff", "back-off "
                            + Backoff.goDuration(slot.crashBackoff.delay()) + " restarting failed container="
                            + slot.name + " pod=" + pod);
                    return;
                }
                slot.crashBackoff = Backoff.KUBELET.next(slot.crashBackoff, finished, now);
            }
        }
        ResolvedImage image = s.pulls().ensure(state, slot, c);
        if (image == null) {
            return;
        }
        String id = Sandboxes.newId();
        int count = restart ? slot.restartCount + 1 : slot.restartCount;
        Path log = s.layout().log(state.ref, slot.name, count);
        ContainerSpec spec;
        try {
            spec = s.specs().build(id, state.pod(), c, image, s.context(state.podIp), log, count,
                    keys -> s.events().event(state.ref, "Warning", "InvalidEnvironmentVariableNames",
                            "Keys [" + String.join(", ", keys) + "] from the EnvFrom configMap "
                                    + state.ref.namespace() + " were skipped since they are considered invalid "
                                    + "environment variable names."))
                    .withMount(terminations.prepare(state.ref.uid(), c, id));
        } catch (ContainerConfigException e) {
            synchronized (state) {
                if (slot.waiting == null || !e.getMessage().equals(slot.waiting.message())) {
                    s.events().event(state.ref, "Warning", "Failed", "Error: " + e.getMessage());
                }
                slot.waiting = new ContainerSlot.Waiting("CreateContainerConfigError", e.getMessage());
            }
            return;
        }
        ContainerHandle old;
        synchronized (state) {
            old = slot.handle;
            if (restart) {
                // Its message is kept in the slot's last state.
                terminations.remove(state.ref.uid(), slot.terminated.containerId());
                slot.last = slot.terminated;
                slot.restartCount = count;
                slot.terminated = null;
                slot.instanceId = null;
                slot.handle = null;
            }
        }
        prepareLogs(slot.name, count);
        ContainerHandle h;
        try {
            if (state.sandbox.singleContainer()) {
                // The container starts the sandbox: prepared while the network is made, if it still is.
                s.config().runtime().prepareContainer(state.sandbox, spec);
                Sandboxes.ensureNetwork(state, s);
                if (restart) {
                    // The instance that ended was its sandbox: runsc took the pod's address off eth0 then.
                    s.config().network().restoreAddress(state.ref.uid());
                }
            }
            h = s.config().runtime().startContainer(state.sandbox, spec);
        } catch (RuntimeException e) {
            removeQuietly(new ContainerHandle(id, state.sandbox.id(), Map.of()));
            removeLater(old, slot.name);
            String msg = e.getMessage() == null ? e.toString() : e.getMessage();
            synchronized (state) {
                slot.instanceId = id;
                slot.startedAt = now;
                slot.imageName = image.name();
                slot.imageId = image.imageId();
                slot.terminated = new PodRecord.Terminated(128, "StartError", msg, now, s.clock().instant(), id);
                slot.waiting = null;
                slot.restartRequested = false;
            }
            s.events().event(state.ref, "Warning", "Failed", "Error: " + msg);
            LOG.info("event=container_start_failed pod={} container={} cause=\"{}\"", state.ref, slot.name, msg);
            s.store().save(state);
            return;
        }
        removeLater(old, slot.name);
        Instant started = s.config().runtime().state(h) instanceof ContainerState.Running r && r.startedAt() != null
                ? r.startedAt() : s.clock().instant();
        synchronized (state) {
            slot.handle = h;
            slot.instanceId = id;
            slot.startedAt = started;
            slot.imageName = image.name();
            slot.imageId = image.imageId();
            slot.waiting = null;
            slot.started = c.getStartupProbe() == null;
            slot.ready = slot.started && c.getReadinessProbe() == null;
            slot.restartRequested = false;
        }
        s.store().save(state);
        s.events().event(state.ref, "Normal", "Created", "Created container " + slot.name);
        s.events().event(state.ref, "Normal", "Started", "Started container " + slot.name);
        LOG.info("event=container_started pod={} container={} id={} restartCount={}", state.ref, slot.name, id, count);
        if (!postStart(slot, c, h)) {
            return;
        }
        probes.start(slot, c, id);
    }

    /**
     * Runs the postStart handler before the container counts as started (probes wait for it);
     * one that fails kills the instance, whose exit then counts as any other.
     *
     * @return whether the instance goes on
     */
    private boolean postStart(ContainerSlot slot, Container c, ContainerHandle h) {
        var handler = c.getLifecycle() == null ? null : c.getLifecycle().getPostStart();
        if (!LifecycleHooks.present(handler)) {
            return true;
        }
        var r = hooks.run(handler, c, h, state.ref, state.podIp, HOOK_TIMEOUT);
        if (r.success()) {
            return true;
        }
        s.events().event(state.ref, "Warning", "FailedPostStartHook", r.output());
        LOG.info("event=post_start_failed pod={} container={} cause=\"{}\"", state.ref, slot.name, r.output());
        try {
            s.config().runtime().stopContainer(h, ContainerStopper.grace(state, null));
        } catch (RuntimeException e) {
            LOG.warn("event=container_kill_failed pod={} container={} cause=\"{}\"", state.ref, slot.name,
                    e.getMessage());
        }
        observeExits();
        return false;
    }

    /**
     * Removes an ended instance in the background once its successor was started: runsc takes
     * 1.5-2 s to delete a container, which a restart need not wait for (the kubelet, too, starts
     * the new instance first and collects dead ones later). The CRI log stays (for --previous).
     */
    private void removeLater(ContainerHandle old, String container) {
        if (old == null) {
            return;
        }
        Thread.ofVirtual().name("remove-" + old.id()).start(() -> {
            try {
                s.config().runtime().remove(old);
            } catch (RuntimeException e) {
                LOG.info("event=container_remove_failed pod={} container={} id={} cause=\"{}\"", state.ref, container,
                        old.id(), e.getMessage());
            }
        });
    }

    /** A prepared instance that did not start (a failed start was removed by the runtime already). */
    private void removeQuietly(ContainerHandle prepared) {
        try {
            s.config().runtime().remove(prepared);
        } catch (RuntimeException e) {
            LOG.info("event=container_remove_failed pod={} id={} cause=\"{}\"", state.ref, prepared.id(),
                    e.getMessage());
        }
    }

    /** Keeps the previous instance's log (for --previous) and drops older ones. */
    private void prepareLogs(String container, int count) {
        Path dir = s.layout().logs(state.ref).resolve(container);
        try {
            Files.createDirectories(dir);
            try (var files = Files.list(dir)) {
                for (Path p : files.toList()) {
                    String n = p.getFileName().toString();
                    int dot = n.indexOf(".log");
                    if (dot > 0) {
                        try {
                            int k = Integer.parseInt(n.substring(0, dot));
                            if (k < count - 1) {
                                Files.deleteIfExists(p);
                            }
                        } catch (NumberFormatException ignored) {
                            // not one of ours
                        }
                    }
                }
            }
        } catch (IOException e) {
            LOG.info("event=log_dir_failed pod={} container={} cause=\"{}\"", state.ref, container, e.getMessage());
        }
    }

    /** The container's image changed: the running instance stops, a new one starts at once. */
    void restartForChange(ContainerSlot slot) {
        s.events().event(state.ref, "Normal", "Killing", "Container " + slot.name
                + " definition changed, will be restarted");
        ContainerHandle h;
        synchronized (state) {
            h = slot.handle;
        }
        if (h != null) {
            s.config().runtime().stopContainer(h, ContainerStopper.grace(state, null));
        }
        observeExits();
        start(slot, PodSpecs.restartPolicy(state.pod()));
    }

    /** Runs preStop hooks, then stops every running instance within the grace period, in parallel. */
    void stopAll(Duration grace) {
        probes.stopAll();
        stopper.stopAll(grace);
    }

    /** Stops the probes of every instance (the pod is going, or its sandbox). */
    void stopAllProbes() {
        probes.stopAll();
    }

    /** Probes again the running instances of an adopted pod. */
    void resumeProbes() {
        probes.resume();
    }

    private List<ContainerSlot> slots() {
        synchronized (state) {
            return List.copyOf(state.slots.values());
        }
    }
}
