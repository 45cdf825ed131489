package io.kubevisor.store.sqlite;

import java.time.Duration;

/**
 * Tuning of one {@link SqliteStore}. Immutable; use {@link #defaults()} and the {@code with*}
 * methods.
 *
 * @param maxBatchSize    the most writes committed in one transaction (group commit); 1 turns
 *                        group commit off
 * @param readPoolSize    read-only connections kept for get, list and watch history reads
 * @param watchCacheSize  recent changes kept in memory, so watches that start at (or fall back
 *                        to) a recent revision do not read the database
 * @param historyPageSize the most log rows one database read of watch history returns
 * @param busyTimeout     how long a connection waits for a lock held by another connection
 *                        before failing with {@link io.kubevisor.store.StoreException.Unavailable}
 */
public record SqliteOptions(int maxBatchSize, int readPoolSize, int watchCacheSize, int historyPageSize,
                            Duration busyTimeout) {

    public SqliteOptions {
        requirePositive("maxBatchSize", maxBatchSize);
        requirePositive("readPoolSize", readPoolSize);
        requirePositive("watchCacheSize", watchCacheSize);
        requirePositive("historyPageSize", historyPageSize);
        if (busyTimeout == null || busyTimeout.isNegative() || busyTimeout.toMillis() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("busyTimeout must be between 0 and " + Integer.MAX_VALUE + " ms");
        }
    }

    /** Settings for a control plane: batches of up to 256 writes, 4 readers, 1024 cached changes. */
    public static SqliteOptions defaults() {
        return new SqliteOptions(256, 4, 1024, 512, Duration.ofSeconds(5));
    }

    public SqliteOptions withMaxBatchSize(int value) {
        return new SqliteOptions(value, readPoolSize, watchCacheSize, historyPageSize, busyTimeout);
    }

    public SqliteOptions withReadPoolSize(int value) {
        return new SqliteOptions(maxBatchSize, value, watchCacheSize, historyPageSize, busyTimeout);
    }

    public SqliteOptions withWatchCacheSize(int value) {
        return new SqliteOptions(maxBatchSize, readPoolSize, value, historyPageSize, busyTimeout);
    }

    public SqliteOptions withHistoryPageSize(int value) {
        return new SqliteOptions(maxBatchSize, readPoolSize, watchCacheSize, value, busyTimeout);
    }

    public SqliteOptions withBusyTimeout(Duration value) {
        return new SqliteOptions(maxBatchSize, readPoolSize, watchCacheSize, historyPageSize, value);
    }

    private static void requirePositive(String name, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(name + " must be at least 1, was " + value);
        }
    }
}
