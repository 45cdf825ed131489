package io.kubevisor.api.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class GoDurationTest {

    /** Expected strings are what Go's time.Duration.String() prints for the same nanoseconds. */
    @ParameterizedTest
    @CsvSource({
            "0, 0s",
            "1, 1ns",
            "1100, 1.1µs",
            "2200000, 2.2ms",
            "1500000000, 1.5s",
            "90000000000, 1m30s",
            "60000000000, 1m0s",
            "3600000000000, 1h0m0s",
            "4500000000000, 1h15m0s",
            "5445500000000, 1h30m45.5s",
            "-90000000000, -1m30s",
            "100000000, 100ms",
            "360000000000000, 100h0m0s",
            "-9223372036854775808, -2562047h47m16.854775808s",
    })
    void formatsLikeGo(long nanos, String expected) {
        assertThat(GoDuration.format(nanos)).isEqualTo(expected);
        assertThat(GoDuration.parse(expected)).isEqualTo(nanos);
    }

    @Test
    void parsesGoSyntax() {
        assertThat(GoDuration.parse("2h45m")).isEqualTo(9_900_000_000_000L);
        assertThat(GoDuration.parse("300ms")).isEqualTo(300_000_000L);
        assertThat(GoDuration.parse("1.5h")).isEqualTo(5_400_000_000_000L);
        assertThat(GoDuration.parse("10us")).isEqualTo(10_000L);
        assertThat(GoDuration.parse("0")).isZero();
        assertThatThrownBy(() -> GoDuration.parse("5")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> GoDuration.parse("1d")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> GoDuration.parse("")).isInstanceOf(IllegalArgumentException.class);
    }
}
