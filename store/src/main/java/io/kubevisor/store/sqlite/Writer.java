package io.kubevisor.store.sqlite;

import io.kubevisor.store.KeyValue;
import io.kubevisor.store.StoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The single thread that owns the write connection. Callers queue requests and block on their
 * future; the thread drains up to {@code maxBatchSize} of them into one transaction (group
 * commit), gives each successful one the next revision, commits once, publishes the changes to
 * watches in revision order, and only then answers the callers. A request whose precondition
 * fails takes no revision and does not affect the others. {@link Compaction} runs here too,
 * between batches.
 */
final class Writer implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(Writer.class);

    private final String name;
    private final WatchHub hub;
    private final int maxBatchSize;
    private final BlockingQueue<WriteRequest> queue = new LinkedBlockingQueue<>();
    private final ReentrantLock submitLock = new ReentrantLock();
    private boolean stopping;
    private final Thread thread;

    private final WriteStatements sql;

    // Owned by the writer thread.
    private long committedRevision;

    private final Compaction compaction;
    private final AtomicLong transactions = new AtomicLong();
    private final AtomicLong writes = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();
    private final AtomicInteger pending = new AtomicInteger();

    Writer(String name, Connection connection, Reads.Meta meta, int maxBatchSize, WatchHub hub) throws SQLException {
        this.name = name;
        this.hub = hub;
        this.maxBatchSize = maxBatchSize;
        this.committedRevision = meta.revision();
        this.sql = new WriteStatements(connection);
        this.compaction = new Compaction(name, sql, transactions, meta.compact(), meta.compactDone());
        thread = Thread.ofPlatform().name("sqlite-writer-" + name).daemon(true).unstarted(this);
    }

    void start() {
        thread.start();
    }

    /**
     * Queues a request and waits for its answer. Thread-safe.
     *
     * @throws StoreException what the request failed with; Unavailable once stopping
     */
    <T> T submit(WriteRequest request, CompletableFuture<T> future) {
        submitLock.lock();
        try {
            if (stopping) {
                throw new StoreException.Unavailable("store is closed", null);
            }
            pending.incrementAndGet();
            queue.add(request);
        } finally {
            submitLock.unlock();
        }
        try {
            // Not interruptible on purpose: the request is queued and its answer is the truth.
            return future.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof StoreException storeException) {
                throw storeException;
            }
            throw new StoreException.Unavailable("write failed: " + e.getCause(), e.getCause());
        }
    }

    /** Answers everything queued so far, then stops the thread. Idempotent; thread-safe. */
    void stop() {
        submitLock.lock();
        try {
            if (!stopping) {
                stopping = true;
                pending.incrementAndGet();
                queue.add(new WriteRequest.Stop(new CompletableFuture<>()));
            }
        } finally {
            submitLock.unlock();
        }
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    long compactRevision() {
        return compaction.revision();
    }

    SqliteStats stats(int watches) {
        return new SqliteStats(transactions.get(), writes.get(), rejected.get(), pending.get(), watches);
    }

    @Override
    public void run() {
        var drained = new ArrayList<WriteRequest>(maxBatchSize);
        try {
            boolean stop = false;
            while (!stop) {
                drained.clear();
                WriteRequest first = compaction.pending() ? queue.poll() : queue.take();
                if (first == null) {
                    compaction.step();
                    continue;
                }
                drained.add(first);
                queue.drainTo(drained, maxBatchSize - 1);
                stop = process(drained);
                if (compaction.pending()) {
                    compaction.step();
                }
            }
        } catch (InterruptedException e) {
            LOG.warn("event=writer-interrupted store={}", name);
        } catch (RuntimeException | Error e) {
            // A bug, not a database error: stop writing rather than risk a wrong revision.
            LOG.error("event=writer-failed store={}", name, e);
            sql.rollbackQuietly();
        } finally {
            for (WriteRequest request : drained) {
                if (!request.future().isDone()) {
                    fail(request.future(), new StoreException.Unavailable("store writer stopped", null));
                }
            }
            failQueued();
        }
    }

    /** Runs drained requests in queue order, writes batched between compactions; true on Stop. */
    private boolean process(List<WriteRequest> drained) {
        boolean stop = false;
        var ops = new ArrayList<WriteRequest.Op>(drained.size());
        for (WriteRequest request : drained) {
            switch (request) {
                case WriteRequest.Op op -> ops.add(op);
                case WriteRequest.Compact compact -> {
                    commitBatch(ops);
                    ops.clear();
                    StoreException failed = compaction.moveTo(compact.revision(), committedRevision);
                    if (failed == null) {
                        complete(compact.future(), null);
                    } else {
                        fail(compact.future(), failed);
                    }
                }
                case WriteRequest.Stop done -> {
                    stop = true;
                    commitBatch(ops);
                    ops.clear();
                    complete(done.future(), null);
                }
            }
        }
        commitBatch(ops);
        return stop;
    }

    /** One group commit. On a database error in one write, that write fails and the rest retry. */
    private void commitBatch(List<WriteRequest.Op> ops) {
        if (ops.isEmpty()) {
            return;
        }
        try {
            sql.begin();
        } catch (SQLException e) {
            failAll(ops, e);
            return;
        }
        var outcomes = new ArrayList<Outcome>(ops.size());
        var changes = new ArrayList<Change>(ops.size());
        long revision = committedRevision;
        for (int i = 0; i < ops.size(); i++) {
            try {
                Outcome outcome = apply(ops.get(i), revision + 1);
                if (outcome.change() != null) {
                    revision = outcome.change().revision();
                    changes.add(outcome.change());
                }
                outcomes.add(outcome);
            } catch (SQLException e) {
                sql.rollbackQuietly();
                fail(ops.get(i).future(), unavailable("write of " + ops.get(i).key() + " failed", e));
                var rest = new ArrayList<>(ops);
                rest.remove(i);
                commitBatch(rest);
                return;
            }
        }
        try {
            if (revision > committedRevision) {
                sql.setMeta(Sql.META_REVISION, revision);
            }
            sql.commit();
        } catch (SQLException e) {
            sql.rollbackQuietly();
            if (!committedAnyway(revision, e)) {
                failAll(ops, e);
                return;
            }
        }
        transactions.incrementAndGet();
        committedRevision = revision;
        writes.addAndGet(changes.size());
        rejected.addAndGet(ops.size() - changes.size());
        if (!changes.isEmpty()) {
            hub.publish(changes);
        }
        for (int i = 0; i < ops.size(); i++) {
            Outcome outcome = outcomes.get(i);
            if (outcome.change() != null) {
                complete(ops.get(i).future(), answer(outcome.change()));
            } else {
                fail(ops.get(i).future(), outcome.rejection());
            }
        }
    }

    /**
     * Whether a COMMIT that reported {@code error} took effect after all. The database's own
     * revision decides: if the batch is in it, it is published like any commit, so watches see
     * no gap and the next batch does not reuse its revisions.
     */
    private boolean committedAnyway(long batchRevision, SQLException error) {
        long stored;
        try {
            stored = sql.storedRevision();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot tell whether a failed commit applied: " + error.getMessage(), e);
        }
        if (stored == committedRevision) {
            return false;
        }
        if (stored == batchRevision) {
            LOG.warn("event=commit-error-but-applied store={} revision={} error=\"{}\"", name, stored, error.getMessage());
            return true;
        }
        throw new IllegalStateException("store revision is " + stored + " after a failed commit of revisions "
                + (committedRevision + 1) + ".." + batchRevision);
    }

    /** Checks the precondition and, if it holds, writes at {@code revision}. */
    private Outcome apply(WriteRequest.Op op, long revision) throws SQLException {
        return switch (op) {
            case WriteRequest.Create create -> {
                if (sql.exists(create.key())) {
                    yield Outcome.rejected(new StoreException.KeyExists(create.key()));
                }
                sql.insertCreate(revision, create.key(), create.value());
                yield Outcome.applied(Change.put(new KeyValue(create.key(), create.value(), revision, revision), null));
            }
            case WriteRequest.Update update -> {
                KeyValue live = sql.live(update.key());
                StoreException failed = check(update.key(), live, update.expectedModRevision(), false);
                if (failed != null) {
                    yield Outcome.rejected(failed);
                }
                sql.insertUpdate(revision, live, update.value());
                var kv = new KeyValue(update.key(), update.value(), live.createRevision(), revision);
                yield Outcome.applied(Change.put(kv, live));
            }
            case WriteRequest.Delete delete -> {
                KeyValue live = sql.live(delete.key());
                StoreException failed = check(delete.key(), live, delete.expectedModRevision(), true);
                if (failed != null) {
                    yield Outcome.rejected(failed);
                }
                sql.insertDelete(revision, live);
                yield Outcome.applied(Change.delete(live, revision));
            }
        };
    }

    private static StoreException check(String key, KeyValue live, long expected, boolean zeroMeansAny) {
        if (live == null) {
            return new StoreException.KeyNotFound(key);
        }
        if (live.modRevision() != expected && !(zeroMeansAny && expected == 0)) {
            return new StoreException.RevisionConflict(key, expected, live.modRevision());
        }
        return null;
    }

    /** What the caller gets: its own copy, and for a deletion the old value at the deletion's revision. */
    private static KeyValue answer(Change change) {
        if (change.deleted()) {
            KeyValue prev = change.prev();
            return new KeyValue(prev.key(), prev.value().clone(), prev.createRevision(), change.revision());
        }
        return Change.copy(change.kv());
    }

    private void failAll(List<WriteRequest.Op> ops, SQLException cause) {
        LOG.warn("event=batch-failed store={} writes={} error=\"{}\"", name, ops.size(), cause.getMessage());
        for (WriteRequest.Op op : ops) {
            fail(op.future(), unavailable("write of " + op.key() + " failed", cause));
        }
    }

    /** After the loop ended: nothing queued may wait forever. */
    private void failQueued() {
        submitLock.lock();
        try {
            stopping = true;
        } finally {
            submitLock.unlock();
        }
        WriteRequest request;
        while ((request = queue.poll()) != null) {
            fail(request.future(), new StoreException.Unavailable("store is closed", null));
        }
    }

    private <T> void complete(CompletableFuture<T> future, T value) {
        pending.decrementAndGet();
        future.complete(value);
    }

    private void fail(CompletableFuture<?> future, StoreException error) {
        pending.decrementAndGet();
        future.completeExceptionally(error);
    }

    private static StoreException.Unavailable unavailable(String what, SQLException cause) {
        return new StoreException.Unavailable(what + ": " + cause.getMessage(), cause);
    }

    /** A write's result inside a batch: its change, or why its precondition failed. */
    private record Outcome(Change change, StoreException rejection) {
        static Outcome applied(Change change) {
            return new Outcome(change, null);
        }

        static Outcome rejected(StoreException rejection) {
            return new Outcome(null, rejection);
        }
    }
}
