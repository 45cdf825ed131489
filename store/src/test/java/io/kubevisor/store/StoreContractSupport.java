package io.kubevisor.store;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Hooks and helpers of the {@link StoreContractTest} kit. A backend's test extends
 * {@link StoreContractTest} and implements {@link #newStore(Path)}; the other hooks have
 * defaults that suit an embedded store.
 *
 * <p>The kit assumes each store it gets is used by this test alone (no other writer), but not
 * that it starts at revision 0: tests measure revisions from {@link #baseRevision}.
 */
public abstract class StoreContractSupport {

    /** A fresh, empty store for one test. {@code dir} is a new empty directory the store may use. */
    protected abstract Store newStore(Path dir);

    /** The longest a test waits for something that should happen (an event, a write). */
    protected Duration eventTimeout() {
        return Duration.ofSeconds(10);
    }

    /** Called after each test with the test's store (already closed by some tests). */
    protected void disposeStore(Store store) {
        store.close();
    }

    @TempDir
    protected Path dir;

    protected Store store;

    /** The store revision when the test started. */
    protected long baseRevision;

    @BeforeEach
    void openStoreUnderTest() {
        store = newStore(dir);
        baseRevision = store.currentRevision();
    }

    @AfterEach
    void disposeStoreUnderTest() {
        if (store != null) {
            disposeStore(store);
        }
    }

    protected static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    protected static String text(byte[] value) {
        return new String(value, StandardCharsets.UTF_8);
    }

    protected static String text(KeyValue kv) {
        return text(kv.value());
    }

    protected KeyValue create(String key, String value) {
        return store.create(key, bytes(value));
    }

    protected KeyValue update(KeyValue current, String value) {
        return store.update(current.key(), bytes(value), current.modRevision());
    }

    protected List<String> keys(ListResult result) {
        return result.items().stream().map(KeyValue::key).toList();
    }

    protected List<String> values(ListResult result) {
        return result.items().stream().map(StoreContractSupport::text).toList();
    }

    /** The next real event, skipping Progress; fails after {@link #eventTimeout()}. */
    protected WatchEvent nextEvent(Watch watch) throws InterruptedException {
        long deadline = System.nanoTime() + eventTimeout().toNanos();
        while (System.nanoTime() < deadline) {
            WatchEvent event = watch.poll(Duration.ofMillis(200));
            if (event != null && !(event instanceof WatchEvent.Progress)) {
                return event;
            }
        }
        return fail("no watch event within " + eventTimeout());
    }

    /** The next {@code count} real events, in order. */
    protected List<WatchEvent> nextEvents(Watch watch, int count) throws InterruptedException {
        var events = new ArrayList<WatchEvent>(count);
        for (int i = 0; i < count; i++) {
            events.add(nextEvent(watch));
        }
        return events;
    }

    /** Real events until one at {@code revision} or later arrives; fails after the timeout. */
    protected List<WatchEvent> eventsThrough(Watch watch, long revision) throws InterruptedException {
        var events = new ArrayList<WatchEvent>();
        long deadline = System.nanoTime() + eventTimeout().toNanos();
        while (events.isEmpty() || events.getLast().revision() < revision) {
            if (System.nanoTime() > deadline) {
                fail("watch did not reach revision " + revision + "; last events: "
                        + events.subList(Math.max(0, events.size() - 3), events.size()));
            }
            WatchEvent event = watch.poll(Duration.ofMillis(200));
            if (event != null && !(event instanceof WatchEvent.Progress)) {
                events.add(event);
            }
        }
        return events;
    }

    /** Asserts that for {@code quiet} the watch returns no real event (Progress is allowed). */
    protected void assertNoEvent(Watch watch, Duration quiet) throws InterruptedException {
        long deadline = System.nanoTime() + quiet.toNanos();
        while (System.nanoTime() < deadline) {
            WatchEvent event = watch.poll(Duration.ofMillis(50));
            if (event != null) {
                assertThat(event).as("unexpected watch event").isInstanceOf(WatchEvent.Progress.class);
            }
        }
    }

    protected static List<Long> revisions(List<WatchEvent> events) {
        return events.stream().map(WatchEvent::revision).toList();
    }

    protected static List<Long> range(long fromInclusive, long toInclusive) {
        var list = new ArrayList<Long>();
        for (long r = fromInclusive; r <= toInclusive; r++) {
            list.add(r);
        }
        return list;
    }

    /** Runs {@code tasks} on virtual threads, all at once, and returns their results in order. */
    protected <T> List<T> runConcurrently(List<Callable<T>> tasks) throws Exception {
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            var futures = new ArrayList<Future<T>>();
            for (var task : tasks) {
                futures.add(executor.submit(task));
            }
            var results = new ArrayList<T>();
            for (Future<T> future : futures) {
                results.add(future.get(eventTimeout().toMillis() * 3, TimeUnit.MILLISECONDS));
            }
            return results;
        }
    }
}
