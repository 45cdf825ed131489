package io.kubevisor.store;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.InstanceOfAssertFactories.type;

/**
 * The contract every {@link Store} backend passes. A backend's test extends this class and
 * implements {@link #newStore(java.nio.file.Path)}; see {@link StoreContractSupport} for the
 * other hooks. The tests are split over a chain of abstract classes by topic (read/write,
 * watch, and here compaction, concurrency and closing); extending this one runs them all.
 */
public abstract class StoreContractTest extends StoreWatchContract {

    @Test
    void compactionRefusesOlderListsAndWatches() throws Exception {
        KeyValue a1 = create("/k/a", "a1");
        KeyValue a2 = update(a1, "a2");
        KeyValue b1 = create("/k/b", "b1");
        KeyValue bDeleted = store.delete("/k/b", b1.modRevision());
        KeyValue c1 = create("/k/c", "c1");
        long compactAt = b1.modRevision();

        store.compact(compactAt);

        assertThat(store.compactRevision()).isEqualTo(compactAt);
        var compacted = catchThrowableOfType(StoreException.Compacted.class,
                () -> store.list(new ListRequest("/k/", a2.modRevision(), 0, null)));
        assertThat(compacted.requested()).isEqualTo(a2.modRevision());
        assertThat(compacted.compactRevision()).isEqualTo(compactAt);
        assertThatThrownBy(() -> store.watch("/k/", a2.modRevision())).isInstanceOf(StoreException.Compacted.class);

        ListResult atCompaction = store.list(new ListRequest("/k/", compactAt, 0, null));
        assertThat(keys(atCompaction)).containsExactly("/k/a", "/k/b");
        assertThat(values(atCompaction)).containsExactly("a2", "b1");
        assertThat(keys(store.list(new ListRequest("/k/", bDeleted.modRevision(), 0, null)))).containsExactly("/k/a");
        assertThat(keys(store.list(ListRequest.all("/k/")))).containsExactly("/k/a", "/k/c");
        assertThat(text(store.get("/k/a").orElseThrow())).isEqualTo("a2");

        try (Watch watch = store.watch("/k/", compactAt)) {
            List<WatchEvent> events = nextEvents(watch, 2);
            assertThat(events.get(0)).asInstanceOf(type(WatchEvent.Delete.class)).satisfies(delete -> {
                assertThat(delete.revision()).isEqualTo(bDeleted.modRevision());
                assertThat(text(delete.prev())).isEqualTo("b1");
            });
            assertThat(events.get(1).revision()).isEqualTo(c1.modRevision());
        }
    }

    @Test
    void compactionIsIdempotentAndRefusesTheFuture() {
        KeyValue a = create("/k/a", "a");
        KeyValue b = create("/k/b", "b");
        store.compact(b.modRevision());
        store.compact(b.modRevision());
        store.compact(a.modRevision());
        assertThat(store.compactRevision()).isEqualTo(b.modRevision());
        assertThatThrownBy(() -> store.compact(store.currentRevision() + 1))
                .isInstanceOf(StoreException.FutureRevision.class);
        assertThat(store.compactRevision()).isEqualTo(b.modRevision());
    }

    @Test
    void compactionAtTheCurrentRevisionKeepsEveryLiveValue() throws Exception {
        var latest = new ArrayList<KeyValue>();
        for (int i = 0; i < 20; i++) {
            KeyValue kv = create("/k/" + i, "v0");
            for (int u = 1; u <= 3; u++) {
                kv = update(kv, "v" + u);
            }
            if (i % 4 == 0) {
                store.delete(kv.key(), kv.modRevision());
            } else {
                latest.add(kv);
            }
        }
        ListResult before = store.list(ListRequest.all("/k/"));
        store.compact(store.currentRevision());

        ListResult after = store.list(ListRequest.all("/k/"));
        assertThat(keys(after)).containsExactlyElementsOf(keys(before));
        assertThat(values(after)).containsOnly("v3").hasSize(latest.size());
        assertThat(after.items()).extracting(KeyValue::modRevision)
                .containsExactlyElementsOf(before.items().stream().map(KeyValue::modRevision).toList());
        for (KeyValue kv : latest) {
            assertThat(store.get(kv.key()).orElseThrow().createRevision()).isEqualTo(kv.createRevision());
        }
        try (Watch watch = store.watch("/k/", store.currentRevision())) {
            KeyValue next = update(latest.getFirst(), "v4");
            WatchEvent event = nextEvent(watch);
            assertThat(event).asInstanceOf(type(WatchEvent.Put.class))
                    .satisfies(put -> assertThat(text(put.prev())).isEqualTo("v3"));
            assertThat(event.revision()).isEqualTo(next.modRevision());
        }
        assertThat(store.create("/k/0", bytes("reborn")).createRevision()).isEqualTo(store.currentRevision());
    }

