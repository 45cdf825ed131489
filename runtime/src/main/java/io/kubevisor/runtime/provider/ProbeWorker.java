package io.kubevisor.runtime.provider;

import java.time.Duration;
import java.time.Instant;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Probe;
import io.kubevisor.runtime.sandbox.ContainerHandle;

/**
 * Probes one container instance periodically, as the kubelet's probe worker does: the first probe
 * after {@code initialDelaySeconds} from the container's start, then every {@code periodSeconds},
 * each given {@code timeoutSeconds}; liveness and readiness wait until the startup probe has
 * succeeded. A readiness verdict flips the container's {@code ready}; a liveness or startup
 * failure verdict kills the instance (the pod's worker restarts it per policy) and ends this
 * worker; a startup success ends it too. Runs on its own virtual thread.
 */
final class ProbeWorker {

    /** Which probe, with the word the kubelet's events use. */
    enum Kind {
        STARTUP("Startup"), LIVENESS("Liveness"), READINESS("Readiness");

        final String word;

        Kind(String word) {
            this.word = word;
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger(ProbeWorker.class);

    private final Kind kind;
    private final Probe probe;
    private final Container container;
    private final ContainerSlot slot;
    private final String instanceId;
    private final ContainerProbes owner;
    private final PodState state;
    private final Services s;
    private volatile boolean stopped;
    private Thread thread;

    ProbeWorker(Kind kind, Probe probe, Container container, ContainerSlot slot, String instanceId, ContainerProbes owner,
                PodState state, Services services) {
        this.kind = kind;
        this.probe = probe;
        this.container = container;
        this.slot = slot;
        this.instanceId = instanceId;
        this.owner = owner;
        this.state = state;
        this.s = services;
    }

    void start() {
        thread = Thread.ofVirtual().name("probe-" + kind.word.toLowerCase() + "-" + state.ref + "-" + slot.name)
                .start(this::loop);
    }

    void stop() {
        stopped = true;
        if (thread != null) {
            thread.interrupt();
        }
    }

    static Duration seconds(Integer value, int dflt) {
        return Duration.ofSeconds(value == null || value <= 0 ? dflt : value);
    }

    private void loop() {
        Duration period = seconds(probe.getPeriodSeconds(), 10);
        Duration timeout = seconds(probe.getTimeoutSeconds(), 1);
        int delay = probe.getInitialDelaySeconds() == null ? 0 : Math.max(0, probe.getInitialDelaySeconds());
        int successThreshold = kind == Kind.READINESS && probe.getSuccessThreshold() != null
                ? probe.getSuccessThreshold() : 1;
        int failureThreshold = probe.getFailureThreshold() == null ? 3 : probe.getFailureThreshold();
        var counter = new ProbeCounter(successThreshold, failureThreshold);
        try {
            Instant startedAt;
            synchronized (state) {
                startedAt = slot.startedAt;
            }
            Duration wait = Duration.between(s.clock().instant(), startedAt.plusSeconds(delay));
            if (wait.isPositive()) {
                Thread.sleep(wait);
            }
            while (!stopped) {
                ContainerHandle h;
                boolean started;
                String podIp;
                synchronized (state) {
                    if (!instanceId.equals(slot.instanceId) || !slot.running()) {
                        return;
                    }
                    h = slot.handle;
                    started = slot.started;
                    podIp = state.podIp;
                }
                if (kind == Kind.STARTUP && started) {
                    return;
                }
                if (kind != Kind.STARTUP && !started) {
                    Thread.sleep(period);
                    continue;
                }
                ProbeActions.Result r;
                try {
                    r = s.probes().run(probe, container, h, state.ref, podIp, timeout);
                } catch (RuntimeException e) {
                    r = new ProbeActions.Result(false, e.getMessage());
                }
                if (stopped) {
                    return;
                }
                if (!r.success()) {
                    s.events().event(state.ref, "Warning", "Unhealthy", kind.word + " probe failed: "
                            + r.output().strip());
                    LOG.info("event=probe_failed pod={} container={} probe={} output=\"{}\"", state.ref, slot.name,
                            kind.word, r.output().strip());
                }
                Boolean verdict = counter.record(r.success());
                if (verdict != null) {
                    switch (kind) {
                        case READINESS -> owner.probeResult(slot, instanceId, kind, verdict);
                        case STARTUP -> {
                            if (verdict) {
                                owner.probeResult(slot, instanceId, kind, true);
                                return;
                            }
                            owner.kill(slot.name, instanceId, "Container " + slot.name
                                    + " failed startup probe, will be restarted", probe.getTerminationGracePeriodSeconds());
                            return;
                        }
                        case LIVENESS -> {
                            if (!verdict) {
                                owner.kill(slot.name, instanceId, "Container " + slot.name
                                        + " failed liveness probe, will be restarted",
                                        probe.getTerminationGracePeriodSeconds());
                                return;
                            }
                        }
                    }
                }
                Thread.sleep(period);
            }
        } catch (InterruptedException e) {
            // stopped
        }
    }
}
