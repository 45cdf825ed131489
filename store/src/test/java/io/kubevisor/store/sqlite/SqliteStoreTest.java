package io.kubevisor.store.sqlite;

import io.kubevisor.store.KeyValue;
import io.kubevisor.store.ListRequest;
import io.kubevisor.store.Store;
import io.kubevisor.store.StoreContractTest;
import io.kubevisor.store.StoreException;
import io.kubevisor.store.Watch;
import io.kubevisor.store.WatchEvent;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.function.IntFunction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The store contract on SQLite with default options, plus what only SQLite does. */
class SqliteStoreTest extends StoreContractTest {

    @Override
    protected Store newStore(Path dir) {
        return SqliteStore.open(dir.resolve("store.db"), SqliteOptions.defaults());
    }

    private SqliteStore sqlite() {
        return (SqliteStore) store;
    }

    @Test
    void reopeningKeepsDataRevisionAndHistory() throws Exception {
        KeyValue a = create("/r/a", "a1");
        KeyValue a2 = update(a, "a2");
        KeyValue b = create("/r/b", "b");
        store.delete("/r/b", b.modRevision());
        long revision = store.currentRevision();
        store.close();

        store = SqliteStore.open(dir.resolve("store.db"), SqliteOptions.defaults());
        assertThat(store.currentRevision()).isEqualTo(revision);
        assertThat(text(store.get("/r/a").orElseThrow())).isEqualTo("a2");
        assertThat(store.get("/r/b")).isEmpty();
        assertThat(values(store.list(new ListRequest("/r/", b.modRevision(), 0, null)))).containsExactly("a2", "b");
        try (Watch watch = store.watch("/r/", a.modRevision())) {
            List<WatchEvent> replay = nextEvents(watch, 3);
            assertThat(revisions(replay)).containsExactly(a2.modRevision(), b.modRevision(), revision);
            assertThat(replay.get(2)).isInstanceOf(WatchEvent.Delete.class);
            KeyValue c = create("/r/c", "c");
            assertThat(c.modRevision()).isEqualTo(revision + 1);
            assertThat(nextEvent(watch).revision()).isEqualTo(revision + 1);
        }
    }

    @Test
    void aSecondOpenOfTheSameFileIsRefused() {
        assertThatThrownBy(() -> SqliteStore.open(dir.resolve("store.db"), SqliteOptions.defaults()))
                .isInstanceOf(StoreException.Unavailable.class)
                .hasMessageContaining("already open");
    }

    @Test
    void storesOnDifferentFilesAreIndependent() {
        try (SqliteStore other = SqliteStore.open(dir.resolve("tenant-b/store.db"), SqliteOptions.defaults())) {
            create("/x/a", "mine");
            other.create("/x/a", bytes("theirs"));
            other.create("/x/b", bytes("theirs"));
            assertThat(text(store.get("/x/a").orElseThrow())).isEqualTo("mine");
            assertThat(store.currentRevision()).isEqualTo(1);
            assertThat(other.currentRevision()).isEqualTo(2);
        }
    }

    @Test
    void queuedWritesAreCommittedInOneTransaction() throws Exception {
        long transactionsBefore = sqlite().stats().transactions();
        List<KeyValue> written = whileWriteLockedElsewhere(dir.resolve("store.db"), 100, i -> () -> create("/g/k" + i, "v" + i));
        var stats = sqlite().stats();
        // The first write may have been taken alone before the lock was noticed; the rest wait together.
        assertThat(stats.transactions() - transactionsBefore).isBetween(1L, 2L);
        assertThat(stats.writes()).isEqualTo(100);
        assertThat(written).extracting(KeyValue::modRevision).doesNotHaveDuplicates()
                .allSatisfy(r -> assertThat(r).isBetween(1L, 100L));
    }

    @Test
    void batchesAreCutAtTheMaximumSize() throws Exception {
        store.close();
        store = SqliteStore.open(dir.resolve("small-batches.db"), SqliteOptions.defaults().withMaxBatchSize(10));
        whileWriteLockedElsewhere(dir.resolve("small-batches.db"), 100, i -> () -> create("/g/k" + i, "v"));
        assertThat(sqlite().stats().transactions()).isBetween(10L, 11L);
    }

    @Test
    void aRefusedWriteInABatchFailsAloneAndTakesNoRevision() throws Exception {
        KeyValue existing = create("/g/existing", "x");
        long transactionsBefore = sqlite().stats().transactions();
        List<String> outcomes = whileWriteLockedElsewhere(dir.resolve("store.db"), 30, i -> () -> {
            try {
                return switch (i % 3) {
                    case 0 -> "created " + create("/g/k" + i, "v").modRevision();
                    case 1 -> "created " + create("/g/existing", "dup").modRevision();
                    default -> "updated " + store.update("/g/existing", bytes("u"), existing.modRevision() + 999)
                            .modRevision();
                };
            } catch (StoreException.KeyExists | StoreException.RevisionConflict e) {
                return e.getClass().getSimpleName();
            }
        });
        assertThat(sqlite().stats().transactions() - transactionsBefore).isBetween(1L, 2L);
        assertThat(outcomes).filteredOn(o -> o.startsWith("created")).hasSize(10);
        assertThat(outcomes).filteredOn("KeyExists"::equals).hasSize(10);
        assertThat(outcomes).filteredOn("RevisionConflict"::equals).hasSize(10);
        assertThat(store.currentRevision()).isEqualTo(existing.modRevision() + 10);
        assertThat(sqlite().stats().rejected()).isEqualTo(20);
    }

