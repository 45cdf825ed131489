package io.kubevisor.controllers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.Test;

class KubeClientsTest {

    @Test
    void onLinuxX8664TheClientsUseBoringSsl() {
        assumeTrue(System.getProperty("os.name").equals("Linux") && System.getProperty("os.arch").equals("amd64"),
                "the native library is packaged for Linux x86-64 only");
        // Without it the clients fall back to the JDK's engine silently: this keeps the dependency honest.
        assertThat(KubeClients.boringSsl()).isTrue();
    }
}
