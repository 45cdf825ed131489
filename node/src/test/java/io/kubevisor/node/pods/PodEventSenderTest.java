package io.kubevisor.node.pods;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import io.kubevisor.node.provider.PodRef;
import io.kubevisor.node.provider.ProviderEvents.PodEvent;

class PodEventSenderTest {

    static final PodRef POD = new PodRef("default", "web", "uid-1");

    static PodEvent event(String reason) {
        return new PodEvent(POD, "Normal", reason, reason + " container web");
    }

    @Test
    void recordsOneAtATimeInTheOrderGiven() throws Exception {
        List<String> recorded = new CopyOnWriteArrayList<>();
        AtomicInteger inFlight = new AtomicInteger();
        AtomicInteger maxInFlight = new AtomicInteger();
        try (var sender = new PodEventSender(e -> {
            maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            try {
                Thread.sleep(2);
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
            }
            recorded.add(e.reason());
            inFlight.decrementAndGet();
        }, new StatusFirst())) {
            for (String r : List.of("Pulled", "Created", "Started", "Killing", "BackOff")) {
                sender.accept(event(r));
            }
            waitFor(() -> recorded.size() == 5);
        }
        assertThat(recorded).containsExactly("Pulled", "Created", "Started", "Killing", "BackOff");
        assertThat(maxInFlight.get()).isEqualTo(1);
    }

    @Test
    void aFailedRecordIsSkippedAndTheNextOnesStillGo() throws Exception {
        List<String> recorded = new CopyOnWriteArrayList<>();
        try (var sender = new PodEventSender(e -> {
            if (e.reason().equals("Created")) {
                throw new IllegalStateException("server said 500");
            }
            recorded.add(e.reason());
        }, new StatusFirst())) {
            sender.accept(event("Pulled"));
            sender.accept(event("Created"));
            sender.accept(event("Started"));
            waitFor(() -> recorded.size() == 2);
        }
        assertThat(recorded).containsExactly("Pulled", "Started");
    }

    @Test
    void aFullQueueDropsWhatDoesNotFitWithoutBlockingTheCaller() throws Exception {
        var release = new CountDownLatch(1);
        var first = new CountDownLatch(1);
        List<String> recorded = new CopyOnWriteArrayList<>();
        try (var sender = new PodEventSender(e -> {
            first.countDown();
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
            }
            recorded.add(e.reason());
        }, new StatusFirst(), 2)) {
            sender.accept(event("e0"));
            assertThat(first.await(10, TimeUnit.SECONDS)).isTrue();
            // e0 is being recorded (the server hangs); two fit in the queue, the rest are dropped.
            for (int i = 1; i <= 5; i++) {
                sender.accept(event("e" + i));
            }
            assertThat(sender.dropped()).isEqualTo(3);
            release.countDown();
            waitFor(() -> recorded.size() == 3);
        }
        assertThat(recorded).containsExactly("e0", "e1", "e2");
    }

    @Test
    void closeRecordsWhatIsQueuedThenRefusesMore() {
        List<String> recorded = new CopyOnWriteArrayList<>();
        var sender = new PodEventSender(e -> recorded.add(e.reason()), new StatusFirst());
        sender.accept(event("Killing"));
        sender.close();
        sender.accept(event("late"));
        assertThat(recorded).containsExactly("Killing");
        assertThat(sender.dropped()).isEqualTo(1);
    }

    @Test
    void eventsWaitForAHeldStartThenGoInOrder() throws Exception {
        var gate = new StatusFirst();
        List<String> recorded = new CopyOnWriteArrayList<>();
        try (var sender = new PodEventSender(e -> recorded.add(e.reason()), gate)) {
            var hold = gate.hold();
            sender.accept(event("Created"));
            sender.accept(event("Started"));
            Thread.sleep(50);
            assertThat(recorded).as("held by the start").isEmpty();
            hold.close();
            waitFor(() -> recorded.size() == 2);
        }
        assertThat(recorded).containsExactly("Created", "Started");
    }

    @Test
    void aHoldThatIsNeverReleasedDelaysEventsButDoesNotStopThem() throws Exception {
        var gate = new StatusFirst();
        List<String> recorded = new CopyOnWriteArrayList<>();
        try (var sender = new PodEventSender(e -> recorded.add(e.reason()), gate)) {
            gate.hold();
            long t0 = System.nanoTime();
            sender.accept(event("Killing"));
            waitFor(() -> recorded.size() == 1);
            assertThat(System.nanoTime() - t0).as("waited for the hold first")
                    .isGreaterThanOrEqualTo(PodEventSender.MAX_HOLD.toNanos());
        }
    }

    private static void waitFor(java.util.function.BooleanSupplier done) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!done.getAsBoolean() && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(done.getAsBoolean()).as("condition within 10 s").isTrue();
    }
}
