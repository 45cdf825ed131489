package io.kubevisor.store.sqlite;

import io.kubevisor.store.KeyValue;
import io.kubevisor.store.ListRequest;
import io.kubevisor.store.ListResult;
import io.kubevisor.store.Store;
import io.kubevisor.store.StoreException;
import io.kubevisor.store.Watch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The embedded {@link Store}: one SQLite database file in WAL mode, written by a single
 * group-committing writer thread and read through a small pool of read-only connections.
 *
 * <p>Writes are durable when they return ({@code synchronous=FULL}). Revisions have no holes:
 * a write refused by its precondition, or lost with a failed transaction, takes none. Watches
 * read recent changes from memory and older ones from the log table; a slow watch never
 * blocks writers (it falls back to reading the log) and ends only on close, store close, or
 * when the history it needs was compacted.
 *
 * <p>Thread-safe. Each instance owns its file exclusively (a {@code <file>.lock} lock guards
 * against a second opener, in this JVM or another process); instances on different files are
 * independent, so a JVM may hold one per tenant.
 */
public final class SqliteStore implements Store {

    private static final Logger LOG = LoggerFactory.getLogger(SqliteStore.class);

    private final Path file;
    private final SqliteOptions options;
    private final FileLock lock;
    private final Connection writeConnection;
    private final ReadPool readPool;
    private final Reads reads;
    private final WatchHub hub;
    private final Writer writer;
    private final AtomicBoolean closed = new AtomicBoolean();

    private SqliteStore(Path file, SqliteOptions options, FileLock lock, Connection writeConnection,
                        ReadPool readPool, Reads.Meta meta) throws SQLException {
        this.file = file;
        this.options = options;
        this.lock = lock;
        this.writeConnection = writeConnection;
        this.readPool = readPool;
        this.reads = new Reads(readPool);
        this.hub = new WatchHub(options.watchCacheSize(), meta.revision());
        this.writer = new Writer(file.toAbsolutePath().toString(), writeConnection, meta, options.maxBatchSize(), hub);
    }

    /**
     * Opens (creating if needed, with its parent directories) the store in {@code dbFile}.
     * Alongside it live {@code dbFile-wal}, {@code dbFile-shm} and {@code dbFile.lock}.
     *
     * @return an open store, owned by the caller, who must {@link #close()} it
     * @throws StoreException.Unavailable if the file is open elsewhere or cannot be opened
     */
    public static SqliteStore open(Path dbFile, SqliteOptions options) {
        Objects.requireNonNull(dbFile, "dbFile");
        Objects.requireNonNull(options, "options");
        var connections = new Connections(dbFile, options);
        connections.createParentDirectories();
        FileLock lock = connections.lockExclusively();
        Connection writeConnection = null;
        ReadPool readPool = null;
        try {
            writeConnection = connections.openWriter();
            Reads.Meta meta;
            try (var selectMeta = writeConnection.prepareStatement(Sql.SELECT_META)) {
                meta = Reads.Meta.read(selectMeta);
            }
            readPool = new ReadPool(connections, options.readPoolSize());
            var store = new SqliteStore(dbFile, options, lock, writeConnection, readPool, meta);
            store.writer.start();
            LOG.info("event=store-opened file={} revision={} compactRevision={}", dbFile, meta.revision(), meta.compact());
            return store;
        } catch (SQLException | RuntimeException e) {
            if (readPool != null) {
                readPool.close();
            }
            closeQuietly(writeConnection);
            release(lock);
            if (e instanceof StoreException storeException) {
                throw storeException;
            }
            throw new StoreException.Unavailable("cannot open sqlite store " + dbFile + ": " + e.getMessage(), e);
        }
    }

    @Override
    public long currentRevision() {
        return hub.published();
    }

    @Override
    public Optional<KeyValue> get(String key) {
        requireKey(key);
        return reads.get(key);
    }

    @Override
    public ListResult list(ListRequest request) {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(request.prefix(), "prefix");
        if (request.revision() < 0 || request.limit() < 0) {
            throw new IllegalArgumentException("revision and limit must not be negative: " + request);
        }
        return reads.list(request);
    }

    @Override
    public KeyValue create(String key, byte[] value) {
        requireKey(key);
        Objects.requireNonNull(value, "value");
        var future = new CompletableFuture<KeyValue>();
        return writer.submit(new WriteRequest.Create(key, value.clone(), future), future);
    }

    @Override
    public KeyValue update(String key, byte[] value, long expectedModRevision) {
        requireKey(key);
        Objects.requireNonNull(value, "value");
        var future = new CompletableFuture<KeyValue>();
        return writer.submit(new WriteRequest.Update(key, value.clone(), expectedModRevision, future), future);
    }

    @Override
    public KeyValue delete(String key, long expectedModRevision) {
        requireKey(key);
        var future = new CompletableFuture<KeyValue>();
        return writer.submit(new WriteRequest.Delete(key, expectedModRevision, future), future);
    }

    /**
     * {@inheritDoc}
     *
     * <p>Here a watch from a revision still in the in-memory cache ({@link
     * SqliteOptions#watchCacheSize()} changes) starts from memory; an older one reads the log
     * table first. A watch from a revision the store has not reached yet waits for it.
     */
    @Override
    public Watch watch(String prefix, long afterRevision) {
        Objects.requireNonNull(prefix, "prefix");
        if (afterRevision < 0) {
            throw new IllegalArgumentException("afterRevision must not be negative: " + afterRevision);
        }
        if (hub.closed()) {
            throw new StoreException.WatchClosed("store closed");
        }
        long after = afterRevision == 0 ? hub.published() : afterRevision;
        long compacted = writer.compactRevision();
        if (after < compacted) {
            throw new StoreException.Compacted(after, compacted);
        }
        var watch = new SqliteWatch(hub, reads::history, prefix, after, options.historyPageSize());
        hub.register(watch);
        return watch;
    }

    /**
     * {@inheritDoc}
     *
     * <p>Returns once reads and watches before {@code revision} are refused; the old rows are
     * then deleted in small transactions between write batches (resumed after a restart).
     *
     * @throws StoreException.FutureRevision if {@code revision} is newer than the current one
     */
    @Override
    public void compact(long revision) {
        var future = new CompletableFuture<Void>();
        writer.submit(new WriteRequest.Compact(revision, future), future);
    }

    @Override
    public long compactRevision() {
        return writer.compactRevision();
    }

    /** Counters since this store was opened. Thread-safe; the snapshot is owned by the caller. */
    public SqliteStats stats() {
        return writer.stats(hub.size());
    }

    /**
     * Answers the writes already queued, ends all watches with {@link StoreException.WatchClosed},
     * and closes the database. Later calls fail with {@link StoreException.Unavailable}.
     * Idempotent; thread-safe.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        writer.stop();
        hub.closeAll();
        readPool.close();
        // Closed last, so that the final checkpoint folds the WAL back into the database file.
        closeQuietly(writeConnection);
        release(lock);
        LOG.info("event=store-closed file={}", file);
    }

    private static void requireKey(String key) {
        if (key == null || key.isEmpty()) {
            throw new IllegalArgumentException("key must not be empty");
        }
    }

    private static void closeQuietly(Connection connection) {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException e) {
                LOG.warn("event=close-failed error=\"{}\"", e.getMessage());
            }
        }
    }

    private static void release(FileLock lock) {
        try {
            lock.release();
            lock.channel().close();
        } catch (IOException e) {
            LOG.warn("event=unlock-failed error=\"{}\"", e.getMessage());
        }
    }
}
