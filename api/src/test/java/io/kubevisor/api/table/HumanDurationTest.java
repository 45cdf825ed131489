package io.kubevisor.api.table;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HumanDurationTest {

    /** Expected values are k8s.io/apimachinery/pkg/util/duration.HumanDuration's output. */
    @ParameterizedTest
    @CsvSource({
            "-3000, <invalid>",
            "-2000, <invalid>",
            "-1999, 0s",
            "-1000, 0s",
            "-1, 0s",
            "0, 0s",
            "999, 0s",
            "5000, 5s",
            "119999, 119s",
            "120000, 2m",
            "200000, 3m20s",
            "599000, 9m59s",
            "600000, 10m",
            "10799000, 179m",
            "10800000, 3h",
            "18180000, 5h3m",
            "28799000, 7h59m",
            "28800000, 8h",
            "172799000, 47h",
            "172800000, 2d",
            "273600000, 3d4h",
            "691199000, 7d23h",
            "691200000, 8d",
            "63071999000, 729d",
            "63072000000, 2y",
            "65664000000, 2y30d",
            "252287999000, 7y364d",
            "252288000000, 8y",
            "315360000000, 10y",
    })
    void matchesKubernetes(long millis, String expected) {
        assertThat(HumanDuration.format(Duration.ofMillis(millis))).isEqualTo(expected);
    }
}
