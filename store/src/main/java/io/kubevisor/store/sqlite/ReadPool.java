package io.kubevisor.store.sqlite;

import io.kubevisor.store.StoreException;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A fixed set of read-only connections. A caller borrows one for a single short read
 * transaction; short transactions matter because a snapshot held open keeps WAL checkpoints
 * from getting past it. Thread-safe; borrowers block (cheaply, on virtual threads) while all
 * connections are busy.
 */
final class ReadPool implements AutoCloseable {

    /** A read whose statements all see one snapshot. */
    @FunctionalInterface
    interface Read<T> {
        T apply(Session session) throws SQLException;
    }

    private final BlockingQueue<Session> idle;
    private volatile boolean closed;

    ReadPool(Connections connections, int size) throws SQLException {
        idle = new ArrayBlockingQueue<>(size);
        try {
            for (int i = 0; i < size; i++) {
                idle.add(new Session(connections.openReader()));
            }
        } catch (SQLException e) {
            close();
            throw e;
        }
    }

    /**
     * Runs {@code read} in one read transaction on a borrowed connection.
     *
     * @throws StoreException.Unavailable on a database error or when the pool is closed
     */
    <T> T inTransaction(Read<T> read) {
        Session session = borrow();
        try {
            session.execute(Sql.BEGIN_READ);
            try {
                T result = read.apply(session);
                session.execute(Sql.COMMIT);
                return result;
            } catch (SQLException | RuntimeException e) {
                session.rollbackQuietly();
                throw e;
            }
        } catch (SQLException e) {
            throw new StoreException.Unavailable("sqlite read failed: " + e.getMessage(), e);
        } finally {
            giveBack(session);
        }
    }

    /**
     * Runs {@code read}, a single statement, on a borrowed connection without an explicit
     * transaction (one statement is always one snapshot).
     *
     * @throws StoreException.Unavailable on a database error or when the pool is closed
     */
    <T> T single(Read<T> read) {
        Session session = borrow();
        try {
            return read.apply(session);
        } catch (SQLException e) {
            throw new StoreException.Unavailable("sqlite read failed: " + e.getMessage(), e);
        } finally {
            giveBack(session);
        }
    }

    /** Closes idle connections now and busy ones when they come back. Idempotent. */
    @Override
    public void close() {
        closed = true;
        Session session;
        while ((session = idle.poll()) != null) {
            session.close();
        }
    }

    private Session borrow() {
        try {
            while (true) {
                if (closed) {
                    throw new StoreException.Unavailable("store is closed", null);
                }
                Session session = idle.poll(100, TimeUnit.MILLISECONDS);
                if (session != null) {
                    return session;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException.Unavailable("interrupted while waiting for a read connection", e);
        }
    }

    private void giveBack(Session session) {
        idle.add(session);
        if (closed) {
            close();
        }
    }

    /** A connection with its prepared statements, used by one thread at a time. */
    static final class Session {
        private final Connection connection;
        private final Map<String, PreparedStatement> statements = new HashMap<>();

        Session(Connection connection) {
            this.connection = connection;
        }

        /** A prepared statement for {@code sql}, prepared once per connection and reused. */
        PreparedStatement prepare(String sql) throws SQLException {
            PreparedStatement statement = statements.get(sql);
            if (statement == null) {
                statement = connection.prepareStatement(sql);
                statements.put(sql, statement);
            }
            return statement;
        }

        void execute(String sql) throws SQLException {
            prepare(sql).execute();
        }

        void rollbackQuietly() {
            try {
                execute(Sql.ROLLBACK);
            } catch (SQLException ignored) {
                // no transaction was open, or the connection is gone; either way nothing to undo
            }
        }

        void close() {
            try {
                for (PreparedStatement statement : statements.values()) {
                    statement.close();
                }
                connection.close();
            } catch (SQLException ignored) {
                // closing; the file handles go with the connection
            }
        }
    }
}
