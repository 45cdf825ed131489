package io.kubevisor.node.pods;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.kubevisor.node.provider.ProviderEvents.PodEvent;

/**
 * Records the provider's pod events one at a time, in the order they happened, on a thread of
 * its own, as the kubelet's event broadcaster does. Recording them concurrently (a thread each)
 * put a pod start's three or four event writes on the server at the very moment of the pod's
 * status write, which then queued behind them; it could also record Started before Created.
 * A pod start's events wait for its status write ({@link StatusFirst}), for the same reason.
 * Like the kubelet's, the queue is bounded and drops what does not fit: events are best effort,
 * and a node that cannot reach its server must not grow without bound. Thread-safe.
 */
public final class PodEventSender implements Consumer<PodEvent>, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PodEventSender.class);
    /** The kubelet's event broadcaster queue length. */
    static final int CAPACITY = 1000;

    private final BlockingQueue<PodEvent> queue;
    private final Consumer<PodEvent> record;
    private final Thread sender;
    private final AtomicLong dropped = new AtomicLong();
    private volatile boolean closed;

    /** How long a batch of events waits at most for the pod starts that hold {@link StatusFirst}. */
    static final Duration MAX_HOLD = Duration.ofMillis(100);

    private final StatusFirst statusFirst;

    /**
     * @param record      records one event (e.g. creates it through the API); its failures are logged and skipped
     * @param statusFirst what the sender waits for (up to {@link #MAX_HOLD}) before recording what is queued
     */
    public PodEventSender(Consumer<PodEvent> record, StatusFirst statusFirst) {
        this(record, statusFirst, CAPACITY);
    }

    PodEventSender(Consumer<PodEvent> record, StatusFirst statusFirst, int capacity) {
        this.record = record;
        this.statusFirst = statusFirst;
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.sender = Thread.ofVirtual().name("pod-events").start(this::drain);
    }

    /** Queues the event and returns at once; drops it when the queue is full or the sender closed. */
    @Override
    public void accept(PodEvent event) {
        if (closed || !queue.offer(event)) {
            long n = dropped.incrementAndGet();
            LOG.warn("event=pod_event_dropped pod={} reason={} dropped={} cause=\"{}\"", event.pod(), event.reason(), n,
                    closed ? "sender closed" : "queue full");
        }
    }

    /** How many events were dropped. */
    public long dropped() {
        return dropped.get();
    }

    private void drain() {
        while (!closed || !queue.isEmpty()) {
            PodEvent e;
            try {
                e = queue.poll(200, TimeUnit.MILLISECONDS);
            } catch (InterruptedException ie) {
                return;
            }
            if (e == null) {
                continue;
            }
            try {
                statusFirst.awaitFree(MAX_HOLD);
            } catch (InterruptedException ie) {
                return;
            }
            // Everything queued while waiting goes now, without waiting again: a burst of starts
            // delays events by MAX_HOLD per batch at most.
            List<PodEvent> batch = new ArrayList<>();
            batch.add(e);
            queue.drainTo(batch);
            batch.forEach(this::recordOne);
        }
    }

    private void recordOne(PodEvent e) {
        try {
            record.accept(e);
        } catch (RuntimeException ex) {
            LOG.warn("event=pod_event_record_failed pod={} reason={} cause=\"{}\"", e.pod(), e.reason(),
                    ex.getMessage());
        }
    }

    /**
     * Stops taking events and waits briefly (1 s at most) for the queued ones to be recorded;
     * what is left then is dropped. Idempotent.
     */
    @Override
    public void close() {
        closed = true;
        try {
            if (!sender.join(Duration.ofSeconds(1))) {
                sender.interrupt();
            }
        } catch (InterruptedException e) {
            sender.interrupt();
            Thread.currentThread().interrupt();
        }
    }
}
