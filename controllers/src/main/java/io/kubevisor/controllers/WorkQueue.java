package io.kubevisor.controllers;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The keys a controller has to reconcile, with the guarantees of client-go's work queue:
 * <ul>
 *   <li>a key is queued at most once, however often it is added before a worker takes it;</li>
 *   <li>a key is handed to one worker at a time: added while being processed, it is queued
 *       again only when that worker calls {@link #done};</li>
 *   <li>a key can be added after a delay ({@link #addAfter}; the earliest pending delay wins) or
 *       after its {@link Backoff} ({@link #addRateLimited}), which {@link #forget} resets.</li>
 * </ul>
 * Ready keys are taken in the order they became ready. Thread-safe; workers may block in
 * {@link #take} on virtual threads.
 *
 * @param <K> the key type; keys must have value equality
 */
public final class WorkQueue<K> {

    private final Backoff<K> backoff;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final ArrayDeque<K> ready = new ArrayDeque<>();
    /** Keys that need processing: queued in {@link #ready}, or to be queued when their worker is done. */
    private final Set<K> dirty = new HashSet<>();
    private final Set<K> processing = new HashSet<>();
    /** Delayed keys and the {@link System#nanoTime} at which each becomes ready. */
    private final Map<K, Long> waiting = new HashMap<>();
    private boolean shutDown;

    /** @param backoff how {@link #addRateLimited} delays keys; the queue uses it exclusively from now on */
    public WorkQueue(Backoff<K> backoff) {
        this.backoff = Objects.requireNonNull(backoff, "backoff");
    }

    /** Queues {@code key} now, unless it is queued already. Ignored after {@link #shutDown}. */
    public void add(K key) {
        Objects.requireNonNull(key, "key");
        lock.lock();
        try {
            addLocked(key);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Queues {@code key} once {@code delay} has passed; a zero or negative delay queues it now. If
     * the key is already waiting, it keeps the earlier of the two times.
     */
    public void addAfter(K key, Duration delay) {
        Objects.requireNonNull(key, "key");
        if (delay.isNegative() || delay.isZero()) {
            add(key);
            return;
        }
        long due = System.nanoTime() + delay.toNanos();
        lock.lock();
        try {
            if (shutDown) {
                return;
            }
            waiting.merge(key, due, (a, b) -> a - b <= 0 ? a : b);
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Queues {@code key} after its next backoff (one more failure counted).
     *
     * @return the delay applied
     */
    public Duration addRateLimited(K key) {
        Duration delay = backoff.next(key);
        addAfter(key, delay);
        return delay;
    }

    /** Resets the backoff of {@code key}; call it when the key was reconciled successfully. */
    public void forget(K key) {
        backoff.reset(key);
    }

    /** Consecutive failures counted for {@code key} since it was last forgotten. */
    public int failures(K key) {
        return backoff.failures(key);
    }

    /**
     * Takes the next ready key, blocking until there is one. The caller must call {@link #done}
     * with it when finished.
     *
     * @return the key, or empty once the queue is shut down
     * @throws InterruptedException if interrupted while waiting
     */
    public Optional<K> take() throws InterruptedException {
        lock.lock();
        try {
            while (true) {
                if (shutDown) {
                    return Optional.empty();
                }
                long now = System.nanoTime();
                long nextDue = promoteDue(now);
                K key = ready.poll();
                if (key != null) {
                    dirty.remove(key);
                    processing.add(key);
                    return Optional.of(key);
                }
                if (nextDue == Long.MAX_VALUE) {
                    changed.await();
                } else {
                    changed.awaitNanos(nextDue - now);
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /** Marks {@code key} as no longer processed; if it was added meanwhile, it is queued again. */
    public void done(K key) {
        lock.lock();
        try {
            processing.remove(key);
            if (dirty.contains(key) && !shutDown) {
                ready.add(key);
                changed.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Stops the queue: {@link #take} returns empty from now on, adds are ignored. Idempotent. */
    public void shutDown() {
        lock.lock();
        try {
            shutDown = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Whether {@link #shutDown} was called. */
    public boolean isShutDown() {
        lock.lock();
        try {
            return shutDown;
        } finally {
            lock.unlock();
        }
    }

    /** How many keys are ready to be taken (delayed keys not counted). */
    public int readyCount() {
        lock.lock();
        try {
            promoteDue(System.nanoTime());
            return ready.size();
        } finally {
            lock.unlock();
        }
    }

    /** How many keys wait for a delay to pass. */
    public int waitingCount() {
        lock.lock();
        try {
            promoteDue(System.nanoTime());
            return waiting.size();
        } finally {
            lock.unlock();
        }
    }

    private void addLocked(K key) {
        if (shutDown || !dirty.add(key)) {
            return;
        }
        if (!processing.contains(key)) {
            ready.add(key);
            changed.signalAll();
        }
    }

    /** Moves due waiting keys to ready; returns the nanoTime of the next one still waiting, or MAX_VALUE. */
    private long promoteDue(long now) {
        long next = Long.MAX_VALUE;
        var it = waiting.entrySet().iterator();
        while (it.hasNext()) {
            var e = it.next();
            long due = e.getValue();
            if (due - now <= 0) {
                it.remove();
                addLocked(e.getKey());
            } else if (next == Long.MAX_VALUE || due - next < 0) {
                next = due;
            }
        }
        return next;
    }
}
