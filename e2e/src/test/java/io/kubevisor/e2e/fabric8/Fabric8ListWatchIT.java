package io.kubevisor.e2e.fabric8;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.ConfigMapList;
import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.kubevisor.e2e.support.Cluster;
import io.kubevisor.e2e.support.Fabric8;

/**
 * Paged lists that stay consistent while objects change, and watches that resume or expire. The
 * watches stream over HTTP (see {@link Fabric8#httpWatchConfig}); {@link #watchOverWebSocket}
 * covers fabric8's default WebSocket watch.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class Fabric8ListWatchIT {

    @TempDir
    static Path tmp;
    static Cluster cluster;
    static KubernetesClient client;

    /** One event as the watcher saw it. */
    record Seen(Watcher.Action action, String name, String data, long resourceVersion) {
    }

    @BeforeAll
    static void up() throws Exception {
        cluster = Cluster.start(tmp.resolve("kv"), "--compaction-interval", "2s");
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
    void pagesOfTwoStayAtTheFirstPagesSnapshot() {
        String ns = namespace("paging");
        List<String> before = names(client.configMaps().inNamespace(ns).list());
        for (int i = 0; i < 7; i++) {
            configMap(ns, "p-" + i, "v1");
        }
        List<String> expected = new ArrayList<>(before);
        for (int i = 0; i < 7; i++) {
            expected.add("p-" + i);
        }
        expected.sort(null);

        ConfigMapList first = client.configMaps().inNamespace(ns).list(new ListOptionsBuilder().withLimit(2L).build());
        String snapshot = first.getMetadata().getResourceVersion();
        assertThat(first.getItems()).hasSize(2);
        assertThat(first.getMetadata().getContinue()).isNotBlank();
        assertThat(first.getMetadata().getRemainingItemCount()).isEqualTo(expected.size() - 2L);

        // Changes between pages: the rest of this list must not see them.
        configMap(ns, "p-5x", "new");
        ConfigMap p6 = client.configMaps().inNamespace(ns).withName("p-6").get();
        client.configMaps().inNamespace(ns).resource(new ConfigMapBuilder(p6).addToData("v", "v2").build()).update();
        client.configMaps().inNamespace(ns).withName("p-4").delete();

        List<ConfigMap> all = new ArrayList<>(first.getItems());
        String token = first.getMetadata().getContinue();
        int pages = 1;
        while (token != null && !token.isEmpty()) {
            ConfigMapList page = client.configMaps().inNamespace(ns)
                    .list(new ListOptionsBuilder().withLimit(2L).withContinue(token).build());
            pages++;
            assertThat(page.getItems()).hasSizeLessThanOrEqualTo(2);
            assertThat(page.getMetadata().getResourceVersion()).as("page %d", pages).isEqualTo(snapshot);
            all.addAll(page.getItems());
            token = page.getMetadata().getContinue();
            if (token != null && !token.isEmpty()) {
                assertThat(page.getMetadata().getRemainingItemCount()).isEqualTo((long) expected.size() - all.size());
            }
            assertThat(pages).isLessThan(20);
        }
        assertThat(pages).isEqualTo((expected.size() + 1) / 2);
        assertThat(all).extracting(c -> c.getMetadata().getName()).containsExactlyElementsOf(expected);
        assertThat(all).filteredOn(c -> c.getMetadata().getName().equals("p-6"))
                .singleElement().satisfies(c -> assertThat(c.getData()).containsEntry("v", "v1"));

        // A new list sees the present.
        List<String> now = names(client.configMaps().inNamespace(ns).list());
        assertThat(now).contains("p-5x").doesNotContain("p-4");
    }

    @Test
    void watchFromAResourceVersionReplaysWhatFollowedInOrder() throws Exception {
        String ns = namespace("resume");
        configMap(ns, "w-old", "x");
        String from = client.configMaps().inNamespace(ns).list().getMetadata().getResourceVersion();

        configMap(ns, "w-a", "1");
        ConfigMap a = client.configMaps().inNamespace(ns).withName("w-a").get();
        client.configMaps().inNamespace(ns).resource(new ConfigMapBuilder(a).addToData("v", "2").build()).update();
        configMap(ns, "w-b", "1");
        client.configMaps().inNamespace(ns).withName("w-a").delete();

        List<Seen> seen = new CopyOnWriteArrayList<>();
        CompletableFuture<WatcherException> closed = new CompletableFuture<>();
        try (Watch w = client.configMaps().inNamespace(ns).withResourceVersion(from).watch(recorder(seen, closed))) {
            Awaitility.await().atMost(Cluster.patience()).until(() -> seen.size() >= 4);
            // A change made while the watch is open arrives after the replay.
            ConfigMap b = client.configMaps().inNamespace(ns).withName("w-b").get();
            client.configMaps().inNamespace(ns).resource(new ConfigMapBuilder(b).addToData("v", "3").build()).update();
            Awaitility.await().atMost(Cluster.patience()).until(() -> seen.size() >= 5);
            Thread.sleep(300);
        }
        assertThat(seen).extracting(Seen::action, Seen::name, Seen::data).containsExactly(
                org.assertj.core.groups.Tuple.tuple(Watcher.Action.ADDED, "w-a", "1"),
                org.assertj.core.groups.Tuple.tuple(Watcher.Action.MODIFIED, "w-a", "2"),
                org.assertj.core.groups.Tuple.tuple(Watcher.Action.ADDED, "w-b", "1"),
                org.assertj.core.groups.Tuple.tuple(Watcher.Action.DELETED, "w-a", "2"),
                org.assertj.core.groups.Tuple.tuple(Watcher.Action.MODIFIED, "w-b", "3"));
        assertThat(seen).extracting(Seen::resourceVersion).isSorted().doesNotHaveDuplicates();
        assertThat(seen.getFirst().resourceVersion()).isGreaterThan(Long.parseLong(from));
        assertThat(closed).isNotDone();
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void watchOverWebSocket() throws Exception {
        String ns = namespace("websocket");
        configMap(ns, "ws-0", "1");
        String from = client.configMaps().inNamespace(ns).list().getMetadata().getResourceVersion();
        configMap(ns, "ws-1", "1");
        List<Seen> seen = new CopyOnWriteArrayList<>();
        CompletableFuture<WatcherException> closed = new CompletableFuture<>();
        try (KubernetesClient websocket = Fabric8.client(cluster);
             Watch w = websocket.configMaps().inNamespace(ns).withResourceVersion(from).watch(recorder(seen, closed))) {
            assertThat(websocket.getConfiguration().isOnlyHttpWatches()).isFalse();
            configMap(ns, "ws-2", "1");
            Awaitility.await().atMost(Cluster.patience()).until(() -> seen.size() >= 2);
            assertThat(seen).extracting(Seen::action, Seen::name).containsExactly(
                    org.assertj.core.groups.Tuple.tuple(Watcher.Action.ADDED, "ws-1"),
                    org.assertj.core.groups.Tuple.tuple(Watcher.Action.ADDED, "ws-2"));
        }
    }

    @Test
    void watchFromACompactedResourceVersionIsGone() throws Exception {
        String ns = namespace("gone");
        for (int i = 0; i < 150; i++) {
            configMap(ns, "churn-" + i, "x");
        }
        // The server compacts every 2 s to the revision of the tick before: wait until revision 1 is gone.
        org.awaitility.Awaitility.await().atMost(Cluster.patience()).ignoreExceptionsMatching(e -> false)
                .until(() -> {
                    try {
                        client.configMaps().inNamespace(ns).list(new io.fabric8.kubernetes.api.model.ListOptionsBuilder()
                                .withResourceVersion("1").withResourceVersionMatch("Exact").withLimit(1L).build());
                        return false;
                    } catch (io.fabric8.kubernetes.client.KubernetesClientException e) {
                        return e.getCode() == 410;
                    }
                });
        List<Seen> seen = new CopyOnWriteArrayList<>();
        CompletableFuture<WatcherException> closed = new CompletableFuture<>();
        Watch w = client.configMaps().inNamespace(ns).withResourceVersion("1").watch(recorder(seen, closed));
        try {
            WatcherException e = closed.get(Cluster.patience().toSeconds(), TimeUnit.SECONDS);
            assertThat(e.isHttpGone()).isTrue();
            assertThat(e.asClientException().getCode()).isEqualTo(410);
            assertThat(e.asClientException().getStatus().getReason()).isIn("Expired", "Gone");
            assertThat(seen).isEmpty();
        } finally {
            w.close();
        }
    }

    // ---- helpers ----

    static Watcher<ConfigMap> recorder(List<Seen> seen, CompletableFuture<WatcherException> closed) {
        return new Watcher<>() {
            @Override
            public void eventReceived(Action action, ConfigMap cm) {
                seen.add(new Seen(action, cm.getMetadata().getName(),
                        cm.getData() == null ? null : cm.getData().get("v"),
                        Long.parseLong(cm.getMetadata().getResourceVersion())));
            }

            @Override
            public void onClose(WatcherException cause) {
                closed.complete(cause);
            }
        };
    }

    static String namespace(String name) {
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build())
                .create();
        return name;
    }

    static ConfigMap configMap(String ns, String name, String value) {
        return client.configMaps().inNamespace(ns).resource(new ConfigMapBuilder().withNewMetadata().withName(name)
                .endMetadata().addToData("v", value).build()).create();
    }

    static List<String> names(ConfigMapList list) {
        return list.getItems().stream().map(c -> c.getMetadata().getName()).sorted().toList();
    }
}
