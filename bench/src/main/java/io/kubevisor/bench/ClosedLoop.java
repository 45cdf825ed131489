package io.kubevisor.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs {@code workers} virtual threads, each calling an operation back to back until a deadline,
 * and counts the operations that completed before it. Stateless; one call per phase.
 */
final class ClosedLoop {

    /** One operation of one worker; {@code seq} is unique per worker and increases. */
    interface Op {
        void run(int worker, long seq) throws Exception;
    }

    /**
     * @param completed operations finished within the window
     * @param seconds   the window's length
     * @param errors    operations that threw
     * @param firstError the first failure's message, or null
     * @param cpu       CPU use over the window
     */
    record Outcome(long completed, double seconds, long errors, String firstError, CpuMeter.Usage cpu) {
        double rate() {
            return completed / seconds;
        }

        /** Both windows as one: counts add up, CPU use is averaged over time. */
        Outcome plus(Outcome o) {
            double total = seconds + o.seconds;
            return new Outcome(completed + o.completed, total, errors + o.errors,
                    firstError != null ? firstError : o.firstError, cpu.weighted(seconds, o.cpu, o.seconds));
        }
    }

    private ClosedLoop() {
    }

    static Outcome run(int workers, Duration duration, Op op) throws InterruptedException {
        var completed = new AtomicLong();
        var errors = new AtomicLong();
        var firstError = new AtomicReference<String>();
        CpuMeter cpu = CpuMeter.start();
        long start = System.nanoTime();
        long end = start + duration.toNanos();
        List<Thread> threads = new ArrayList<>();
        for (int w = 0; w < workers; w++) {
            int worker = w;
            threads.add(Thread.ofVirtual().name("bench-worker-" + w).start(() -> {
                long seq = 0;
                while (System.nanoTime() < end) {
                    try {
                        op.run(worker, seq++);
                        if (System.nanoTime() <= end) {
                            completed.incrementAndGet();
                        }
                    } catch (Exception e) {
                        errors.incrementAndGet();
                        firstError.compareAndSet(null, e.toString());
                    }
                }
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
        CpuMeter.Usage usage = cpu.stop();
        return new Outcome(completed.get(), duration.toNanos() / 1e9, errors.get(), firstError.get(), usage);
    }
}
