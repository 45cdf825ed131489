package io.kubevisor.store.sqlite;

import io.kubevisor.store.Store;
import io.kubevisor.store.StoreContractTest;

import java.nio.file.Path;

/**
 * The store contract again with tiny caches, batches and pages, so that watches mostly read
 * history from the log table, switch between it and the in-memory ring often, and page it.
 */
class SqliteSmallCacheContractTest extends StoreContractTest {

    @Override
    protected Store newStore(Path dir) {
        return SqliteStore.open(dir.resolve("store.db"), SqliteOptions.defaults()
                .withWatchCacheSize(4)
                .withHistoryPageSize(3)
                .withMaxBatchSize(7)
                .withReadPoolSize(2));
    }
}
