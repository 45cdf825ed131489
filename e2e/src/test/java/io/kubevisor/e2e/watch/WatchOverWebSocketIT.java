package io.kubevisor.e2e.watch;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.kubevisor.e2e.support.Cluster;

/**
 * fabric8's default watch goes over WebSocket (kube-apiserver serves one event per text
 * message); with the admin kubeconfig exactly as written, no client tweaks.
 */
class WatchOverWebSocketIT {

    @TempDir
    static Path tmp;
    static Cluster cluster;
    static KubernetesClient client;

    @BeforeAll
    static void up() throws Exception {
        cluster = Cluster.start(tmp.resolve("kv"));
        client = new KubernetesClientBuilder()
                .withConfig(Config.fromKubeconfig(Files.readString(cluster.kubeconfig()))).build();
    }

    @AfterAll
    static void down() throws Exception {
        if (client != null) {
            client.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void defaultWatchSeesAddModifyDelete() {
        List<String> seen = new CopyOnWriteArrayList<>();
        try (var w = client.configMaps().inNamespace("default").watch(new Watcher<ConfigMap>() {
            @Override
            public void eventReceived(Action action, ConfigMap cm) {
                if (cm.getMetadata().getName().equals("ws")) {
                    seen.add(action + ":" + cm.getData().get("k"));
                }
            }

            @Override
            public void onClose(WatcherException cause) {
            }
        })) {
            ConfigMap cm = client.configMaps().inNamespace("default").resource(new ConfigMapBuilder()
                    .withNewMetadata().withName("ws").endMetadata().addToData("k", "1").build()).create();
            cm.getData().put("k", "2");
            client.configMaps().inNamespace("default").resource(cm).update();
            client.configMaps().inNamespace("default").withName("ws").delete();
            Awaitility.await().atMost(Duration.ofSeconds(20))
                    .untilAsserted(() -> assertThat(seen).containsExactly("ADDED:1", "MODIFIED:2", "DELETED:2"));
        }
    }
}
