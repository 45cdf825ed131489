package io.kubevisor.e2e.fabric8;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.kubevisor.e2e.support.Cluster;
import io.kubevisor.e2e.support.Fabric8;
import io.kubevisor.e2e.support.TcpProxy;

/**
 * fabric8 informers: initial list, ordered events, resync, and a watch that is cut under them.
 * Their watches stream over HTTP (see {@link Fabric8#httpWatchConfig}).
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class Fabric8InformerIT {

    @TempDir
    static Path tmp;
    static Cluster cluster;
    static KubernetesClient client;

    /** Records what a handler was told, one line per call: "ADD x 12", "UPDATE x 12->13", "DELETE x". */
    static final class Recorder implements ResourceEventHandler<ConfigMap> {
        final List<String> events = new CopyOnWriteArrayList<>();

        @Override
        public void onAdd(ConfigMap obj) {
            events.add("ADD " + obj.getMetadata().getName() + " " + value(obj));
        }

        @Override
        public void onUpdate(ConfigMap oldObj, ConfigMap newObj) {
            String from = oldObj.getMetadata().getResourceVersion();
            String to = newObj.getMetadata().getResourceVersion();
            events.add((from.equals(to) ? "RESYNC " : "UPDATE ") + newObj.getMetadata().getName() + " "
                    + value(oldObj) + "->" + value(newObj));
        }

        @Override
        public void onDelete(ConfigMap obj, boolean deletedFinalStateUnknown) {
            events.add("DELETE " + obj.getMetadata().getName() + (deletedFinalStateUnknown ? " unknown" : ""));
        }

        List<String> changes() {
            return events.stream().filter(e -> !e.startsWith("RESYNC ")).toList();
        }

        private static String value(ConfigMap cm) {
            return cm.getData() == null ? "-" : cm.getData().getOrDefault("v", "-");
        }
    }

    @BeforeAll
    static void up() throws Exception {
        cluster = Cluster.start(tmp.resolve("kv"));
        client = Fabric8.client(Fabric8.httpWatchConfig(cluster));
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
    void initialListThenEventsInOrder() {
        String ns = namespace("inform");
        put(ns, "i-0", "a");
        put(ns, "i-1", "a");
        Recorder r = new Recorder();
        try (SharedIndexInformer<ConfigMap> informer = client.configMaps().inNamespace(ns).inform(r)) {
            assertThat(informer.hasSynced()).isTrue();
            assertThat(informer.getStore().listKeys()).contains(ns + "/i-0", ns + "/i-1");
            Awaitility.await().atMost(Cluster.patience()).until(() -> r.changes().size() >= 2);
            assertThat(r.changes()).containsExactlyInAnyOrder("ADD i-0 a", "ADD i-1 a");
            String lastSynced = informer.lastSyncResourceVersion();
            assertThat(lastSynced).isNotBlank();

            put(ns, "i-2", "a");
            put(ns, "i-2", "b");
            client.configMaps().inNamespace(ns).withName("i-0").delete();
            put(ns, "i-1", "b");

            Awaitility.await().atMost(Cluster.patience()).until(() -> r.changes().size() >= 6);
            assertThat(r.changes().subList(2, r.changes().size())).containsExactly(
                    "ADD i-2 a", "UPDATE i-2 a->b", "DELETE i-0", "UPDATE i-1 a->b");
            assertThat(informer.getStore().getByKey(ns + "/i-2").getData()).containsEntry("v", "b");
            assertThat(informer.getStore().getByKey(ns + "/i-0")).isNull();
            assertThat(Long.parseLong(informer.lastSyncResourceVersion())).isGreaterThan(Long.parseLong(lastSynced));
        }
    }

    @Test
    void resyncRedeliversTheCacheWithoutServerChanges() {
        String ns = namespace("resync");
        put(ns, "r-0", "a");
        Recorder r = new Recorder();
        try (SharedIndexInformer<ConfigMap> informer = client.configMaps().inNamespace(ns).inform(r, 1000)) {
            Awaitility.await().atMost(Cluster.patience())
                    .until(() -> r.events.stream().filter(e -> e.equals("RESYNC r-0 a->a")).count() >= 3);
            assertThat(r.changes()).containsExactly("ADD r-0 a");
            assertThat(informer.getStore().list()).hasSize(1);
        }
    }

    @Test
    void informerSurvivesCutConnectionsWithoutMissingEvents() throws Exception {
        String ns = namespace("cut");
        put(ns, "c-0", "a");
        URI server = URI.create(cluster.url());
        try (TcpProxy proxy = TcpProxy.to(server.getHost(), server.getPort())) {
            Config viaProxy = Fabric8.httpWatchConfig(cluster);
            viaProxy.setMasterUrl("https://" + server.getHost() + ":" + proxy.port());
            viaProxy.setWatchReconnectInterval(100);
            viaProxy.setWatchReconnectLimit(-1);
            Recorder r = new Recorder();
            try (KubernetesClient proxied = Fabric8.client(viaProxy);
                 SharedIndexInformer<ConfigMap> informer = proxied.configMaps().inNamespace(ns).inform(r)) {
                Awaitility.await().atMost(Cluster.patience()).until(() -> r.changes().size() >= 1);
                put(ns, "c-1", "a");
                Awaitility.await().atMost(Cluster.patience()).until(() -> r.changes().size() >= 2);
                int connectionsBefore = proxy.accepted();

                for (int round = 0; round < 3; round++) {
                    assertThat(proxy.cutAll()).isPositive();
                    // Changes made while the informer is disconnected or reconnecting.
                    put(ns, "c-0", "r" + round);
                    put(ns, "c-new-" + round, "a");
                    client.configMaps().inNamespace(ns).withName("c-new-" + round).delete();
                    Thread.sleep(300);
                }
                put(ns, "c-1", "last");
                Awaitility.await().atMost(Cluster.patience())
                        .until(() -> r.changes().contains("UPDATE c-1 a->last"));

                assertThat(proxy.accepted()).isGreaterThan(connectionsBefore);
                assertThat(r.changes()).containsExactly("ADD c-0 a", "ADD c-1 a",
                        "UPDATE c-0 a->r0", "ADD c-new-0 a", "DELETE c-new-0",
                        "UPDATE c-0 r0->r1", "ADD c-new-1 a", "DELETE c-new-1",
                        "UPDATE c-0 r1->r2", "ADD c-new-2 a", "DELETE c-new-2",
                        "UPDATE c-1 a->last");
                assertThat(informer.getStore().listKeys()).containsExactlyInAnyOrder(ns + "/c-0", ns + "/c-1");
                assertThat(informer.isWatching()).isTrue();
            }
        }
    }

    static String namespace(String name) {
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build())
                .create();
        return name;
    }

    /** Creates or replaces a config map holding {@code v=value}. */
    static void put(String ns, String name, String value) {
        ConfigMap existing = client.configMaps().inNamespace(ns).withName(name).get();
        if (existing == null) {
            client.configMaps().inNamespace(ns).resource(new ConfigMapBuilder().withNewMetadata().withName(name)
                    .endMetadata().addToData("v", value).build()).create();
        } else {
            client.configMaps().inNamespace(ns).resource(new ConfigMapBuilder(existing).addToData("v", value).build())
                    .update();
        }
    }
}
