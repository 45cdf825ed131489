package io.kubevisor.bench;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * Starts an operation at fixed times (open loop), each on its own virtual thread, and measures
 * every operation from its <em>scheduled</em> start to its end. A late send (a stalled scheduler,
 * a GC pause) therefore counts against the system, which avoids coordinated omission.
 * Stateless; one call per phase.
 */
final class OpenLoop {

    interface Op {
        void run(long seq) throws Exception;
    }

    /**
     * @param nanos      latency of every operation that succeeded, from its scheduled time
     * @param errors     operations that threw
     * @param firstError the first failure's message, or null
     * @param maxLag     the largest delay between a scheduled time and the actual start
     * @param cpu        CPU use over the phase
     */
    record Outcome(long[] nanos, long errors, String firstError, long maxLag, CpuMeter.Usage cpu) {

        /** Both phases as one (equal lengths assumed for the CPU average). */
        Outcome plus(Outcome o) {
            long[] all = new long[nanos.length + o.nanos.length];
            System.arraycopy(nanos, 0, all, 0, nanos.length);
            System.arraycopy(o.nanos, 0, all, nanos.length, o.nanos.length);
            return new Outcome(all, errors + o.errors, firstError != null ? firstError : o.firstError,
                    Math.max(maxLag, o.maxLag), cpu.weighted(1, o.cpu, 1));
        }
    }

    private OpenLoop() {
    }

    static Outcome run(int perSecond, Duration duration, Op op) throws InterruptedException {
        int count = (int) (perSecond * duration.toNanos() / 1_000_000_000L);
        long period = 1_000_000_000L / perSecond;
        long[] nanos = new long[count];
        boolean[] ok = new boolean[count];
        var errors = new AtomicLong();
        var firstError = new AtomicReference<String>();
        var done = new CountDownLatch(count);
        long maxLag = 0;
        CpuMeter cpu = CpuMeter.start();
        long start = System.nanoTime() + 1_000_000;
        for (int i = 0; i < count; i++) {
            long scheduled = start + i * period;
            long wait;
            while ((wait = scheduled - System.nanoTime()) > 0) {
                LockSupport.parkNanos(wait);
            }
            maxLag = Math.max(maxLag, System.nanoTime() - scheduled);
            int seq = i;
            Thread.ofVirtual().start(() -> {
                try {
                    op.run(seq);
                    nanos[seq] = System.nanoTime() - scheduled;
                    ok[seq] = true;
                } catch (Exception e) {
                    errors.incrementAndGet();
                    firstError.compareAndSet(null, e.toString());
                } finally {
                    done.countDown();
                }
            });
        }
        if (!done.await(2, TimeUnit.MINUTES)) {
            throw new IllegalStateException("operations still running two minutes after the last was sent");
        }
        CpuMeter.Usage usage = cpu.stop();
        int n = 0;
        for (boolean b : ok) {
            n += b ? 1 : 0;
        }
        long[] succeeded = new long[n];
        for (int i = 0, j = 0; i < count; i++) {
            if (ok[i]) {
                succeeded[j++] = nanos[i];
            }
        }
        return new Outcome(succeeded, errors.get(), firstError.get(), maxLag, usage);
    }
}
