package io.kubevisor.bench;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.kubevisor.store.KeyValue;
import io.kubevisor.store.StoreException;
import io.kubevisor.store.Watch;
import io.kubevisor.store.WatchEvent;
import io.kubevisor.store.sqlite.SqliteOptions;
import io.kubevisor.store.sqlite.SqliteStore;

/**
 * Scenario 4's baseline: the same fan-out with in-process {@code Store.watch} pollers (one
 * virtual thread each) on a fresh SqliteStore, timed from just before {@code update} to each
 * poller's event. Owns its store, watches and threads; close it. Changes are made by one thread.
 */
final class StoreWatchFanout implements AutoCloseable {

    private static final String PREFIX = "/registry/configmaps/bench/";

    private final SqliteStore store;
    private final List<Watch> watches = new ArrayList<>();
    private final List<Thread> pollers = new ArrayList<>();
    private final long[][] arrivals;
    private final CountDownLatch[] latches;
    private KeyValue kv;

    private StoreWatchFanout(SqliteStore store, int watchers, int changes) {
        this.store = store;
        this.arrivals = new long[changes][watchers];
        this.latches = new CountDownLatch[changes];
        for (int k = 0; k < changes; k++) {
            latches[k] = new CountDownLatch(watchers);
        }
    }

    static StoreWatchFanout open(Path file, int watchers, int changes) {
        var fanout = new StoreWatchFanout(SqliteStore.open(file, SqliteOptions.defaults()), watchers, changes);
        try {
            fanout.kv = fanout.store.create(PREFIX + "watched", value(0));
            for (int w = 0; w < watchers; w++) {
                Watch watch = fanout.store.watch(PREFIX, fanout.kv.modRevision());
                fanout.watches.add(watch);
                int watcher = w;
                fanout.pollers.add(Thread.ofVirtual().start(() -> fanout.poll(watch, watcher)));
            }
            return fanout;
        } catch (RuntimeException e) {
            fanout.close();
            throw e;
        }
    }

    /** Makes change {@code k} (0-based, in order) and returns every watcher's delay in nanoseconds. */
    long[] change(int k) throws InterruptedException {
        long before = System.nanoTime();
        kv = store.update(kv.key(), value(k + 1), kv.modRevision());
        if (!latches[k].await(60, TimeUnit.SECONDS)) {
            throw new IllegalStateException("store change " + (k + 1) + " reached only "
                    + (arrivals[k].length - latches[k].getCount()) + " watchers");
        }
        long[] delays = new long[arrivals[k].length];
        for (int w = 0; w < delays.length; w++) {
            delays[w] = arrivals[k][w] - before;
        }
        return delays;
    }

    private void poll(Watch watch, int watcher) {
        int k = 0;
        try {
            while (k < latches.length) {
                WatchEvent e = watch.poll(Duration.ofSeconds(1));
                long now = System.nanoTime();
                if (e instanceof WatchEvent.Put put && !put.created()) {
                    arrivals[k][watcher] = now;
                    latches[k++].countDown();
                }
            }
        } catch (InterruptedException | StoreException.WatchClosed e) {
            // ended by close()
        }
    }

    private static byte[] value(int version) {
        return Payloads.configMap("watched", "v" + version).getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        watches.forEach(Watch::close);
        for (Thread t : pollers) {
            try {
                t.join(TimeUnit.SECONDS.toMillis(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        store.close();
    }
}
