package io.kubevisor.apiserver.housekeeping;

import java.time.Duration;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.kubevisor.store.Store;
import io.kubevisor.store.StoreException;

/**
 * Keeps history bounded the way kube-apiserver does with etcd: at every tick, compacts to the
 * revision seen at the previous tick, so at least one interval of history stays readable for
 * watches and paged lists, and older starts get 410 Gone.
 */
public final class Compactor implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Compactor.class);

    private final Thread thread;
    private volatile boolean closed;

    private Compactor(Store store, Duration interval) {
        this.thread = Thread.ofVirtual().name("compactor").start(() -> loop(store, interval));
    }

    /** Starts compacting every {@code interval}; a zero interval starts nothing. */
    public static Compactor start(Store store, Duration interval) {
        if (interval.isZero() || interval.isNegative()) {
            return null;
        }
        return new Compactor(store, interval);
    }

    private void loop(Store store, Duration interval) {
        long previous = 0;
        while (!closed) {
            try {
                Thread.sleep(interval);
                long current = store.currentRevision();
                if (previous > store.compactRevision()) {
                    store.compact(previous);
                    LOG.info("event=compacted revision={} current={}", previous, current);
                }
                previous = current;
            } catch (InterruptedException e) {
                return;
            } catch (StoreException.Unavailable e) {
                if (closed) {
                    return;
                }
                LOG.warn("event=compaction_failed cause={}", e.toString());
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
    }
}
