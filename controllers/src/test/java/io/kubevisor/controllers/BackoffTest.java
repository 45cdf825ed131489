package io.kubevisor.controllers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import org.junit.jupiter.api.Test;

class BackoffTest {

    @Test
    void doublesPerConsecutiveFailureUpToTheMax() {
        var b = new Backoff<String>(Duration.ofMillis(5), Duration.ofMillis(100));
        assertThat(b.next("a")).isEqualTo(Duration.ofMillis(5));
        assertThat(b.next("a")).isEqualTo(Duration.ofMillis(10));
        assertThat(b.next("a")).isEqualTo(Duration.ofMillis(20));
        assertThat(b.next("a")).isEqualTo(Duration.ofMillis(40));
        assertThat(b.next("a")).isEqualTo(Duration.ofMillis(80));
        assertThat(b.next("a")).isEqualTo(Duration.ofMillis(100));
        assertThat(b.next("a")).isEqualTo(Duration.ofMillis(100));
        assertThat(b.failures("a")).isEqualTo(7);
    }

    @Test
    void keysBackOffIndependentlyAndResetStartsOver() {
        var b = new Backoff<String>(Duration.ofMillis(5), Duration.ofSeconds(60));
        b.next("a");
        b.next("a");
        assertThat(b.next("b")).isEqualTo(Duration.ofMillis(5));
        b.reset("a");
        assertThat(b.failures("a")).isZero();
        assertThat(b.next("a")).isEqualTo(Duration.ofMillis(5));
        assertThat(b.failures("b")).isEqualTo(1);
    }

    @Test
    void manyFailuresStayAtTheMaxWithoutOverflowing() {
        var b = new Backoff<String>(Duration.ofMillis(5), Duration.ofSeconds(60));
        Duration last = Duration.ZERO;
        for (int i = 0; i < 200; i++) {
            last = b.next("a");
            assertThat(last).isPositive().isLessThanOrEqualTo(Duration.ofSeconds(60));
        }
        assertThat(last).isEqualTo(Duration.ofSeconds(60));
    }

    @Test
    void rejectsNonsense() {
        assertThatThrownBy(() -> new Backoff<String>(Duration.ZERO, Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Backoff<String>(Duration.ofSeconds(2), Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
