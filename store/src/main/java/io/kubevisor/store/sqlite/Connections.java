package io.kubevisor.store.sqlite;

import io.kubevisor.store.StoreException;
import org.sqlite.SQLiteConfig;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/** Opens the connections of one database file with the settings each role needs. */
final class Connections {

    /** Keeps the WAL file from staying huge after a burst of writes once it is checkpointed. */
    private static final int JOURNAL_SIZE_LIMIT = 64 * 1024 * 1024;

    private final Path file;
    private final SqliteOptions options;

    Connections(Path file, SqliteOptions options) {
        this.file = file;
        this.options = options;
    }

    /**
     * The one connection that writes: WAL journal, and {@code synchronous=FULL} so that a commit
     * returns only once the WAL is on disk. Creates the schema if the file is new.
     */
    Connection openWriter() throws SQLException {
        var config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
        config.setJournalSizeLimit(JOURNAL_SIZE_LIMIT);
        config.setTempStore(SQLiteConfig.TempStore.MEMORY);
        config.setBusyTimeout((int) options.busyTimeout().toMillis());
        Connection connection = config.createConnection(url());
        try (Statement statement = connection.createStatement()) {
            statement.execute("BEGIN IMMEDIATE");
            for (String ddl : Sql.SCHEMA) {
                statement.execute(ddl);
            }
            statement.execute(Sql.COMMIT);
            try (var rows = statement.executeQuery(
                    "SELECT value FROM kv_meta WHERE name = '" + Sql.META_SCHEMA + "'")) {
                long version = rows.next() ? rows.getLong(1) : -1;
                if (version != Sql.SCHEMA_VERSION) {
                    throw new StoreException.Unavailable("database " + file + " has schema version " + version
                            + "; this build reads version " + Sql.SCHEMA_VERSION, null);
                }
            }
        } catch (SQLException | RuntimeException e) {
            connection.close();
            throw e;
        }
        return connection;
    }

    /** A read-only connection; WAL lets it read a snapshot while the writer commits. */
    Connection openReader() throws SQLException {
        var config = new SQLiteConfig();
        config.setReadOnly(true);
        config.setBusyTimeout((int) options.busyTimeout().toMillis());
        config.setTempStore(SQLiteConfig.TempStore.MEMORY);
        return config.createConnection(url());
    }

    /**
     * Takes an exclusive lock on {@code <file>.lock}, so that no second store (in this JVM or
     * another process) writes the same database: each would hand out the same revisions.
     */
    FileLock lockExclusively() {
        Path lockFile = file.resolveSibling(file.getFileName() + ".lock");
        FileChannel channel = null;
        try {
            channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock = channel.tryLock();
            if (lock == null) {
                throw new StoreException.Unavailable("database " + file + " is open in another process", null);
            }
            return lock;
        } catch (OverlappingFileLockException e) {
            closeQuietly(channel);
            throw new StoreException.Unavailable("database " + file + " is already open in this process", e);
        } catch (IOException e) {
            closeQuietly(channel);
            throw new StoreException.Unavailable("cannot lock " + lockFile + ": " + e.getMessage(), e);
        } catch (StoreException e) {
            closeQuietly(channel);
            throw e;
        }
    }

    void createParentDirectories() {
        Path parent = file.toAbsolutePath().getParent();
        try {
            if (parent != null) {
                Files.createDirectories(parent);
            }
        } catch (IOException e) {
            throw new StoreException.Unavailable("cannot create " + parent + ": " + e.getMessage(), e);
        }
    }

    private String url() {
        return "jdbc:sqlite:" + file.toAbsolutePath();
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // nothing left to release
            }
        }
    }
}