    @Test
    void concurrentWritersAllSucceedWithUniqueGapFreeRevisions() throws Exception {
        int threads = 64;
        int perThread = 50;
        var tasks = new ArrayList<Callable<List<Long>>>();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            tasks.add(() -> {
                var revisions = new ArrayList<Long>();
                for (int i = 0; i < perThread; i++) {
                    KeyValue kv = create("/cw/t" + thread + "/k" + i, thread + "-" + i);
                    revisions.add(kv.modRevision());
                }
                return revisions;
            });
        }
        var all = new HashSet<Long>();
        for (List<Long> revisions : runConcurrently(tasks)) {
            assertThat(revisions).isSorted();
            all.addAll(revisions);
        }
        long last = baseRevision + (long) threads * perThread;
        assertThat(all).containsExactlyInAnyOrderElementsOf(range(baseRevision + 1, last));
        assertThat(store.currentRevision()).isEqualTo(last);
        ListResult listed = store.list(ListRequest.all("/cw/"));
        assertThat(listed.items()).hasSize(threads * perThread);
        assertThat(store.get("/cw/t7/k9").map(StoreContractSupport::text)).contains("7-9");
    }

    @Test
    void ofConcurrentCreatesOfOneKeyExactlyOneWins() throws Exception {
        var start = new CountDownLatch(1);
        var tasks = new ArrayList<Callable<String>>();
        for (int t = 0; t < 32; t++) {
            int thread = t;
            tasks.add(() -> {
                start.await();
                try {
                    create("/one/key", "t" + thread);
                    return "won";
                } catch (StoreException.KeyExists e) {
                    return "exists";
                }
            });
        }
        Thread.ofVirtual().start(() -> {
            sleep(50);
            start.countDown();
        });
        List<String> outcomes = runConcurrently(tasks);
        assertThat(outcomes).filteredOn("won"::equals).hasSize(1);
        assertThat(outcomes).filteredOn("exists"::equals).hasSize(31);
        assertThat(store.currentRevision()).isEqualTo(baseRevision + 1);
    }

    @Test
    void ofConflictingUpdatesExactlyOneWinsPerRevision() throws Exception {
        KeyValue base = create("/counter", "0");
        var start = new CountDownLatch(1);
        var tasks = new ArrayList<Callable<KeyValue>>();
        for (int t = 0; t < 16; t++) {
            int thread = t;
            tasks.add(() -> {
                start.await();
                try {
                    return update(base, "t" + thread);
                } catch (StoreException.RevisionConflict e) {
                    assertThat(e.actual()).isEqualTo(base.modRevision() + 1);
                    return null;
                }
            });
        }
        Thread.ofVirtual().start(() -> {
            sleep(50);
            start.countDown();
        });
        List<KeyValue> winners = runConcurrently(tasks).stream().filter(kv -> kv != null).toList();
        assertThat(winners).hasSize(1);
        assertThat(store.get("/counter").orElseThrow().value()).isEqualTo(winners.getFirst().value());
        assertThat(store.currentRevision()).isEqualTo(base.modRevision() + 1);
    }

    @Test
    void optimisticIncrementsFromManyThreadsFormOneChain() throws Exception {
        KeyValue base = create("/counter", "0");
        int threads = 8;
        int increments = 15;
        var conflicts = new AtomicInteger();
        var tasks = new ArrayList<Callable<Void>>();
        for (int t = 0; t < threads; t++) {
            tasks.add(() -> {
                for (int done = 0; done < increments; ) {
                    KeyValue current = store.get("/counter").orElseThrow();
                    try {
                        update(current, Integer.toString(Integer.parseInt(text(current)) + 1));
                        done++;
                    } catch (StoreException.RevisionConflict e) {
                        conflicts.incrementAndGet();
                    }
                }
                return null;
            });
        }
        try (Watch watch = store.watch("/counter", base.modRevision())) {
            runConcurrently(tasks);
            int total = threads * increments;
            KeyValue last = store.get("/counter").orElseThrow();
            assertThat(text(last)).isEqualTo(Integer.toString(total));
            assertThat(last.modRevision()).isEqualTo(base.modRevision() + total);
            List<WatchEvent> events = nextEvents(watch, total);
            long previous = base.modRevision();
            for (int i = 0; i < total; i++) {
                var put = (WatchEvent.Put) events.get(i);
                assertThat(put.prev().modRevision()).isEqualTo(previous);
                assertThat(text(put.kv())).isEqualTo(Integer.toString(i + 1));
                previous = put.revision();
            }
        }
    }

    @Test
    void closeEndsWatchesAndRefusesWork() throws Exception {
        Watch watch = store.watch("/w/", 0);
        KeyValue a = create("/w/a", "a");
        Watch idle = store.watch("/idle/", 0);
        var blocked = CompletableFuture.supplyAsync(() -> {
            try {
                return idle.poll(Duration.ofMinutes(5));
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }, runnable -> Thread.ofVirtual().start(runnable));
        Thread.sleep(100);
        store.close();
        assertThat(blocked).failsWithin(eventTimeout()).withThrowableThat()
                .havingCause().isInstanceOf(StoreException.WatchClosed.class);
        assertThatThrownBy(() -> {
            while (true) {
                watch.poll(Duration.ofMillis(10));
            }
        }).isInstanceOf(StoreException.WatchClosed.class);
        assertThatThrownBy(() -> create("/w/b", "b")).isInstanceOf(StoreException.class);
        assertThatThrownBy(() -> update(a, "a2")).isInstanceOf(StoreException.class);
        store.close();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
