package io.kubevisor.node.pods;

import java.time.Duration;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Lets a pod's start reach the API before the events it produced: a start (the provider's
 * {@code createPod} and the status write after it) holds the gate, and the event sender waits
 * for it to be free before recording what queued up meanwhile. On a start's critical path, the
 * Created and Started events went to the server at the moment of the status write and delayed
 * it (they share the client's connections and the store's writer); the kubelet has no such
 * ordering, but events are best effort and only move a few milliseconds. The wait is bounded,
 * so starts back to back (a burst) delay events but never starve them. Thread-safe.
 */
public final class StatusFirst {

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition free = lock.newCondition();
    private int holders;

    /** Holds the gate until the returned hold is closed; holds nest and add up. */
    public Hold hold() {
        lock.lock();
        try {
            holders++;
        } finally {
            lock.unlock();
        }
        return new Hold();
    }

    /**
     * Waits until no start holds the gate, or {@code atMost} has passed.
     *
     * @return whether the gate was free
     * @throws InterruptedException if interrupted while waiting
     */
    boolean awaitFree(Duration atMost) throws InterruptedException {
        long left = atMost.toNanos();
        lock.lock();
        try {
            while (holders > 0) {
                if (left <= 0) {
                    return false;
                }
                left = free.awaitNanos(left);
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** One start's hold; closing it more than once releases once. */
    public final class Hold implements AutoCloseable {
        private boolean released;

        private Hold() {
        }

        @Override
        public void close() {
            lock.lock();
            try {
                if (!released) {
                    released = true;
                    if (--holders == 0) {
                        free.signalAll();
                    }
                }
            } finally {
                lock.unlock();
            }
        }
    }
}
