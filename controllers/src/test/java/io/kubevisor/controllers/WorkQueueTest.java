package io.kubevisor.controllers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

class WorkQueueTest {

    private final WorkQueue<String> queue = new WorkQueue<>(new Backoff<>(Duration.ofMillis(50), Duration.ofSeconds(1)));

    @Test
    void aKeyAddedManyTimesIsQueuedOnceAndKeysComeOutInOrder() throws Exception {
        queue.add("a");
        queue.add("b");
        queue.add("a");
        queue.add("c");
        queue.add("b");
        assertThat(queue.readyCount()).isEqualTo(3);
        assertThat(queue.take()).hasValue("a");
        assertThat(queue.take()).hasValue("b");
        assertThat(queue.take()).hasValue("c");
        assertThat(queue.readyCount()).isZero();
    }

    @Test
    void aKeyBeingProcessedIsNotHandedOutAgainUntilDone() throws Exception {
        queue.add("a");
        assertThat(queue.take()).hasValue("a");
        queue.add("a");
        queue.add("a");
        // A second worker must not get "a" while the first still holds it.
        CompletableFuture<Optional<String>> second = takeAsync();
        Thread.sleep(100);
        assertThat(second).isNotDone();
        queue.done("a");
        assertThat(second.get(5, TimeUnit.SECONDS)).hasValue("a");
        queue.done("a");
        assertThat(queue.readyCount()).isZero();
    }

    @Test
    void doneWithoutAnAddMeanwhileDoesNotRequeue() throws Exception {
        queue.add("a");
        queue.take();
        queue.done("a");
        assertThat(queue.readyCount()).isZero();
        assertThat(queue.waitingCount()).isZero();
    }

    @Test
    void addAfterHoldsTheKeyBackForTheDelay() throws Exception {
        long start = System.nanoTime();
        queue.addAfter("a", Duration.ofMillis(300));
        assertThat(queue.readyCount()).isZero();
        assertThat(queue.waitingCount()).isEqualTo(1);
        assertThat(queue.take()).hasValue("a");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
    }

    @Test
    void theEarlierOfTwoDelaysWinsAndTheKeyComesOnce() throws Exception {
        queue.addAfter("a", Duration.ofSeconds(30));
        queue.addAfter("a", Duration.ofMillis(100));
        assertThat(queue.waitingCount()).isEqualTo(1);
        assertThat(queue.take()).hasValue("a");
        queue.done("a");
        assertThat(queue.waitingCount()).isZero();
        assertThat(queue.readyCount()).isZero();
    }

    @Test
    void aDelayedKeyAlreadyQueuedIsNotQueuedTwice() throws Exception {
        queue.add("a");
        queue.addAfter("a", Duration.ofMillis(50));
        Thread.sleep(100);
        assertThat(queue.readyCount()).isEqualTo(1);
    }

    @Test
    void aWaitingTakerWakesWhenAnEarlierDelayArrives() throws Exception {
        queue.addAfter("late", Duration.ofSeconds(30));
        CompletableFuture<Optional<String>> taken = takeAsync();
        Thread.sleep(50);
        queue.addAfter("soon", Duration.ofMillis(50));
        assertThat(taken.get(5, TimeUnit.SECONDS)).hasValue("soon");
    }

    @Test
    void rateLimitedAddsBackOffExponentiallyUntilForgotten() throws Exception {
        assertThat(queue.addRateLimited("a")).isEqualTo(Duration.ofMillis(50));
        assertThat(queue.addRateLimited("a")).isEqualTo(Duration.ofMillis(100));
        assertThat(queue.addRateLimited("a")).isEqualTo(Duration.ofMillis(200));
        assertThat(queue.failures("a")).isEqualTo(3);
        queue.forget("a");
        assertThat(queue.failures("a")).isZero();
        assertThat(queue.addRateLimited("a")).isEqualTo(Duration.ofMillis(50));
        // The key waits its backoff (the earliest pending delay, 50 ms), then comes out once.
        assertThat(queue.take()).hasValue("a");
        queue.done("a");
        assertThat(queue.readyCount() + queue.waitingCount()).isZero();
    }

    @Test
    void shutDownReleasesBlockedTakersAndIgnoresLaterAdds() throws Exception {
        CompletableFuture<Optional<String>> taken = takeAsync();
        Thread.sleep(50);
        queue.shutDown();
        assertThat(taken.get(5, TimeUnit.SECONDS)).isEmpty();
        queue.add("a");
        queue.addAfter("b", Duration.ofMillis(1));
        assertThat(queue.take()).isEmpty();
        assertThat(queue.isShutDown()).isTrue();
    }

    @Test
    void manyWorkersNeverHoldTheSameKeyAtOnce() throws Exception {
        var holders = new ConcurrentHashMap<String, Integer>();
        var violations = new AtomicInteger();
        var processed = new AtomicInteger();
        Set<String> seen = ConcurrentHashMap.newKeySet();
        var workers = new ArrayList<Thread>();
        for (int w = 0; w < 8; w++) {
            workers.add(Thread.ofVirtual().start(() -> {
                try {
                    for (Optional<String> k = queue.take(); k.isPresent(); k = queue.take()) {
                        if (holders.merge(k.get(), 1, Integer::sum) > 1) {
                            violations.incrementAndGet();
                        }
                        Thread.sleep(1);
                        holders.merge(k.get(), -1, Integer::sum);
                        processed.incrementAndGet();
                        seen.add(k.get());
                        queue.done(k.get());
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }));
        }
        for (int i = 0; i < 2000; i++) {
            queue.add("k" + (i % 5));
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> queue.readyCount() == 0 && holders.values().stream()
                .allMatch(v -> v == 0));
        queue.shutDown();
        for (Thread t : workers) {
            t.join(5000);
        }
        assertThat(violations).hasValue(0);
        assertThat(seen).containsExactlyInAnyOrder("k0", "k1", "k2", "k3", "k4");
        // De-duplication: never more runs than adds.
        assertThat(processed.get()).isLessThanOrEqualTo(2000);
    }

    private CompletableFuture<Optional<String>> takeAsync() {
        var f = new CompletableFuture<Optional<String>>();
        Thread.ofVirtual().start(() -> {
            try {
                f.complete(queue.take());
            } catch (InterruptedException e) {
                f.completeExceptionally(e);
            }
        });
        return f;
    }
}
