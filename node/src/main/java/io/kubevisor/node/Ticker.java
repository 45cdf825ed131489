package io.kubevisor.node;

import java.time.Duration;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.kubevisor.controllers.Failures;

/** Runs a task every interval on a virtual thread until closed; a failing run is logged and the next one goes ahead. */
final class Ticker implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Ticker.class);

    private final Thread thread;

    private Ticker(Thread thread) {
        this.thread = thread;
    }

    /** Starts ticking; the first run is one interval from now. */
    static Ticker start(String name, Duration interval, Runnable task) {
        Thread t = Thread.ofVirtual().name(name).start(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                try {
                    Thread.sleep(interval);
                } catch (InterruptedException e) {
                    return;
                }
                try {
                    task.run();
                } catch (RuntimeException e) {
                    LOG.warn("event=periodic_task_failed task={} cause=\"{}\"", name, Failures.describe(e));
                }
            }
        });
        return new Ticker(t);
    }

    @Override
    public void close() {
        thread.interrupt();
        try {
            thread.join(Duration.ofSeconds(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
