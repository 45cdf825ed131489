package io.kubevisor.bench;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The durable-write baseline: plain sqlite-jdbc on a fresh file with {@code journal_mode=WAL} and
 * {@code synchronous=FULL} (the store's settings), autocommit, so every INSERT is its own durable
 * transaction. Threads share the one connection under a lock, as SQLite allows one writer.
 * Owns its connection; close it.
 */
final class RawSqlite implements AutoCloseable {

    private final Connection connection;
    private final ReentrantLock lock = new ReentrantLock();

    private RawSqlite(Connection connection) {
        this.connection = connection;
    }

    static RawSqlite open(Path file) throws SQLException {
        Connection c = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath());
        try (Statement s = c.createStatement()) {
            try (ResultSet r = s.executeQuery("PRAGMA journal_mode=WAL")) {
                if (!r.next() || !"wal".equalsIgnoreCase(r.getString(1))) {
                    throw new SQLException("journal_mode=WAL was refused");
                }
            }
            s.execute("PRAGMA synchronous=FULL");
            s.execute("CREATE TABLE kv (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, value BLOB NOT NULL)");
        } catch (SQLException e) {
            c.close();
            throw e;
        }
        c.setAutoCommit(true);
        return new RawSqlite(c);
    }

    /**
     * Inserts rows of {@code value} with unique names from {@code threads} threads for
     * {@code duration}, one durable transaction per row.
     */
    ClosedLoop.Outcome insert(String phase, int threads, Duration duration, byte[] value)
            throws InterruptedException {
        ThreadLocal<PreparedStatement> statements = new ThreadLocal<>();
        return ClosedLoop.run(threads, duration, (worker, seq) -> {
            lock.lock();
            try {
                PreparedStatement ps = statements.get();
                if (ps == null) {
                    ps = connection.prepareStatement("INSERT INTO kv (name, value) VALUES (?, ?)");
                    statements.set(ps);
                }
                ps.setString(1, "/registry/configmaps/bench/" + phase + "-" + worker + "-" + seq);
                ps.setBytes(2, value);
                ps.executeUpdate();
            } finally {
                lock.unlock();
            }
        });
    }

    @Override
    public void close() throws SQLException {
        connection.close();
    }
}
