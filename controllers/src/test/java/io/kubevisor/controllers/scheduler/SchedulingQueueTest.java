package io.kubevisor.controllers.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import io.kubevisor.controllers.Backoff;
import io.kubevisor.controllers.WorkQueue;

class SchedulingQueueTest {

    private final WorkQueue<PodKey> active = new WorkQueue<>(Backoff.defaults());
    private final AtomicLong nanos = new AtomicLong(1_000);
    private final SchedulingQueue queue = new SchedulingQueue(active, nanos::get);
    private final PodKey p = new PodKey("ns", "p");

    private PodKey take() throws InterruptedException {
        Optional<PodKey> k = active.take();
        active.done(k.orElseThrow());
        return k.get();
    }

    @Test
    void anUnschedulablePodWaitsParkedUntilTheClusterChanges() throws Exception {
        queue.add(p);
        assertThat(take()).isEqualTo(p);
        long moves = queue.moveCount();
        assertThat(queue.park(p, moves)).isEqualTo(Duration.ofSeconds(1));
        assertThat(queue.isParked(p)).isTrue();
        assertThat(active.readyCount() + active.waitingCount()).isZero();

        assertThat(queue.moveAll()).isEqualTo(1);
        assertThat(queue.isParked(p)).isFalse();
        // Its 1 s backoff (by the queue's clock) is still running: it waits in the active queue.
        assertThat(active.waitingCount()).isEqualTo(1);
    }

    @Test
    void backoffDoublesPerFailedAttemptUpToTenSecondsAndResetsWhenForgotten() {
        Duration last = null;
        for (int i = 0; i < 6; i++) {
            last = queue.park(p, queue.moveCount());
        }
        assertThat(last).isEqualTo(Duration.ofSeconds(10));
        queue.forget(p);
        assertThat(queue.isParked(p)).isFalse();
        assertThat(queue.park(p, queue.moveCount())).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void aChangeDuringTheAttemptSendsThePodBackInsteadOfParkingIt() {
        long before = queue.moveCount();
        queue.moveAll();
        queue.park(p, before);
        assertThat(queue.isParked(p)).isFalse();
        assertThat(active.waitingCount()).isEqualTo(1);
    }

    @Test
    void aMovedPodWhoseBackoffIsOverIsReadyAtOnce() throws Exception {
        queue.park(p, queue.moveCount());
        nanos.addAndGet(Duration.ofSeconds(2).toNanos());
        queue.moveAll();
        assertThat(take()).isEqualTo(p);
    }

    @Test
    void theFlushMovesOnlyPodsParkedLongEnough() throws Exception {
        PodKey old = new PodKey("ns", "old");
        queue.park(old, queue.moveCount());
        nanos.addAndGet(Duration.ofSeconds(20).toNanos());
        queue.park(p, queue.moveCount());
        nanos.addAndGet(Duration.ofSeconds(15).toNanos());
        assertThat(queue.flush(Duration.ofSeconds(30))).isEqualTo(1);
        assertThat(queue.isParked(old)).isFalse();
        assertThat(queue.isParked(p)).isTrue();
        assertThat(take()).isEqualTo(old);
    }

    @Test
    void anUpdatedPodLeavesTheParkingAtOnce() throws Exception {
        queue.park(p, queue.moveCount());
        queue.add(p);
        assertThat(queue.parked()).isZero();
        assertThat(take()).isEqualTo(p);
    }
}
