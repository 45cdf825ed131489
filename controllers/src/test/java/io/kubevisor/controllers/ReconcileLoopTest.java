package io.kubevisor.controllers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.kubevisor.controllers.Reconciler.Result;

class ReconcileLoopTest {

    private final WorkQueue<String> queue = new WorkQueue<>(new Backoff<>(Duration.ofMillis(20), Duration.ofSeconds(1)));
    private ReconcileLoop<String> loop;

    @AfterEach
    void stop() {
        if (loop != null) {
            loop.close();
        }
    }

    @Test
    void aFailingKeyIsRetriedWithGrowingDelaysAndForgottenOnceItSucceeds() {
        List<Long> attempts = new CopyOnWriteArrayList<>();
        loop = new ReconcileLoop<>("test", queue, key -> {
            attempts.add(System.nanoTime());
            if (attempts.size() <= 3) {
                throw new IllegalStateException("not yet");
            }
            return Result.done();
        }, 1);
        loop.start();
        queue.add("a");
        await().atMost(Duration.ofSeconds(5)).until(() -> attempts.size() == 4);
        await().atMost(Duration.ofSeconds(1)).until(() -> queue.failures("a") == 0);
        // Backoff 20, 40, 80 ms between the attempts.
        assertThat(gapMillis(attempts, 1)).isGreaterThanOrEqualTo(20);
        assertThat(gapMillis(attempts, 2)).isGreaterThanOrEqualTo(40);
        assertThat(gapMillis(attempts, 3)).isGreaterThanOrEqualTo(80);
    }

    @Test
    void requeueAfterRunsTheKeyAgainLaterWithoutCountingAFailure() {
        List<Long> attempts = new CopyOnWriteArrayList<>();
        loop = new ReconcileLoop<>("test", queue, key -> {
            attempts.add(System.nanoTime());
            return attempts.size() == 1 ? Result.requeueAfter(Duration.ofMillis(200)) : Result.done();
        }, 1);
        loop.start();
        queue.add("a");
        await().atMost(Duration.ofSeconds(5)).until(() -> attempts.size() == 2);
        assertThat(gapMillis(attempts, 1)).isGreaterThanOrEqualTo(200);
        assertThat(queue.failures("a")).isZero();
    }

    @Test
    void oneKeysFailureDoesNotStopOtherKeys() {
        var done = ConcurrentHashMap.<String>newKeySet();
        loop = new ReconcileLoop<>("test", queue, key -> {
            if (key.equals("bad")) {
                throw new IllegalStateException("always");
            }
            done.add(key);
            return Result.done();
        }, 1);
        loop.start();
        queue.add("bad");
        queue.add("x");
        queue.add("y");
        await().atMost(Duration.ofSeconds(5)).until(() -> done.size() == 2);
        await().atMost(Duration.ofSeconds(5)).until(() -> queue.failures("bad") >= 2);
    }

    @Test
    void workersRunDifferentKeysInParallelButNeverTheSameKeyTwiceAtOnce() {
        var running = new ConcurrentHashMap<String, AtomicInteger>();
        var overlap = new AtomicBoolean();
        var concurrent = new AtomicInteger();
        var maxConcurrent = new AtomicInteger();
        var runs = new AtomicInteger();
        loop = new ReconcileLoop<>("test", queue, key -> {
            if (running.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet() > 1) {
                overlap.set(true);
            }
            maxConcurrent.accumulateAndGet(concurrent.incrementAndGet(), Math::max);
            Thread.sleep(20);
            concurrent.decrementAndGet();
            running.get(key).decrementAndGet();
            runs.incrementAndGet();
            return Result.done();
        }, 4);
        loop.start();
        for (int round = 0; round < 20; round++) {
            for (String k : List.of("a", "b", "c", "d")) {
                queue.add(k);
            }
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> queue.readyCount() == 0 && concurrent.get() == 0
                && runs.get() >= 4);
        assertThat(overlap).isFalse();
        assertThat(maxConcurrent.get()).isGreaterThan(1);
    }

    @Test
    void closeInterruptsAReconcileThatDoesNotFinishAndReturns() throws Exception {
        var started = new CountDownLatch(1);
        var interrupted = new AtomicBoolean();
        loop = new ReconcileLoop<>("test", queue, key -> {
            started.countDown();
            try {
                Thread.sleep(Duration.ofMinutes(5));
            } catch (InterruptedException e) {
                interrupted.set(true);
                throw e;
            }
            return Result.done();
        }, 1, Duration.ofMillis(100));
        loop.start();
        queue.add("a");
        started.await();
        long t0 = System.nanoTime();
        loop.close();
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(3));
        assertThat(interrupted).isTrue();
        assertThat(queue.isShutDown()).isTrue();
        // Stopping is not a failure of the key.
        assertThat(queue.failures("a")).isZero();
    }

    private static long gapMillis(List<Long> nanos, int i) {
        return (nanos.get(i) - nanos.get(i - 1)) / 1_000_000;
    }
}
