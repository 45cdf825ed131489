package io.kubevisor.store;

import java.util.Optional;

/**
 * An etcd-shaped key-value store: one global, monotonic revision incremented by every write;
 * reads at a revision; writes guarded by the expected mod revision; watches from a revision.
 *
 * <p>All methods are thread-safe and blocking (call them from virtual threads). A write
 * returns only after it is durable. Every successful create, update or delete takes exactly
 * the next revision; a write that fails (precondition or error) takes none, so revisions have
 * no holes. Returned values, including their byte arrays, are owned by the caller: the store
 * keeps no reference to them, and copies the arrays it is given.
 *
 * <p>{@code StoreContractTest} (in this module's test-jar) pins these semantics; every
 * backend runs it.
 */
public interface Store extends AutoCloseable {

    /**
     * The revision of the latest durable write (0 for an empty store). At least the revision of
     * every write that has returned.
     */
    long currentRevision();

    /** The latest value of a key, if it exists. */
    Optional<KeyValue> get(String key);

    /**
     * Keys under a prefix at a revision, in key order. All items of one call come from one
     * snapshot; later pages asked for at the first page's {@link ListResult#revision()} with
     * {@code startAfter} continue that snapshot, whatever was written in between.
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
     * Replaces the value of a key written last at {@code expectedModRevision} (which must match
     * exactly; there is no unconditional update). The create revision stays.
     *
     * @return the stored value with its new mod revision
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
     * gap and no duplicate. Prefix matching is plain string prefix: {@code /registry/pods/}
     * does not match {@code /registry/podsx/a}. To follow a list, pass the list's revision.
     *
     * @param afterRevision 0 means "from now" (the current revision at the call); a revision
     *                      the store has not reached yet is allowed: the watch waits for it
     * @return an open watch, owned by the caller, who must close it
     * @throws StoreException.Compacted   if {@code afterRevision} is older than
     *                                    {@link #compactRevision()}
     * @throws StoreException.WatchClosed if the store is closed
     */
    Watch watch(String prefix, long afterRevision);

    /**
     * Drops history older than {@code revision}: lists at a revision before it, and watches
     * from a revision before it, then fail with {@link StoreException.Compacted}; at
     * {@code revision} and later everything still reads. The latest value of every key is
     * kept. Idempotent: a revision at or below the current compaction point does nothing.
     *
     * @throws StoreException.FutureRevision if {@code revision} is newer than the current one
     */
    void compact(long revision);

    /** The oldest revision still readable (the compaction point; 0 if never compacted). */
    long compactRevision();

    /**
     * Closes the store; open watches end with {@link StoreException.WatchClosed}, later calls
     * fail with a {@link StoreException}. Idempotent.
     */
    @Override
    void close();
}
