package io.kubevisor.store;

/**
 * A change seen by a watch. Events of one watch arrive in revision order, with no gaps and
 * no duplicates.
 */
public sealed interface WatchEvent {

    /** The revision of the change (for {@link Progress}: the store revision reached). */
    long revision();

    /**
     * A create or an update.
     *
     * @param kv   the new value
     * @param prev the value before (with its own mod revision), or null for a create
     */
    record Put(KeyValue kv, KeyValue prev) implements WatchEvent {
        @Override
        public long revision() {
            return kv.modRevision();
        }

        public boolean created() {
            return prev == null;
        }
    }

    /**
     * A deletion.
     *
     * @param prev     the last value before deletion, with its own create and mod revisions
     * @param revision the revision of the deletion
     */
    record Delete(KeyValue prev, long revision) implements WatchEvent {
    }

    /** Nothing matched, but the store has reached this revision (for watch bookmarks). */
    record Progress(long revision) implements WatchEvent {
    }
}
