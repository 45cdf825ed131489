package io.kubevisor.apiserver.kinds.quantity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class QuantityTest {

    @ParameterizedTest(name = "{0} prints as {1}")
    @CsvSource({
        "1, 1",
        "1000m, 1",
        "1500m, 1500m",
        "0.5, 500m",
        "0.1, 100m",
        "100m, 100m",
        "1.0, 1",
        "2k, 2k",
        "2000, 2k",
        "1024Mi, 1Gi",
        "1Gi, 1Gi",
        "1.5Gi, 1536Mi",
        "512Mi, 512Mi",
        "1536Ki, 1536Ki",
        "0.5Ki, 512",
        "1000Ki, 1000Ki",
        "1e3, 1e3",
        "12e2, 1200",
        "1E6, 1e6",
        "128974848, 128974848",
        "129e6, 129e6",
        "123Mi, 123Mi",
        "-1, -1",
        "+5, 5",
        "0, 0",
        "0Gi, 0",
        "1n, 1n",
        "0.0000000001, 1n",
        "5M, 5M",
        "3000000, 3M",
    })
    void canonicalTextMatchesKubernetes(String input, String canonical) {
        assertThat(Quantity.parse(input).toString()).isEqualTo(canonical);
    }

    @Test
    void comparesByValueAcrossNotations() {
        assertThat(Quantity.parse("1")).isEqualByComparingTo(Quantity.parse("1000m"));
        assertThat(Quantity.parse("1Gi")).isEqualByComparingTo(Quantity.parse("1024Mi"));
        assertThat(Quantity.parse("1G")).isLessThan(Quantity.parse("1Gi"));
        assertThat(Quantity.parse("1e3")).isEqualByComparingTo(Quantity.parse("1k"));
        assertThat(Quantity.parse("250m")).isLessThan(Quantity.parse("0.3"));
        assertThat(Quantity.parse("1Gi")).isEqualTo(Quantity.parse("1073741824"));
    }

    @Test
    void roundsUpToMilliWhenDefaulting() {
        assertThat(Quantity.parse("1n").roundUp(3).toString()).isEqualTo("1m");
        assertThat(Quantity.parse("0.0001").roundUp(3).toString()).isEqualTo("1m");
        assertThat(Quantity.parse("1500u").roundUp(3).toString()).isEqualTo("2m");
        assertThat(Quantity.parse("2").roundUp(3).toString()).isEqualTo("2");
    }

    @Test
    void additionKeepsTheFirstNotation() {
        assertThat(Quantity.parse("512Mi").add(Quantity.parse("512Mi")).toString()).isEqualTo("1Gi");
        assertThat(Quantity.parse("500m").add(Quantity.parse("1")).toString()).isEqualTo("1500m");
    }

    @Test
    void milliValueRoundsUp() {
        assertThat(Quantity.parse("1.5").milliValue()).isEqualTo(1500);
        assertThat(Quantity.parse("1n").milliValue()).isEqualTo(1);
        assertThat(Quantity.parse("2Ki").milliValue()).isEqualTo(2_048_000);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "abc", "1.2.3", "1 Gi", "1x", "1Gb", "1Mm", "1e"})
    void rejectsTextThatIsNotAQuantity(String bad) {
        assertThatThrownBy(() -> Quantity.parse(bad)).isInstanceOf(QuantityFormatException.class);
    }

    @Test
    void acceptsWhatKubernetesAcceptsEvenWhenOdd() {
        // Kubernetes reads a missing number as zero.
        assertThat(Quantity.parse("-").signum()).isZero();
        assertThat(Quantity.parse("Gi").signum()).isZero();
        assertThat(Quantity.parse("1.").toString()).isEqualTo("1");
    }

    @Test
    void reportsKubernetesMessages() {
        assertThatThrownBy(() -> Quantity.parse("abc")).hasMessage(
                "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'");
        assertThatThrownBy(() -> Quantity.parse("1Mm")).hasMessage("unable to parse quantity's suffix");
    }
}
