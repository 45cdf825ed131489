package io.kubevisor.store;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.InstanceOfAssertFactories.type;

/** Part of the {@link StoreContractTest} kit: watches, history replay, Progress, closing. */
public abstract class StoreWatchContract extends StoreReadWriteContract {

    @Test
    void watchFromNowSeesChangesWithTheirPreviousValues() throws Exception {
        try (Watch watch = store.watch("/registry/pods/", 0)) {
            KeyValue v1 = create("/registry/pods/ns/web", "v1");
            KeyValue v2 = update(v1, "v2");
            KeyValue deleted = store.delete("/registry/pods/ns/web", v2.modRevision());

            List<WatchEvent> events = nextEvents(watch, 3);
            assertThat(events.get(0)).asInstanceOf(type(WatchEvent.Put.class)).satisfies(put -> {
                assertThat(put.created()).isTrue();
                assertThat(put.prev()).isNull();
                assertThat(text(put.kv())).isEqualTo("v1");
                assertThat(put.kv().modRevision()).isEqualTo(v1.modRevision());
                assertThat(put.revision()).isEqualTo(v1.modRevision());
            });
            assertThat(events.get(1)).asInstanceOf(type(WatchEvent.Put.class)).satisfies(put -> {
                assertThat(put.created()).isFalse();
                assertThat(text(put.kv())).isEqualTo("v2");
                assertThat(put.kv().createRevision()).isEqualTo(v1.createRevision());
                assertThat(text(put.prev())).isEqualTo("v1");
                assertThat(put.prev().modRevision()).isEqualTo(v1.modRevision());
            });
            assertThat(events.get(2)).asInstanceOf(type(WatchEvent.Delete.class)).satisfies(delete -> {
                assertThat(delete.revision()).isEqualTo(deleted.modRevision());
                assertThat(delete.prev().key()).isEqualTo("/registry/pods/ns/web");
                assertThat(text(delete.prev())).isEqualTo("v2");
                assertThat(delete.prev().modRevision()).isEqualTo(v2.modRevision());
                assertThat(delete.prev().createRevision()).isEqualTo(v1.createRevision());
            });
        }
    }

    @Test
    void watchSeesOnlyKeysUnderItsPrefix() throws Exception {
        try (Watch watch = store.watch("/registry/pods/", 0)) {
            create("/registry/podsx/ns/a", "no");
            create("/registry/pods", "no");
            create("/registry/services/ns/a", "no");
            KeyValue match = create("/registry/pods/ns/a", "yes");
            create("/registry/podsx/ns/b", "no");

            WatchEvent event = nextEvent(watch);
            assertThat(event.revision()).isEqualTo(match.modRevision());
            assertNoEvent(watch, Duration.ofMillis(300));
        }
    }

    @Test
    void watchFromTheCurrentRevisionSeesOnlyLaterChanges() throws Exception {
        create("/w/old", "old");
        try (Watch watch = store.watch("/w/", store.currentRevision())) {
            assertNoEvent(watch, Duration.ofMillis(200));
            KeyValue fresh = create("/w/new", "new");
            assertThat(nextEvent(watch).revision()).isEqualTo(fresh.modRevision());
        }
    }

    @Test
    void watchFromAPastRevisionReplaysThenGoesLive() throws Exception {
        var written = new ArrayList<KeyValue>();
        for (int i = 0; i < 20; i++) {
            written.add(create("/w/k" + i, "v" + i));
        }
        long from = written.get(4).modRevision();
        try (Watch watch = store.watch("/w/", from)) {
            List<WatchEvent> replayed = nextEvents(watch, 15);
            assertThat(revisions(replayed)).containsExactlyElementsOf(range(from + 1, from + 15));
            assertThat(replayed).allSatisfy(e -> assertThat(e).isInstanceOf(WatchEvent.Put.class));
            KeyValue live = create("/w/live", "live");
            assertThat(nextEvent(watch).revision()).isEqualTo(live.modRevision());
        }
    }

    @Test
    void watchReplaysALongHistoryInOrder() throws Exception {
        long from = create("/long/first", "v").modRevision();
        var tasks = new ArrayList<Callable<Void>>();
        for (int t = 0; t < 16; t++) {
            int thread = t;
            tasks.add(() -> {
                for (int i = 0; i < 100; i++) {
                    create("/long/t" + thread + "/k" + i, "v");
                }
                return null;
            });
        }
        runConcurrently(tasks);
        long last = store.currentRevision();
        try (Watch watch = store.watch("/long/", from)) {
            assertThat(revisions(eventsThrough(watch, last))).containsExactlyElementsOf(range(from + 1, last));
        }
    }

