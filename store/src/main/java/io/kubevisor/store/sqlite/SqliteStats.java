package io.kubevisor.store.sqlite;

/**
 * Counters of one {@link SqliteStore} since it was opened, for metrics and tests.
 *
 * @param transactions  write transactions committed (one per group-committed batch, plus
 *                      compaction steps)
 * @param writes        creates, updates and deletes committed (each took one revision)
 * @param rejected      writes refused by a precondition (key exists, not found, conflict)
 * @param pendingWrites writes accepted and not yet answered at the time of the call
 * @param watches       open watches at the time of the call
 */
public record SqliteStats(long transactions, long writes, long rejected, int pendingWrites, int watches) {
}
