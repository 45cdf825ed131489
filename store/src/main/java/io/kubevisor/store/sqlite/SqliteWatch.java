package io.kubevisor.store.sqlite;

import io.kubevisor.store.StoreException;
import io.kubevisor.store.Watch;
import io.kubevisor.store.WatchEvent;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * A watch that pulls: it keeps a cursor (every matching change up to it has been returned or is
 * queued in {@code pending}) and advances it through the in-memory ring of recent changes, or,
 * when its next revision is no longer (or not yet) cached, through pages of the log table. The
 * cursor alone decides what comes next, so switching between the two sources has no gap and no
 * duplicate, and a watch that falls behind costs no memory: it reads the log until it catches
 * up. It ends only when closed, when the store closes, or when the history it still needs has
 * been compacted away.
 */
final class SqliteWatch implements Watch {

    /** Reads a page of history from the log table. */
    @FunctionalInterface
    interface History {
        List<Change> read(KeyRange range, long after, long upTo, int limit);
    }

    private static final Duration MAX_WAIT = Duration.ofDays(36_500);

    private final WatchHub hub;
    private final History history;
    private final KeyRange range;
    private final int pageSize;

    // Consumer thread only.
    private long cursor;
    private long lastReturned;
    private final ArrayDeque<Change> pending = new ArrayDeque<>();

    private volatile Thread waiter;
    private volatile StoreException ended;

    SqliteWatch(WatchHub hub, History history, String prefix, long afterRevision, int pageSize) {
        this.hub = hub;
        this.history = history;
        this.range = KeyRange.ofPrefix(prefix);
        this.pageSize = pageSize;
        this.cursor = afterRevision;
        this.lastReturned = afterRevision;
    }

    @Override
    public WatchEvent poll(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + boundedNanos(timeout);
        while (true) {
            throwIfEnded();
            Change change = next();
            if (change != null) {
                lastReturned = change.revision();
                return change.toEvent();
            }
            long remaining = deadline - System.nanoTime();
            if (remaining <= 0) {
                if (cursor > lastReturned) {
                    lastReturned = cursor;
                    return new WatchEvent.Progress(cursor);
                }
                return null;
            }
            // Publish ourselves before the last look, so a commit after it is sure to wake us.
            waiter = Thread.currentThread();
            try {
                if (hub.published() <= cursor && ended == null) {
                    LockSupport.parkNanos(this, remaining);
                }
            } finally {
                waiter = null;
            }
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
        }
    }

    @Override
    public void close() {
        end(new StoreException.WatchClosed("closed by consumer"));
    }

    /** Ends the watch: the next (or a blocked) poll throws {@code why}. Idempotent. */
    void end(StoreException why) {
        if (ended == null) {
            ended = why;
        }
        hub.unregister(this);
        Thread thread = waiter;
        if (thread != null) {
            LockSupport.unpark(thread);
        }
    }

    /** Called by the writer after a commit; wakes the consumer only if a change concerns it. */
    void wakeIfMatching(List<Change> changes) {
        Thread thread = waiter;
        if (thread == null) {
            return;
        }
        for (Change change : changes) {
            if (range.contains(change.key())) {
                LockSupport.unpark(thread);
                return;
            }
        }
    }

    /** The next matching change up to the published revision, or null when there is none yet. */
    private Change next() {
        while (true) {
            Change queued = pending.poll();
            if (queued != null) {
                return queued;
            }
            long published = hub.published();
            if (cursor >= published) {
                return null;
            }
            Change change = hub.cached(cursor + 1);
            if (change == null) {
                readHistory(published);
                continue;
            }
            cursor = change.revision();
            if (range.contains(change.key())) {
                return change;
            }
        }
    }

    private void readHistory(long upTo) {
        List<Change> page;
        try {
            page = history.read(range, cursor, upTo, pageSize);
        } catch (StoreException e) {
            end(e);
            // If the store closed under the read, say so rather than how the read failed.
            throw ended;
        }
        pending.addAll(page);
        cursor = page.size() < pageSize ? upTo : page.getLast().revision();
    }

    /** The timeout in nanoseconds, negative as zero and absurdly long as about a century. */
    private static long boundedNanos(Duration timeout) {
        if (timeout.isNegative()) {
            return 0;
        }
        return timeout.compareTo(MAX_WAIT) > 0 ? MAX_WAIT.toNanos() : timeout.toNanos();
    }

    private void throwIfEnded() {
        StoreException why = ended;
        if (why != null) {
            pending.clear();
            throw why;
        }
    }
}
