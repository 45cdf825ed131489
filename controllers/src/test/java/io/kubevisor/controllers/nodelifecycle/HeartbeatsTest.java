package io.kubevisor.controllers.nodelifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

class HeartbeatsTest {

    private final AtomicLong nanos = new AtomicLong(5_000);
    private final Heartbeats beats = new Heartbeats(nanos::get);

    private void advance(int seconds) {
        nanos.addAndGet(Duration.ofSeconds(seconds).toNanos());
    }

    @Test
    void silenceCountsFromTheLastChangeSeenByOurClock() {
        beats.lease("n", "2025-01-01T00:00:00Z");
        advance(30);
        assertThat(beats.silence("n")).isEqualTo(Duration.ofSeconds(30));
        beats.lease("n", "2025-01-01T00:00:00Z");
        advance(15);
        assertThat(beats.silence("n")).as("the same renew time again is no heartbeat").isEqualTo(Duration.ofSeconds(45));
        beats.lease("n", "1999-01-01T00:00:00Z");
        assertThat(beats.silence("n")).as("any change counts, whatever the agent's clock says").isZero();
    }

    @Test
    void statusHeartbeatsCountToo() {
        beats.lease("n", "t1");
        advance(50);
        beats.status("n", "h1");
        advance(10);
        assertThat(beats.silence("n")).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void aNodeNeverSeenGetsAFullGracePeriodFromNow() {
        assertThat(beats.silence("new")).isZero();
        advance(7);
        assertThat(beats.silence("new")).isEqualTo(Duration.ofSeconds(7));
        beats.forget("new");
        assertThat(beats.silence("new")).isZero();
    }
}
