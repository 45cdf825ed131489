package io.kubevisor.controllers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;

class ControllerManagerTest {

    private final List<String> events = new CopyOnWriteArrayList<>();

    /** A controller that records what is done to it. */
    private final class Recording implements Controller {
        private final String name;
        private final boolean failOnStart;
        KubernetesClient client;

        Recording(String name, boolean failOnStart) {
            this.name = name;
            this.failOnStart = failOnStart;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public void start(KubernetesClient client) {
            events.add("start " + name);
            if (failOnStart) {
                throw new IllegalStateException(name + " cannot start");
            }
            this.client = client;
        }

        @Override
        public void stop() {
            events.add("stop " + name);
        }
    }

    /** A client that is never used to connect: the manager only hands it out and closes it. */
    private static KubernetesClient client() {
        return new KubernetesClientBuilder()
                .withConfig(new ConfigBuilder(Config.empty()).withMasterUrl("https://127.0.0.1:1").build()).build();
    }

    @Test
    void startsInOrderWithTheSharedClientAndStopsInReverseThenClosesTheClient() {
        var a = new Recording("a", false);
        var b = new Recording("b", false);
        KubernetesClient client = client();
        var m = new ControllerManager(client, List.of(a, b));
        m.start();
        assertThat(m.names()).containsExactly("a", "b");
        assertThat(a.client).isSameAs(client);
        assertThat(b.client).isSameAs(client);
        m.close();
        m.close();
        assertThat(events).containsExactly("start a", "start b", "stop b", "stop a");
        assertThat(client.getHttpClient().isClosed()).isTrue();
    }

    @Test
    void aControllerThatFailsToStartStopsTheOthersAndTheFailureSurfaces() {
        KubernetesClient client = client();
        var m = new ControllerManager(client, List.of(new Recording("a", false), new Recording("b", true),
                new Recording("c", false)));
        assertThatThrownBy(m::start).hasMessage("b cannot start");
        assertThat(events).containsExactly("start a", "start b", "stop b", "stop a");
        assertThat(client.getHttpClient().isClosed()).isTrue();
    }
}
