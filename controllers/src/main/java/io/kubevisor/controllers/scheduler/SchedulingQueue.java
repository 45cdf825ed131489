package io.kubevisor.controllers.scheduler;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.LongSupplier;

import io.kubevisor.controllers.Backoff;
import io.kubevisor.controllers.WorkQueue;

/**
 * The pods waiting to be scheduled, shaped like kube-scheduler's scheduling queue: an active
 * queue (a {@link WorkQueue}) and a set of unschedulable pods parked until the cluster changes in
 * a way that may let them fit (a node added or changed, a bound pod gone), or until a periodic
 * flush. A parked pod moved back waits out its backoff (1 s doubling to 10 s per failed attempt)
 * first. A cluster change that happens while a pod is being tried sends that pod straight back
 * after its backoff instead of parking it, so no change is missed. Thread-safe.
 */
final class SchedulingQueue {

    static final Duration INITIAL_BACKOFF = Duration.ofSeconds(1);
    static final Duration MAX_BACKOFF = Duration.ofSeconds(10);

    private final WorkQueue<PodKey> active;
    private final LongSupplier nanoTime;
    private final Backoff<PodKey> attempts = new Backoff<>(INITIAL_BACKOFF, MAX_BACKOFF);
    /** Parked pods: when they were parked and when their backoff ends (System.nanoTime). */
    private final Map<PodKey, long[]> unschedulable = new HashMap<>();
    private long moves;

    SchedulingQueue(WorkQueue<PodKey> active, LongSupplier nanoTime) {
        this.active = Objects.requireNonNull(active, "active");
        this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
    }

    /** Queues a new or changed pod now. */
    synchronized void add(PodKey key) {
        unschedulable.remove(key);
        active.add(key);
    }

    /** How many moves happened so far; take it before trying a pod and pass it to {@link #park}. */
    synchronized long moveCount() {
        return moves;
    }

    /**
     * Records a failed attempt: parks the pod, or, if the cluster changed since {@code movesBefore},
     * queues it again after its backoff.
     *
     * @return the pod's backoff
     */
    synchronized Duration park(PodKey key, long movesBefore) {
        Duration backoff = attempts.next(key);
        long now = nanoTime.getAsLong();
        if (moves != movesBefore) {
            active.addAfter(key, backoff);
        } else {
            unschedulable.put(key, new long[] {now, now + backoff.toNanos()});
        }
        return backoff;
    }

    /** Moves every parked pod back to the active queue (after what is left of its backoff). */
    synchronized int moveAll() {
        moves++;
        int n = unschedulable.size();
        long now = nanoTime.getAsLong();
        unschedulable.forEach((key, times) -> active.addAfter(key, Duration.ofNanos(Math.max(0, times[1] - now))));
        unschedulable.clear();
        return n;
    }

    /** Moves back the pods parked for at least {@code age}. */
    synchronized int flush(Duration age) {
        long now = nanoTime.getAsLong();
        var it = unschedulable.entrySet().iterator();
        int n = 0;
        while (it.hasNext()) {
            var e = it.next();
            if (now - e.getValue()[0] >= age.toNanos()) {
                it.remove();
                active.addAfter(e.getKey(), Duration.ofNanos(Math.max(0, e.getValue()[1] - now)));
                n++;
            }
        }
        return n;
    }

    /** Forgets a pod that was bound or deleted. */
    synchronized void forget(PodKey key) {
        unschedulable.remove(key);
        attempts.reset(key);
    }

    /** Whether the pod is parked as unschedulable. */
    synchronized boolean isParked(PodKey key) {
        return unschedulable.containsKey(key);
    }

    /** How many pods are parked. */
    synchronized int parked() {
        return unschedulable.size();
    }
}
