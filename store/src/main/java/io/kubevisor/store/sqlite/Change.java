package io.kubevisor.store.sqlite;

import io.kubevisor.store.KeyValue;
import io.kubevisor.store.WatchEvent;

/**
 * One committed write as watches see it. Instances may be shared by the event cache and many
 * watches, so their byte arrays are never handed out: {@link #toEvent()} copies them.
 *
 * @param revision the revision of the write
 * @param key      the key written
 * @param kv       the new value; null for a deletion
 * @param prev     the value replaced; null for a create
 */
record Change(long revision, String key, KeyValue kv, KeyValue prev) {

    static Change put(KeyValue kv, KeyValue prev) {
        return new Change(kv.modRevision(), kv.key(), kv, prev);
    }

    static Change delete(KeyValue prev, long revision) {
        return new Change(revision, prev.key(), null, prev);
    }

    boolean deleted() {
        return kv == null;
    }

    /** A watch event with its own copies of the value bytes. */
    WatchEvent toEvent() {
        return deleted()
                ? new WatchEvent.Delete(copy(prev), revision)
                : new WatchEvent.Put(copy(kv), prev == null ? null : copy(prev));
    }

    static KeyValue copy(KeyValue kv) {
        return new KeyValue(kv.key(), kv.value().clone(), kv.createRevision(), kv.modRevision());
    }
}
