package io.kubevisor.store.sqlite;

import io.kubevisor.store.StoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Compaction, driven by the writer thread. Moving the compact revision is one small
 * transaction; from then on reads and watches before it are refused. The rows it made
 * unreadable are deleted afterwards in slices of {@value #STEP_REVISIONS} revisions, one
 * transaction each, between write batches, so no write waits long behind it. How far the
 * deletion got is stored, so a restart resumes it.
 */
final class Compaction {

    private static final Logger LOG = LoggerFactory.getLogger(Compaction.class);

    static final long STEP_REVISIONS = 4096;

    private final String name;
    private final WriteStatements sql;
    private final AtomicLong transactions;

    private volatile long revision;
    // Writer thread only.
    private long done;
    private boolean stalled;
    private long deletedRows;

    Compaction(String name, WriteStatements sql, AtomicLong transactions, long revision, long done) {
        this.name = name;
        this.sql = sql;
        this.transactions = transactions;
        this.revision = revision;
        this.done = done;
    }

    /** The compact revision. Thread-safe. */
    long revision() {
        return revision;
    }

    /**
     * Moves the compact revision to {@code target} (no-op if it is not newer).
     *
     * @return null on success, or why it failed
     */
    StoreException moveTo(long target, long committedRevision) {
        if (target <= revision) {
            return null;
        }
        if (target > committedRevision) {
            return new StoreException.FutureRevision(target, committedRevision);
        }
        try {
            sql.begin();
            sql.setMeta(Sql.META_COMPACT, target);
            sql.commit();
        } catch (SQLException e) {
            sql.rollbackQuietly();
            return new StoreException.Unavailable("compaction to " + target + " failed: " + e.getMessage(), e);
        }
        transactions.incrementAndGet();
        revision = target;
        stalled = false;
        LOG.info("event=compact store={} revision={}", name, target);
        return null;
    }

    /** Whether rows are left to delete (and the last attempt did not fail). */
    boolean pending() {
        return !stalled && done < revision;
    }

    /** Deletes the rows that the next slice of revisions made unreadable. */
    void step() {
        long from = done;
        long to = Math.min(revision, from + STEP_REVISIONS);
        try {
            sql.begin();
            int rows = sql.compactSlice(from, to);
            sql.setMeta(Sql.META_COMPACT_DONE, to);
            sql.commit();
            transactions.incrementAndGet();
            done = to;
            deletedRows += rows;
        } catch (SQLException e) {
            sql.rollbackQuietly();
            // Retried on the next compact() or restart, not in a loop against a failing disk.
            stalled = true;
            LOG.warn("event=compaction-stalled store={} from={} to={} error=\"{}\"", name, from, to, e.getMessage());
            return;
        }
        if (done == revision) {
            LOG.info("event=compacted store={} revision={} rowsDeleted={}", name, done, deletedRows);
            deletedRows = 0;
        }
    }
}
