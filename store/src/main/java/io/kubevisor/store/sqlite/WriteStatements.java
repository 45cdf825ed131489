package io.kubevisor.store.sqlite;

import io.kubevisor.store.KeyValue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;

/**
 * The write connection's statements, prepared once and reused for every batch. Used by the
 * writer thread only.
 */
final class WriteStatements {

    private final PreparedStatement begin;
    private final PreparedStatement commit;
    private final PreparedStatement rollback;
    private final PreparedStatement selectLive;
    private final PreparedStatement selectLiveRevision;
    private final PreparedStatement insertLog;
    private final PreparedStatement insertCurrent;
    private final PreparedStatement updateCurrent;
    private final PreparedStatement deleteCurrent;
    private final PreparedStatement updateMeta;
    private final PreparedStatement selectRevision;
    private final PreparedStatement compactReplaced;
    private final PreparedStatement compactTombstones;

    WriteStatements(Connection connection) throws SQLException {
        // IMMEDIATE takes the write lock up front, so no statement in the batch can hit BUSY.
        begin = connection.prepareStatement("BEGIN IMMEDIATE");
        commit = connection.prepareStatement(Sql.COMMIT);
        rollback = connection.prepareStatement(Sql.ROLLBACK);
        selectLive = connection.prepareStatement(Sql.SELECT_LIVE);
        selectLiveRevision = connection.prepareStatement(Sql.SELECT_LIVE_REVISION);
        insertLog = connection.prepareStatement(Sql.INSERT_LOG);
        insertCurrent = connection.prepareStatement(Sql.INSERT_CURRENT);
        updateCurrent = connection.prepareStatement(Sql.UPDATE_CURRENT);
        deleteCurrent = connection.prepareStatement(Sql.DELETE_CURRENT);
        updateMeta = connection.prepareStatement(Sql.UPDATE_META);
        selectRevision = connection.prepareStatement("SELECT value FROM kv_meta WHERE name = ?");
        compactReplaced = connection.prepareStatement(Sql.COMPACT_REPLACED);
        compactTombstones = connection.prepareStatement(Sql.COMPACT_TOMBSTONES);
    }

    void begin() throws SQLException {
        begin.execute();
    }

    void commit() throws SQLException {
        commit.execute();
    }

    void rollbackQuietly() {
        try {
            rollback.execute();
        } catch (SQLException ignored) {
            // SQLite may already have rolled back on the error, or no transaction was open
        }
    }

    boolean exists(String key) throws SQLException {
        selectLiveRevision.setString(1, key);
        try (ResultSet row = selectLiveRevision.executeQuery()) {
            return row.next();
        }
    }

    /** The live value of a key as this transaction sees it, or null. */
    KeyValue live(String key) throws SQLException {
        selectLive.setString(1, key);
        try (ResultSet row = selectLive.executeQuery()) {
            if (!row.next()) {
                return null;
            }
            byte[] value = row.getBytes(3);
            return new KeyValue(key, value == null ? new byte[0] : value, row.getLong(2), row.getLong(1));
        }
    }

    void insertCreate(long revision, String key, byte[] value) throws SQLException {
        insertLog(revision, key, value, revision, 0);
        insertCurrent.setString(1, key);
        insertCurrent.setLong(2, revision);
        insertCurrent.executeUpdate();
    }

    void insertUpdate(long revision, KeyValue live, byte[] value) throws SQLException {
        insertLog(revision, live.key(), value, live.createRevision(), live.modRevision());
        updateCurrent.setLong(1, revision);
        updateCurrent.setString(2, live.key());
        updateCurrent.executeUpdate();
    }

    void insertDelete(long revision, KeyValue live) throws SQLException {
        insertLog(revision, live.key(), null, live.createRevision(), live.modRevision());
        deleteCurrent.setString(1, live.key());
        deleteCurrent.executeUpdate();
    }

    /** The store revision as the database has it (outside a failed transaction: as committed). */
    long storedRevision() throws SQLException {
        selectRevision.setString(1, Sql.META_REVISION);
        try (ResultSet row = selectRevision.executeQuery()) {
            return row.next() ? row.getLong(1) : -1;
        }
    }

    void setMeta(String name, long value) throws SQLException {
        updateMeta.setLong(1, value);
        updateMeta.setString(2, name);
        updateMeta.executeUpdate();
    }

    /** Deletes the rows that the writes in revisions {@code (from, to]} made unreadable. */
    int compactSlice(long from, long to) throws SQLException {
        compactReplaced.setLong(1, from);
        compactReplaced.setLong(2, to);
        int rows = compactReplaced.executeUpdate();
        compactTombstones.setLong(1, from);
        compactTombstones.setLong(2, to);
        return rows + compactTombstones.executeUpdate();
    }

    /** A log row; a null value marks a tombstone. */
    private void insertLog(long revision, String key, byte[] value, long createRevision, long prevRevision)
            throws SQLException {
        insertLog.setLong(1, revision);
        insertLog.setString(2, key);
        if (value == null) {
            insertLog.setNull(3, Types.BLOB);
        } else {
            insertLog.setBytes(3, value);
        }
        insertLog.setLong(4, createRevision);
        insertLog.setLong(5, prevRevision);
        insertLog.setInt(6, value == null ? 1 : 0);
        insertLog.executeUpdate();
    }
}
