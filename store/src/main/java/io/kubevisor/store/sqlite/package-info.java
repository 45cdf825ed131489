/**
 * The embedded {@link io.kubevisor.store.Store}: {@link io.kubevisor.store.sqlite.SqliteStore}.
 *
 * <p>How it holds together:
 * <ul>
 *   <li><b>Data</b> ({@code Sql}): an append-only log table, one row per revision (puts and
 *       tombstones, each pointing at the row it replaced), a table of live keys for fast reads
 *       at the current revision, and a meta table (store revision, compact revision,
 *       compaction progress).</li>
 *   <li><b>Writes</b> ({@code Writer}): one thread owns the write connection and group-commits
 *       queued requests in {@code BEGIN IMMEDIATE} transactions; WAL with
 *       {@code synchronous=FULL}, so an answered write is on disk.</li>
 *   <li><b>Reads</b> ({@code ReadPool}, {@code Reads}): read-only connections, one short read
 *       transaction per call, so WAL checkpoints are never held back for long.</li>
 *   <li><b>Watches</b> ({@code WatchHub}, {@code EventRing}, {@code SqliteWatch}): committed
 *       changes go into a fixed-size ring; each watch pulls from it with its own cursor and
 *       reads the log table for whatever the ring no longer (or never) held.</li>
 *   <li><b>Compaction</b> ({@code Compaction}): moves the compact revision at once, then deletes
 *       unreadable rows in small slices between write batches.</li>
 * </ul>
 */
package io.kubevisor.store.sqlite;