    @Test
    void compactionDeletesReplacedRowsAndTombstones() throws Exception {
        KeyValue kept = create("/c/kept", "v0");
        for (int i = 1; i <= 5; i++) {
            kept = update(kept, "v" + i);
        }
        KeyValue gone = create("/c/gone", "x");
        store.delete("/c/gone", gone.modRevision());
        KeyValue later = update(kept, "after");
        assertThat(logRows()).isEqualTo(9);

        store.compact(later.modRevision() - 1);

        // Left: kept's value at the compact revision (v5), and its update after it.
        await().atMost(eventTimeout()).untilAsserted(() -> assertThat(logRows()).isEqualTo(2));
        assertThat(text(store.get("/c/kept").orElseThrow())).isEqualTo("after");
        assertThat(values(store.list(new ListRequest("/c/", later.modRevision() - 1, 0, null)))).containsExactly("v5");
        try (Watch watch = store.watch("/c/", later.modRevision() - 1)) {
            var put = (WatchEvent.Put) nextEvent(watch);
            assertThat(text(put.prev())).isEqualTo("v5");
        }
    }

    @Test
    void compactionSurvivesARestart() {
        KeyValue first = create("/c/a", "v0");
        KeyValue kv = update(update(update(first, "v1"), "v2"), "v3");
        store.compact(kv.modRevision());
        store.close();
        store = SqliteStore.open(dir.resolve("store.db"), SqliteOptions.defaults());
        assertThat(store.compactRevision()).isEqualTo(kv.modRevision());
        assertThatThrownBy(() -> store.list(new ListRequest("/c/", kv.modRevision() - 1, 0, null)))
                .isInstanceOf(StoreException.Compacted.class);
        assertThatThrownBy(() -> store.watch("/c/", 1)).isInstanceOf(StoreException.Compacted.class);
        await().atMost(eventTimeout()).untilAsserted(() -> assertThat(logRows()).isEqualTo(1));
        assertThat(text(store.get("/c/a").orElseThrow())).isEqualTo("v3");
    }

    @Test
    void aWatchThatFellBehindTheCacheReadsTheLogAndMissesNothing() throws Exception {
        store.close();
        store = SqliteStore.open(dir.resolve("tiny.db"), SqliteOptions.defaults().withWatchCacheSize(8));
        try (Watch watch = store.watch("/s/", 0)) {
            writeConcurrently("/s/", 4, 100);
            assertThat(sqlite().stats().writes()).isEqualTo(400);
            assertThat(revisions(eventsThrough(watch, 400))).containsExactlyElementsOf(range(1, 400));
            assertThat(sqlite().stats().watches()).isEqualTo(1);
        }
        assertThat(sqlite().stats().watches()).isZero();
    }

    @Test
    void aWatchThatFellBehindTheCompactionEndsWithCompacted() throws Exception {
        store.close();
        store = SqliteStore.open(dir.resolve("tiny.db"), SqliteOptions.defaults().withWatchCacheSize(8));
        Watch watch = store.watch("/s/", 0);
        writeConcurrently("/s/", 4, 10);
        store.compact(store.currentRevision());
        assertThatThrownBy(() -> watch.poll(Duration.ofSeconds(1))).isInstanceOf(StoreException.Compacted.class);
        assertThatThrownBy(() -> watch.poll(Duration.ofSeconds(1))).isInstanceOf(StoreException.Compacted.class);
    }

    @Test
    void progressCarriesTheStoreRevision() throws Exception {
        try (Watch watch = store.watch("/quiet/", 0)) {
            assertThat(watch.poll(Duration.ofMillis(50))).isNull();
            writeConcurrently("/loud/", 2, 5);
            assertThat(watch.poll(Duration.ofMillis(50))).isEqualTo(new WatchEvent.Progress(10));
            assertThat(watch.poll(Duration.ofMillis(50))).isNull();
        }
    }

    private void writeConcurrently(String prefix, int threads, int perThread) throws Exception {
        var tasks = new ArrayList<Callable<Void>>();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            tasks.add(() -> {
                for (int i = 0; i < perThread; i++) {
                    create(prefix + "t" + thread + "/k" + i, "v");
                }
                return null;
            });
        }
        runConcurrently(tasks);
    }

    private long logRows() throws SQLException {
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("store.db"));
             Statement statement = connection.createStatement();
             var rows = statement.executeQuery("SELECT count(*) FROM kv_log")) {
            rows.next();
            return rows.getLong(1);
        }
    }

    /**
     * Holds SQLite's write lock from another connection while {@code count} writes queue up,
     * then releases it, so the writer finds them all waiting: batching without timing.
     */
    private <T> List<T> whileWriteLockedElsewhere(Path db, int count, IntFunction<Callable<T>> write)
            throws Exception {
        var tasks = new ArrayList<Callable<T>>();
        for (int i = 0; i < count; i++) {
            tasks.add(write.apply(i));
        }
        try (Connection blocker = DriverManager.getConnection("jdbc:sqlite:" + db);
             Statement statement = blocker.createStatement()) {
            statement.execute("BEGIN IMMEDIATE");
            var results = CompletableFuture.supplyAsync(() -> {
                try {
                    return runConcurrently(tasks);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }, runnable -> Thread.ofVirtual().start(runnable));
            await().atMost(eventTimeout()).until(() -> sqlite().stats().pendingWrites() == count);
            statement.execute("ROLLBACK");
            return results.get();
        }
    }
}
