package io.kubevisor.store;

import java.util.Optional;

/**
 * An etcd-shaped key-value store: one global, monotonic revision incremented by every write;
 * reads at a revision; writes guarded by the expected mod revision; watches from a revision.
 *
 * <p>All methods are thread-safe and blocking (call them from virtual threads). A write
 * returns only after it is durable. Returned values are owned by the caller.
 */
public interface Store extends AutoCloseable {

    /** The revision of the latest durable write (0 for an empty store). */
    long currentRevision();

    /** The latest value of a key, if it exists. */
    Optional<KeyValue> get(String key);

    /**
     * Keys under a prefix at a revision, in key order.
     *
     * @throws StoreException.Compacted      if the revision is older than the compaction point
     * @throws StoreException.FutureRevision if the revision is newer than the current revision
     */
    ListResult list(ListRequest request);

    /**
     * Creates a key.
     *
     * @return the stored value with its new revision
     * @throws StoreException.KeyExists if the key exists
     */
    KeyValue create(String key, byte[] value);

    /**
     * Replaces the value of a key written last at {@code expectedModRevision}.
     *
     * @throws StoreException.KeyNotFound      if the key does not exist
     * @throws StoreException.RevisionConflict if the key was written since
     */
    KeyValue update(String key, byte[] value, long expectedModRevision);

    /**
     * Deletes a key written last at {@code expectedModRevision} (0: whatever its revision).
     *
     * @return the value before deletion, as a {@link KeyValue} whose modRevision is the
     *         deletion's revision
     * @throws StoreException.KeyNotFound      if the key does not exist
     * @throws StoreException.RevisionConflict if the key was written since
     */
    KeyValue delete(String key, long expectedModRevision);

    /**
     * Watches keys under a prefix, starting with changes after {@code afterRevision}. Changes
     * between {@code afterRevision} and now are replayed first, then live ones follow, with no
     * gap and no duplicate.
     *
     * @param afterRevision 0 means "from now"
     * @throws StoreException.Compacted if history after {@code afterRevision} has been compacted
     */
    Watch watch(String prefix, long afterRevision);

    /**
     * Drops history older than {@code revision}: reads and watches before it then fail with
     * {@link StoreException.Compacted}. The latest value of every key is kept. Idempotent.
     */
    void compact(long revision);

    /** The oldest revision still readable (the compaction point; 0 if never compacted). */
    long compactRevision();

    /** Closes the store; open watches end with {@link StoreException.WatchClosed}. */
    @Override
    void close();
}
