package io.kubevisor.store;

/**
 * The closed set of failures a {@link Store} reports. The API server maps each to one Status.
 */
public abstract sealed class StoreException extends RuntimeException {

    protected StoreException(String message, Throwable cause) {
        super(message, cause);
    }

    /** A create found the key present. */
    public static final class KeyExists extends StoreException {
        public KeyExists(String key) {
            super("key exists: " + key, null);
        }
    }

    /** An update or delete found no key. */
    public static final class KeyNotFound extends StoreException {
        public KeyNotFound(String key) {
            super("key not found: " + key, null);
        }
    }

    /** An update or delete found the key at a different mod revision than expected. */
    public static final class RevisionConflict extends StoreException {
        private final long actual;

        public RevisionConflict(String key, long expected, long actual) {
            super("revision conflict on " + key + ": expected " + expected + ", found " + actual, null);
            this.actual = actual;
        }

        public long actual() {
            return actual;
        }
    }

    /** A read or watch asked for a revision older than the compaction point. */
    public static final class Compacted extends StoreException {
        private final long requested;
        private final long compactRevision;

        public Compacted(long requested, long compactRevision) {
            super("required revision " + requested + " has been compacted (compact revision " + compactRevision + ")", null);
            this.requested = requested;
            this.compactRevision = compactRevision;
        }

        public long requested() {
            return requested;
        }

        public long compactRevision() {
            return compactRevision;
        }
    }

    /** A read asked for a revision the store has not reached yet. */
    public static final class FutureRevision extends StoreException {
        public FutureRevision(long requested, long current) {
            super("required revision " + requested + " is a future revision (current " + current + ")", null);
        }
    }

    /** The watch was closed by its consumer or ended by the store. */
    public static final class WatchClosed extends StoreException {
        public WatchClosed(String why) {
            super("watch closed: " + why, null);
        }
    }

    /** The backend failed (I/O, database, network); the operation may or may not have applied. */
    public static final class Unavailable extends StoreException {
        public Unavailable(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
