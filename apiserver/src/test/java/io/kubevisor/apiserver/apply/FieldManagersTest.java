package io.kubevisor.apiserver.apply;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FieldManagersTest {

    @Test
    void theFieldManagerParameterWins() {
        assertThat(FieldManagers.resolve("kubectl-create", "kubectl/v1.33.1")).isEqualTo("kubectl-create");
    }

    @Test
    void otherwiseTheUserAgentUpToItsFirstSlash() {
        assertThat(FieldManagers.resolve(null, "kubectl.1.33/v1.33.1 (linux/amd64) kubernetes/8adc0f0"))
                .isEqualTo("kubectl.1.33");
        assertThat(FieldManagers.resolve("", "Go-http-client/1.1")).isEqualTo("Go-http-client");
        assertThat(FieldManagers.fromUserAgent("fabric8-kubernetes-client/7.1.0")).isEqualTo("fabric8-kubernetes-client");
    }

    @Test
    void dropsNonPrintableCharactersAndCutsAt128Bytes() {
        assertThat(FieldManagers.fromUserAgent("a\u0001b\tc")).isEqualTo("abc");
        assertThat(FieldManagers.fromUserAgent("x".repeat(200))).hasSize(128);
        assertThat(FieldManagers.fromUserAgent(null)).isEmpty();
    }
}
