package io.kubevisor.e2e.fabric8;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.kubevisor.e2e.support.Cluster;
import io.kubevisor.e2e.support.Fabric8;

/** JSON patch, JSON merge patch, strategic merge patch and server-side apply through fabric8. */
@Timeout(value = 2, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class Fabric8PatchIT {

    static final String NS = "patch";
    static final String NOT_SERVED = "PATCH is not served yet: every PATCH (json-patch, merge-patch, "
            + "strategic-merge-patch, apply-patch) answers 405 MethodNotAllowed";

    @TempDir
    static Path tmp;
    static Cluster cluster;
    static KubernetesClient client;

    @BeforeAll
    static void up() throws Exception {
        cluster = Cluster.start(tmp.resolve("kv"));
        client = Fabric8.client(cluster);
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(NS).endMetadata().build())
                .create();
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
    void jsonPatch() {
        ConfigMap before = configMap("json", "a", "1");
        ConfigMap after = cm("json").patch(PatchContext.of(PatchType.JSON),
                "[{\"op\":\"test\",\"path\":\"/data/a\",\"value\":\"1\"},"
                        + "{\"op\":\"add\",\"path\":\"/data/b\",\"value\":\"2\"},"
                        + "{\"op\":\"remove\",\"path\":\"/data/a\"},"
                        + "{\"op\":\"add\",\"path\":\"/metadata/labels\",\"value\":{\"patched\":\"json\"}}]");
        assertThat(after.getData()).containsExactly(java.util.Map.entry("b", "2"));
        assertThat(after.getMetadata().getLabels()).containsEntry("patched", "json");
        assertThat(rv(after)).isGreaterThan(rv(before));
        assertThat(cm("json").get().getData()).containsOnlyKeys("b");
        // A failing "test" operation changes nothing.
        assertThatThrownBy(() -> cm("json").patch(PatchContext.of(PatchType.JSON),
                "[{\"op\":\"test\",\"path\":\"/data/b\",\"value\":\"nope\"},{\"op\":\"remove\",\"path\":\"/data/b\"}]"))
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(422));
        assertThat(cm("json").get().getData()).containsEntry("b", "2");
    }

    @Test
    void jsonMergePatch() {
        configMap("merge", "a", "1", "b", "2");
        ConfigMap after = cm("merge").patch(new PatchContext.Builder().withPatchType(PatchType.JSON_MERGE)
                        .withFieldManager("merger").build(),
                "{\"metadata\":{\"labels\":{\"patched\":\"merge\"}},\"data\":{\"a\":null,\"c\":\"3\"}}");
        assertThat(after.getData()).containsOnlyKeys("b", "c").containsEntry("c", "3");
        assertThat(after.getMetadata().getLabels()).containsEntry("patched", "merge");
        assertThat(after.getMetadata().getManagedFields()).extracting(ManagedFieldsEntry::getManager,
                ManagedFieldsEntry::getOperation).contains(org.assertj.core.groups.Tuple.tuple("merger", "Update"));
    }

    @Test
    void strategicMergePatchMergesContainersByName() {
        Resource<Deployment> d = client.apps().deployments().inNamespace(NS).withName("smp");
        client.apps().deployments().inNamespace(NS).resource(new DeploymentBuilder().withNewMetadata().withName("smp")
                .endMetadata().withNewSpec().withReplicas(1).withNewSelector().addToMatchLabels("app", "smp")
                .endSelector().withNewTemplate().withNewMetadata().addToLabels("app", "smp").endMetadata()
                .withNewSpec().addNewContainer().withName("a").withImage("nginx:1.27").endContainer()
                .addNewContainer().withName("b").withImage("busybox:1.36").endContainer().endSpec().endTemplate()
                .endSpec().build()).create();

        Deployment patched = d.patch(PatchContext.of(PatchType.STRATEGIC_MERGE),
                "{\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"name\":\"b\",\"image\":\"busybox:1.37\"}]}}}}");
        assertThat(patched.getSpec().getTemplate().getSpec().getContainers())
                .extracting(Container::getName, Container::getImage)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("a", "nginx:1.27"),
                        org.assertj.core.groups.Tuple.tuple("b", "busybox:1.37"));
        assertThat(patched.getMetadata().getGeneration()).isEqualTo(2L);

        Deployment deleted = d.patch(PatchContext.of(PatchType.STRATEGIC_MERGE),
                "{\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"name\":\"a\",\"$patch\":\"delete\"}]}}}}");
        assertThat(deleted.getSpec().getTemplate().getSpec().getContainers()).extracting(Container::getName)
                .containsExactly("b");

        // The same body as a JSON merge patch replaces the whole list.
        d.patch(PatchContext.of(PatchType.STRATEGIC_MERGE),
                "{\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"name\":\"a\",\"image\":\"nginx:1.27\"}]}}}}");
        assertThat(d.get().getSpec().getTemplate().getSpec().getContainers()).extracting(Container::getName)
                .containsExactly("a", "b");
        Deployment merged = d.patch(PatchContext.of(PatchType.JSON_MERGE),
                "{\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"busybox:1.36\"}]}}}}");
        assertThat(merged.getSpec().getTemplate().getSpec().getContainers()).extracting(Container::getName)
                .containsExactly("c");
    }

    @Test
    void serverSideApplyTracksManagersAndConflicts() {
        ConfigMap desired = new ConfigMapBuilder().withNewMetadata().withName("ssa").withNamespace(NS).endMetadata()
                .addToData("a", "alice").addToData("b", "alice").build();
        ConfigMap created = client.resource(desired).fieldManager("alice").serverSideApply();
        assertThat(created.getData()).containsEntry("a", "alice").containsEntry("b", "alice");
        assertThat(created.getMetadata().getManagedFields()).singleElement().satisfies(m -> {
            assertThat(m.getManager()).isEqualTo("alice");
            assertThat(m.getOperation()).isEqualTo("Apply");
            assertThat(m.getApiVersion()).isEqualTo("v1");
            assertThat(m.getFieldsType()).isEqualTo("FieldsV1");
            assertThat(json(m.getFieldsV1())).contains("\"f:data\"").contains("\"f:a\"").contains("\"f:b\"");
        });

        // Another manager wants a field alice owns: conflict, nothing changes.
        ConfigMap bobs = new ConfigMapBuilder().withNewMetadata().withName("ssa").withNamespace(NS).endMetadata()
                .addToData("a", "bob").build();
        assertThatThrownBy(() -> client.resource(bobs).fieldManager("bob").serverSideApply())
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> {
                    assertThat(e.getCode()).isEqualTo(409);
                    assertThat(e.getStatus().getReason()).isEqualTo("Conflict");
                    assertThat(e.getStatus().getDetails().getCauses()).anySatisfy(c -> {
                        assertThat(c.getField()).isEqualTo(".data.a");
                        assertThat(c.getMessage()).contains("alice");
                    });
                });
        assertThat(cm("ssa").get().getData()).containsEntry("a", "alice");

        // Forcing takes the field over.
        ConfigMap forced = client.resource(bobs).fieldManager("bob").forceConflicts().serverSideApply();
        assertThat(forced.getData()).containsEntry("a", "bob").containsEntry("b", "alice");
        assertThat(forced.getMetadata().getManagedFields()).extracting(ManagedFieldsEntry::getManager)
                .containsExactlyInAnyOrder("alice", "bob");
        ManagedFieldsEntry alice = forced.getMetadata().getManagedFields().stream()
                .filter(m -> m.getManager().equals("alice")).findFirst().orElseThrow();
        assertThat(json(alice.getFieldsV1())).doesNotContain("\"f:a\"").contains("\"f:b\"");

        // Alice applies again without b: the field she alone owned goes away.
        ConfigMap aliceAgain = new ConfigMapBuilder().withNewMetadata().withName("ssa").withNamespace(NS)
                .endMetadata().build();
        ConfigMap pruned = client.resource(aliceAgain).fieldManager("alice").serverSideApply();
        assertThat(pruned.getData()).containsOnlyKeys("a").containsEntry("a", "bob");
    }

    @Test
    void applyPatchTypeWithFieldManagerAndForce() {
        ConfigMap created = client.configMaps().inNamespace(NS).resource(new ConfigMapBuilder().withNewMetadata()
                .withName("ssa2").endMetadata().addToData("k", "one").build()).fieldManager("first").serverSideApply();
        assertThat(created.getData()).containsEntry("k", "one");
        String other = "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"ssa2\"},"
                + "\"data\":{\"k\":\"two\"}}";
        assertThatThrownBy(() -> cm("ssa2").patch(new PatchContext.Builder().withPatchType(PatchType.SERVER_SIDE_APPLY)
                .withFieldManager("second").withForce(false).build(), other))
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(409));
        ConfigMap forced = cm("ssa2").patch(new PatchContext.Builder().withPatchType(PatchType.SERVER_SIDE_APPLY)
                .withFieldManager("second").withForce(true).build(), other);
        assertThat(forced.getData()).containsEntry("k", "two");
        // An apply needs a field manager.
        var http = client.getHttpClient();
        var noManager = http.sendAsync(http.newHttpRequestBuilder()
                .uri(client.getMasterUrl() + "api/v1/namespaces/" + NS + "/configmaps/ssa2")
                .method("PATCH", "application/apply-patch+yaml", other).build(), String.class).join();
        assertThat(noManager.code()).isEqualTo(400);
        assertThat(noManager.body()).contains("\"kind\":\"Status\"").contains("fieldManager");
    }

    // ---- helpers ----

    static Resource<ConfigMap> cm(String name) {
        return client.configMaps().inNamespace(NS).withName(name);
    }

    static ConfigMap configMap(String name, String... kv) {
        ConfigMapBuilder b = new ConfigMapBuilder().withNewMetadata().withName(name).endMetadata();
        for (int i = 0; i < kv.length; i += 2) {
            b.addToData(kv[i], kv[i + 1]);
        }
        return client.configMaps().inNamespace(NS).resource(b.build()).create();
    }

    static long rv(ConfigMap c) {
        return Long.parseLong(c.getMetadata().getResourceVersion());
    }

    static String json(Object o) {
        return client.getKubernetesSerialization().asJson(o);
    }
}
