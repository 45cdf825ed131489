package io.kubevisor.runtime.image;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One lock per key (a digest or an image name), created on demand and dropped when nobody holds
 * or waits for it, so work on one piece of content is done once while other content proceeds.
 * Thread-safe.
 */
final class KeyedLocks {

    /** Work done under a key's lock. */
    @FunctionalInterface
    interface Body<T> {
        T run() throws Exception;
    }

    private static final class Entry {
        final ReentrantLock lock = new ReentrantLock();
        int users;
    }

    private final ConcurrentHashMap<String, Entry> entries = new ConcurrentHashMap<>();

    /** Runs {@code body} holding the lock for {@code key}; exceptions pass through unchanged. */
    <T> T with(String key, Body<T> body) throws Exception {
        Entry e = entries.compute(key, (k, cur) -> {
            Entry x = cur == null ? new Entry() : cur;
            x.users++;
            return x;
        });
        e.lock.lock();
        try {
            return body.run();
        } finally {
            e.lock.unlock();
            entries.compute(key, (k, cur) -> --cur.users == 0 ? null : cur);
        }
    }

    /** Number of keys currently held or awaited (for tests). */
    int size() {
        return entries.size();
    }
}
