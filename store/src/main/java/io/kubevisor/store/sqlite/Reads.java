package io.kubevisor.store.sqlite;

import io.kubevisor.store.KeyValue;
import io.kubevisor.store.ListRequest;
import io.kubevisor.store.ListResult;
import io.kubevisor.store.StoreException;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The read queries, each in one snapshot of a pooled read-only connection. Thread-safe. */
final class Reads {

    private final ReadPool pool;

    Reads(ReadPool pool) {
        this.pool = pool;
    }

    Optional<KeyValue> get(String key) {
        return pool.single(session -> {
            PreparedStatement statement = session.prepare(Sql.GET);
            statement.setString(1, key);
            try (ResultSet rows = statement.executeQuery()) {
                if (!rows.next()) {
                    return Optional.empty();
                }
                return Optional.of(new KeyValue(key, bytes(rows, 1), rows.getLong(2), rows.getLong(3)));
            }
        });
    }

    /**
     * One page of a list. The store and compact revisions are read in the same snapshot as the
     * rows, so a list never mixes revisions. At the store's current revision only live keys are
     * scanned; at an older revision the log is.
     */
    ListResult list(ListRequest request) {
        KeyRange range = KeyRange.ofPrefix(request.prefix());
        KeyRange.Bound low = range.lowerBound(request.startAfter());
        boolean hasHigh = range.high() != null;
        return pool.inTransaction(session -> {
            Meta meta = Meta.read(session);
            long revision = request.revision() == 0 ? meta.revision() : request.revision();
            if (revision > meta.revision()) {
                throw new StoreException.FutureRevision(revision, meta.revision());
            }
            if (revision < meta.compact()) {
                throw new StoreException.Compacted(revision, meta.compact());
            }
            boolean atCurrent = revision == meta.revision();
            PreparedStatement select = session.prepare(atCurrent
                    ? Sql.listCurrent(low.exclusive(), hasHigh)
                    : Sql.listAt(low.exclusive(), hasHigh));
            if (!atCurrent) {
                select.setLong(1, revision);
            }
            bindRange(select, low.key(), range.high());
            long limit = request.limit();
            select.setLong(6, limit == 0 ? -1 : limit + 1);
            var items = new ArrayList<KeyValue>();
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    items.add(new KeyValue(rows.getString(1), bytes(rows, 2), rows.getLong(3), rows.getLong(4)));
                }
            }
            if (limit == 0 || items.size() <= limit) {
                return new ListResult(items, revision, false, 0);
            }
            items.removeLast();
            PreparedStatement count = session.prepare(atCurrent ? Sql.countCurrent(hasHigh) : Sql.countAt(hasHigh));
            if (!atCurrent) {
                count.setLong(1, revision);
            }
            bindRange(count, items.getLast().key(), range.high());
            try (ResultSet rows = count.executeQuery()) {
                rows.next();
                return new ListResult(items, revision, true, rows.getLong(1));
            }
        });
    }

    /**
     * The changes under {@code range} in the revisions {@code (after, upTo]}, oldest first, at
     * most {@code limit} of them.
     *
     * @throws StoreException.Compacted if {@code after} is older than the compact revision
     */
    List<Change> history(KeyRange range, long after, long upTo, int limit) {
        return pool.inTransaction(session -> {
            Meta meta = Meta.read(session);
            if (after < meta.compact()) {
                throw new StoreException.Compacted(after, meta.compact());
            }
            PreparedStatement select = session.prepare(Sql.history(range.high() != null));
            select.setLong(2, after);
            select.setLong(3, upTo);
            bindRange(select, range.low(), range.high());
            select.setLong(6, limit);
            var changes = new ArrayList<Change>();
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    changes.add(change(rows));
                }
            }
            return changes;
        });
    }

    private static Change change(ResultSet row) throws SQLException {
        long revision = row.getLong(1);
        String key = row.getString(2);
        long createRevision = row.getLong(4);
        long prevRevision = row.getLong(5);
        boolean deleted = row.getInt(6) != 0;
        KeyValue prev = null;
        if (prevRevision > 0) {
            long prevCreateRevision = row.getLong(8);
            if (row.wasNull()) {
                throw new StoreException.Unavailable("log row " + prevRevision + " replaced at revision "
                        + revision + " is missing", null);
            }
            prev = new KeyValue(key, bytes(row, 7), prevCreateRevision, prevRevision);
        }
        if (deleted) {
            return Change.delete(prev, revision);
        }
        return Change.put(new KeyValue(key, bytes(row, 3), createRevision, revision), prev);
    }

    /** The driver reads an empty blob as null; a stored value is never null. */
    private static byte[] bytes(ResultSet row, int column) throws SQLException {
        byte[] value = row.getBytes(column);
        return value == null ? new byte[0] : value;
    }

    private static void bindRange(PreparedStatement statement, String low, String high) throws SQLException {
        statement.setString(4, low);
        if (high != null) {
            statement.setString(5, high);
        }
    }

    /** The store-wide counters, as of one snapshot. */
    record Meta(long revision, long compact, long compactDone) {
        static Meta read(ReadPool.Session session) throws SQLException {
            return read(session.prepare(Sql.SELECT_META));
        }

        static Meta read(PreparedStatement selectMeta) throws SQLException {
            long revision = 0;
            long compact = 0;
            long compactDone = 0;
            try (ResultSet rows = selectMeta.executeQuery()) {
                while (rows.next()) {
                    switch (rows.getString(1)) {
                        case Sql.META_REVISION -> revision = rows.getLong(2);
                        case Sql.META_COMPACT -> compact = rows.getLong(2);
                        case Sql.META_COMPACT_DONE -> compactDone = rows.getLong(2);
                        default -> {
                            // schema version and future entries
                        }
                    }
                }
            }
            return new Meta(revision, compact, compactDone);
        }
    }
}
