package io.kubevisor.controllers;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
/**
 * Worker virtual threads that take keys from a {@link WorkQueue} and run a {@link Reconciler} on
 * them: success forgets the key's backoff (and requeues it if asked), an exception requeues it
 * after its backoff. Thread-safe.
 *
 * @param <K> the key type
 */
public final class ReconcileLoop<K> implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ReconcileLoop.class);
    /** How long {@link #close} lets an in-flight reconcile finish before interrupting it. */
    static final Duration DEFAULT_DRAIN = Duration.ofSeconds(5);

    private final String name;
    private final WorkQueue<K> queue;
    private final Reconciler<K> reconciler;
    private final int workers;
    private final Duration drain;
    private final List<Thread> threads = new ArrayList<>();

    /**
     * @param name    the controller's name, for logs and thread names
     * @param workers how many keys may be reconciled at once
     */
    public ReconcileLoop(String name, WorkQueue<K> queue, Reconciler<K> reconciler, int workers) {
        this(name, queue, reconciler, workers, DEFAULT_DRAIN);
    }

    ReconcileLoop(String name, WorkQueue<K> queue, Reconciler<K> reconciler, int workers, Duration drain) {
        if (workers < 1) {
            throw new IllegalArgumentException("workers must be at least 1, got " + workers);
        }
        this.name = name;
        this.queue = queue;
        this.reconciler = reconciler;
        this.workers = workers;
        this.drain = drain;
    }

    /** Starts the workers. Call once. */
    public synchronized void start() {
        if (!threads.isEmpty()) {
            throw new IllegalStateException("reconcile loop " + name + " already started");
        }
        for (int i = 0; i < workers; i++) {
            threads.add(Thread.ofVirtual().name(name + "-worker-" + i).start(this::work));
        }
    }

    /**
     * Shuts the queue down and waits for the workers: an in-flight reconcile gets a few seconds
     * to finish, then is interrupted. Idempotent.
     */
    @Override
    public synchronized void close() {
        queue.shutDown();
        long deadline = System.nanoTime() + drain.toNanos();
        for (Thread t : threads) {
            try {
                long left = Math.max(1, (deadline - System.nanoTime()) / 1_000_000);
                if (!t.join(Duration.ofMillis(left))) {
                    t.interrupt();
                    t.join(Duration.ofSeconds(1));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        threads.clear();
    }

    private void work() {
        while (true) {
            Optional<K> next;
            try {
                next = queue.take();
            } catch (InterruptedException e) {
                return;
            }
            if (next.isEmpty()) {
                return;
            }
            K key = next.get();
            try {
                switch (reconciler.reconcile(key)) {
                    case Reconciler.Result.Done d -> queue.forget(key);
                    case Reconciler.Result.RequeueAfter(Duration delay) -> {
                        queue.forget(key);
                        queue.addAfter(key, delay);
                    }
                }
            } catch (Exception e) {
                // Interrupted or failed because we are stopping: not a failure of the key.
                if (queue.isShutDown()) {
                    return;
                }
                retry(key, e);
            } finally {
                queue.done(key);
            }
        }
    }

    private void retry(K key, Exception e) {
        Duration delay = queue.addRateLimited(key);
        LOG.warn("event=reconcile_failed controller={} key={} failures={} retry_in_ms={} cause=\"{}\"", name, key,
                queue.failures(key), delay.toMillis(), Failures.describe(e));
    }
}
