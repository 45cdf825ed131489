package io.kubevisor.store;

import java.time.Duration;

/**
 * A live stream of changes under a prefix. One consumer thread polls it; {@link #close()} may be
 * called from any thread and wakes a blocked poll.
 */
public interface Watch extends AutoCloseable {

    /**
     * Waits up to {@code timeout} for the next event. Returned events (and their byte arrays)
     * are owned by the caller.
     *
     * <p>When no change matched but the store moved on, a poll may return
     * {@link WatchEvent.Progress}{@code (r)} instead of null: every matching change up to
     * {@code r} has been returned. It never stands in for a real event that is ready, never
     * goes backwards, and a poll returns at most one. (The SQLite store returns it from a poll
     * whose timeout expired, when the store passed the last revision this watch returned.)
     *
     * @return the next event, a Progress, or null when the timeout passed
     * @throws StoreException.WatchClosed after {@link #close()}, or when the store ended the
     *                                    watch (closed store; a backend may also end a
     *                                    consumer that is too slow)
     * @throws StoreException.Compacted   if the watch fell so far behind that the history it
     *                                    still needs was compacted; the watch is then ended
     */
    WatchEvent poll(Duration timeout) throws InterruptedException;

    /** Ends the watch and releases its buffer. Idempotent. */
    @Override
    void close();
}