    @Test
    void watchesUnderConcurrentWritersSeeEveryRevisionOnce() throws Exception {
        int writers = 8;
        int perWriter = 100;
        var started = new CompletableFuture<Long>();
        var watches = new ArrayList<Watch>();
        var tasks = new ArrayList<Callable<Void>>();
        for (int t = 0; t < writers; t++) {
            int thread = t;
            tasks.add(() -> {
                for (int i = 0; i < perWriter; i++) {
                    KeyValue kv = create("/c/t" + thread + "/k" + i, "v" + i);
                    if (thread == 0 && i == perWriter / 2) {
                        started.complete(kv.modRevision());
                    }
                    if (i % 3 == 0) {
                        update(kv, "u" + i);
                    }
                }
                return null;
            });
        }
        var watchers = CompletableFuture.runAsync(() -> {
            long mid = started.join();
            watches.add(store.watch("/c/", mid - 20));
            watches.add(store.watch("/c/", 0));
            watches.add(store.watch("/c/", mid));
        }, runnable -> Thread.ofVirtual().start(runnable));
        runConcurrently(tasks);
        watchers.get(eventTimeout().toMillis(), TimeUnit.MILLISECONDS);
        long last = store.currentRevision();
        long mid = started.get();
        try {
            assertThat(revisions(eventsThrough(watches.get(0), last))).containsExactlyElementsOf(range(mid - 19, last));
            List<Long> fromNow = revisions(eventsThrough(watches.get(1), last));
            assertThat(fromNow.getFirst()).isGreaterThan(mid - 20);
            assertThat(fromNow).containsExactlyElementsOf(range(fromNow.getFirst(), last));
            assertThat(revisions(eventsThrough(watches.get(2), last))).containsExactlyElementsOf(range(mid + 1, last));
        } finally {
            watches.forEach(Watch::close);
        }
    }

    @Test
    void progressReportsTheRevisionWhenNothingMatches() throws Exception {
        try (Watch watch = store.watch("/b/", 0)) {
            KeyValue other = create("/a/x", "x");
            WatchEvent.Progress progress = null;
            long deadline = System.nanoTime() + eventTimeout().toNanos();
            while (progress == null && System.nanoTime() < deadline) {
                WatchEvent event = watch.poll(Duration.ofMillis(100));
                if (event != null) {
                    assertThat(event).isInstanceOf(WatchEvent.Progress.class);
                }
                if (event instanceof WatchEvent.Progress p) {
                    progress = p;
                }
            }
            assertThat(progress).as("a Progress event").isNotNull();
            assertThat(progress.revision()).isBetween(other.modRevision(), store.currentRevision());

            create("/a/y", "y");
            KeyValue mine = create("/b/y", "y");
            WatchEvent next = watch.poll(eventTimeout());
            assertThat(next).isInstanceOf(WatchEvent.Put.class);
            assertThat(next.revision()).isEqualTo(mine.modRevision());
        }
    }

    @Test
    void progressNeverGoesBackwardsOrHidesAnEvent() throws Exception {
        try (Watch watch = store.watch("/b/", 0)) {
            long lastSeen = baseRevision;
            for (int i = 0; i < 5; i++) {
                create("/a/k" + i, "x");
                KeyValue mine = create("/b/k" + i, "y");
                create("/a/z" + i, "x");
                WatchEvent event;
                do {
                    event = watch.poll(eventTimeout());
                    assertThat(event).isNotNull();
                    assertThat(event.revision()).isGreaterThanOrEqualTo(lastSeen);
                    if (event instanceof WatchEvent.Progress) {
                        assertThat(event.revision()).isLessThan(mine.modRevision());
                    }
                    lastSeen = event.revision();
                } while (event instanceof WatchEvent.Progress);
                assertThat(event.revision()).isEqualTo(mine.modRevision());
            }
        }
    }

    @Test
    void aClosedWatchThrowsWatchClosed() throws Exception {
        Watch watch = store.watch("/w/", 0);
        create("/w/a", "a");
        watch.close();
        watch.close();
        assertThatThrownBy(() -> watch.poll(Duration.ofMillis(10))).isInstanceOf(StoreException.WatchClosed.class);
    }

    @Test
    void closeWakesABlockedPoll() throws Exception {
        Watch watch = store.watch("/w/", 0);
        var poll = CompletableFuture.supplyAsync(() -> {
            try {
                return watch.poll(Duration.ofMinutes(5));
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }, runnable -> Thread.ofVirtual().start(runnable));
        Thread.sleep(100);
        watch.close();
        assertThat(poll).failsWithin(eventTimeout()).withThrowableThat()
                .havingCause().isInstanceOf(StoreException.WatchClosed.class);
    }

    /**
     * A watch nobody polls must not hold writers up. A store may end it with WatchClosed, but
     * what it delivers before that has no gap.
     */
    @Test
    void anUnpolledWatchDoesNotBlockWriters() throws Exception {
        try (Watch watch = store.watch("/s/", 0)) {
            var tasks = new ArrayList<Callable<Void>>();
            for (int t = 0; t < 8; t++) {
                int thread = t;
                tasks.add(() -> {
                    for (int i = 0; i < 150; i++) {
                        create("/s/t" + thread + "/k" + i, "v".repeat(200));
                    }
                    return null;
                });
            }
            runConcurrently(tasks);
            long last = store.currentRevision();
            var delivered = new ArrayList<Long>();
            try {
                while (delivered.isEmpty() || delivered.getLast() < last) {
                    delivered.add(nextEvent(watch).revision());
                }
            } catch (StoreException.WatchClosed e) {
                // allowed for a slow consumer
            }
            if (!delivered.isEmpty()) {
                assertThat(delivered).containsExactlyElementsOf(range(delivered.getFirst(), delivered.getLast()));
                assertThat(delivered.getFirst()).isEqualTo(baseRevision + 1);
            }
        }
    }
}
