package io.kubevisor.store;

import java.time.Duration;

/**
 * A live stream of changes under a prefix. One consumer thread polls it; {@link #close()} may be
 * called from any thread and wakes a blocked poll.
 */
public interface Watch extends AutoCloseable {

    /**
     * Waits up to {@code timeout} for the next event.
     *
     * @return the next event, a {@link WatchEvent.Progress} when the store moved on without a
     *         matching change (at most once per poll), or null when the timeout passed
     * @throws StoreException.WatchClosed after {@link #close()}, or when the store ended the
     *                                    watch (closed store, consumer too slow)
     */
    WatchEvent poll(Duration timeout) throws InterruptedException;

    /** Ends the watch and releases its buffer. Idempotent. */
    @Override
    void close();
}
