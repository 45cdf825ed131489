package io.kubevisor.controllers.nodelifecycle;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * When each node was last heard from, by this controller's own clock: a node agent is heard when
 * its Lease's {@code renewTime} or its Ready condition's {@code lastHeartbeatTime} changes. As in
 * Kubernetes, the time of observation counts, not the time written, so clock skew between agent
 * and controller does not matter; a node first seen counts as just heard, so every node gets a
 * full grace period after the controller starts. Thread-safe.
 */
final class Heartbeats {

    private record Seen(String lease, String status, long at) {
    }

    private final LongSupplier nanoTime;
    private final Map<String, Seen> seen = new HashMap<>();

    Heartbeats(LongSupplier nanoTime) {
        this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
    }

    /** Notes the lease's renew time; a change counts as hearing from the node. */
    synchronized void lease(String node, String renewTime) {
        Seen s = seen.get(node);
        if (s == null || !Objects.equals(s.lease(), renewTime)) {
            seen.put(node, new Seen(renewTime, s == null ? null : s.status(), nanoTime.getAsLong()));
        }
    }

    /** Notes the Ready condition's heartbeat time; a change counts as hearing from the node. */
    synchronized void status(String node, String heartbeatTime) {
        Seen s = seen.get(node);
        if (s == null || !Objects.equals(s.status(), heartbeatTime)) {
            seen.put(node, new Seen(s == null ? null : s.lease(), heartbeatTime, nanoTime.getAsLong()));
        }
    }

    /** How long since the node was last heard from; a node never seen counts as heard now. */
    synchronized Duration silence(String node) {
        long now = nanoTime.getAsLong();
        Seen s = seen.computeIfAbsent(node, n -> new Seen(null, null, now));
        return Duration.ofNanos(Math.max(0, now - s.at()));
    }

    /** Forgets a deleted node. */
    synchronized void forget(String node) {
        seen.remove(node);
    }
}
