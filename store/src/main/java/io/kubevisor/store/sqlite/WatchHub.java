package io.kubevisor.store.sqlite;

import io.kubevisor.store.StoreException;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Fans committed changes out to watches. The writer appends each commit to the shared
 * {@link EventRing} and wakes the watches waiting for a matching key; watches pull from the
 * ring at their own pace, so a slow watch never holds the writer up or makes it buffer.
 * Thread-safe.
 */
final class WatchHub {

    private final EventRing ring;
    private final Set<SqliteWatch> watches = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    WatchHub(int cacheSize, long revision) {
        this.ring = new EventRing(cacheSize, revision);
    }

    /** The newest revision watches can see: committed, with all before it. */
    long published() {
        return ring.published();
    }

    /** A recent change, or null when it is no longer cached. */
    Change cached(long revision) {
        return ring.get(revision);
    }

    /** Publishes one commit's changes (consecutive revisions). Writer thread only. */
    void publish(List<Change> changes) {
        ring.append(changes);
        for (SqliteWatch watch : watches) {
            watch.wakeIfMatching(changes);
        }
    }

    void register(SqliteWatch watch) {
        watches.add(watch);
        // A watch registered while closeAll runs must not be missed.
        if (closed) {
            watch.end(new StoreException.WatchClosed("store closed"));
        }
    }

    void unregister(SqliteWatch watch) {
        watches.remove(watch);
    }

    boolean closed() {
        return closed;
    }

    int size() {
        return watches.size();
    }

    /** Ends every watch with {@link StoreException.WatchClosed}. */
    void closeAll() {
        closed = true;
        for (SqliteWatch watch : watches) {
            watch.end(new StoreException.WatchClosed("store closed"));
        }
    }
}
