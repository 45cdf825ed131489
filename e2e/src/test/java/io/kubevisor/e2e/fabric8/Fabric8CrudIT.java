package io.kubevisor.e2e.fabric8;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.concurrent.TimeUnit;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResourceList;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.StatusDetails;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.MixedOperation;
import io.fabric8.kubernetes.client.dsl.NonNamespaceOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.kubevisor.api.resource.BuiltinResources;
import io.kubevisor.api.resource.ResourceType;
import io.kubevisor.e2e.support.Cluster;
import io.kubevisor.e2e.support.Fabric8;

/**
 * Create, get, list, update and delete of every stored built-in kind through the typed fabric8
 * client, with the fields the server owns (uid, resourceVersion, creationTimestamp, generation)
 * and the status subresource.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class Fabric8CrudIT {

    static final String NS = "crud";

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

    static Stream<KindCase<?>> kinds() {
        return BuiltinKindCases.all(NS).stream();
    }

    static Stream<KindCase<?>> kindsWithStatus() {
        return kinds().filter(KindCase::hasStatus);
    }

    @Test
    void adminKubeconfigLoadsAsWritten() {
        try (KubernetesClient plain = Fabric8.client(Fabric8.configAsWritten(cluster))) {
            assertThat(plain.namespaces().withName(NS).get()).isNotNull();
        }
    }

    @Test
    void casesCoverEveryStoredBuiltinKind() {
        Set<String> builtin = BuiltinResources.list().stream().filter(ResourceType::stored)
                .map(t -> t.group() + "/" + t.kind() + (t.namespaced() ? " namespaced" : " cluster"))
                .collect(Collectors.toCollection(TreeSet::new));
        Set<String> covered = kinds().map(k -> k.group() + "/" + k.kind() + (k.namespaced() ? " namespaced" : " cluster"))
                .collect(Collectors.toCollection(TreeSet::new));
        assertThat(covered).isEqualTo(builtin);
        Set<String> withStatus = BuiltinResources.list().stream().filter(t -> t.stored() && t.has("status"))
                .map(t -> t.group() + "/" + t.kind()).collect(Collectors.toCollection(TreeSet::new));
        Set<String> coveredWithStatus = kindsWithStatus().map(k -> k.group() + "/" + k.kind())
                .collect(Collectors.toCollection(TreeSet::new));
        assertThat(coveredWithStatus).isEqualTo(withStatus);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kinds")
    <T extends HasMetadata> void createGetListUpdateDelete(KindCase<T> k) {
        String name = name("crud", k);
        Instant before = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        T created = ops(k).resource(k.build().apply(name)).create();

        assertThat(created.getMetadata().getName()).isEqualTo(name);
        assertThat(created.getMetadata().getNamespace()).isEqualTo(k.namespaced() ? NS : null);
        assertThat(created.getMetadata().getUid()).matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
        long rv1 = rv(created);
        assertThat(Instant.parse(created.getMetadata().getCreationTimestamp()))
                .isBetween(before.minusSeconds(5), Instant.now().plusSeconds(5));
        assertThat(created.getKind()).isEqualTo(k.kind());
        if (k.tracksGeneration()) {
            assertThat(created.getMetadata().getGeneration()).isEqualTo(1L);
        }

        T got = ops(k).withName(name).get();
        assertThat(got.getMetadata().getUid()).isEqualTo(created.getMetadata().getUid());
        assertThat(got.getMetadata().getResourceVersion()).isEqualTo(created.getMetadata().getResourceVersion());

        KubernetesResourceList<T> list = ops(k).list();
        assertThat(list.getItems()).extracting(o -> o.getMetadata().getName()).contains(name);
        assertThat(Long.parseLong(list.getMetadata().getResourceVersion())).isGreaterThanOrEqualTo(rv1);

        // A metadata-only change: resourceVersion moves, generation does not.
        T labelled = copy(got);
        labels(labelled).put("e2e", "labelled");
        T afterLabel = ops(k).resource(labelled).update();
        long rv2 = rv(afterLabel);
        assertThat(rv2).isGreaterThan(rv1);
        assertThat(afterLabel.getMetadata().getUid()).isEqualTo(created.getMetadata().getUid());
        assertThat(afterLabel.getMetadata().getCreationTimestamp()).isEqualTo(created.getMetadata().getCreationTimestamp());
        assertThat(afterLabel.getMetadata().getLabels()).containsEntry("e2e", "labelled");
        if (k.tracksGeneration()) {
            assertThat(afterLabel.getMetadata().getGeneration()).isEqualTo(1L);
        }

        // The kind's own content changes.
        T changed = k.change().apply(copy(afterLabel));
        Object wanted = k.probe().apply(changed);
        assertThat(wanted).isNotEqualTo(k.probe().apply(created));
        T afterChange = ops(k).resource(changed).update();
        assertThat(rv(afterChange)).isGreaterThan(rv2);
        T reread = ops(k).withName(name).get();
        assertThat(k.probe().apply(reread)).isEqualTo(wanted);
        assertThat(reread.getMetadata().getLabels()).containsEntry("e2e", "labelled");
        if (k.tracksGeneration()) {
            assertThat(reread.getMetadata().getGeneration()).isEqualTo(2L);
        }

        var deleted = ops(k).withName(name).delete();
        assertThat(deleted).extracting(StatusDetails::getName).containsExactly(name);
        if (k.kind().equals("Namespace")) {
            Namespace ns = client.namespaces().withName(name).get();
            if (ns != null) {
                assertThat(ns.getMetadata().getDeletionTimestamp()).isNotNull();
                assertThat(ns.getStatus().getPhase()).isEqualTo("Terminating");
            }
        } else {
            assertThat(ops(k).withName(name).get()).isNull();
            assertThat(ops(k).list().getItems()).extracting(o -> o.getMetadata().getName()).doesNotContain(name);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kindsWithStatus")
    <T extends HasMetadata> void statusSubresourceOwnsStatusAndNothingElse(KindCase<T> k) {
        String name = name("status", k);
        T created = ops(k).resource(k.build().apply(name)).create();
        Long generation = created.getMetadata().getGeneration();

        T desired = k.setStatus().apply(copy(created));
        Object wantedStatus = k.statusProbe().apply(desired);
        // A spec change sent to /status is ignored.
        T sneaky = k.change().apply(copy(desired));
        T afterStatus = ops(k).resource(sneaky).updateStatus();
        assertThat(rv(afterStatus)).isGreaterThan(rv(created));
        assertThat(k.statusProbe().apply(afterStatus)).isEqualTo(wantedStatus);
        assertThat(afterStatus.getMetadata().getGeneration()).isEqualTo(generation);
        T reread = ops(k).withName(name).get();
        assertThat(k.statusProbe().apply(reread)).isEqualTo(wantedStatus);
        // For these two kinds the legal change is to annotations, which status writes may or may not keep.
        if (!k.kind().equals("Namespace") && !k.kind().equals("PersistentVolumeClaim")) {
            assertThat(k.probe().apply(reread)).isEqualTo(k.probe().apply(created));
        }

        // An update of the main resource without status keeps the stored status.
        Map<String, Object> body = asMap(reread);
        body.remove("status");
        T withoutStatus = k.change().apply(client.getKubernetesSerialization().convertValue(body, k.type()));
        T afterMain = ops(k).resource(withoutStatus).update();
        assertThat(k.statusProbe().apply(afterMain)).isEqualTo(wantedStatus);
        if (k.tracksGeneration()) {
            assertThat(afterMain.getMetadata().getGeneration()).isEqualTo(generation + 1);
        }
        ops(k).withName(name).delete();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kinds")
    <T extends HasMetadata> void editSendsAJsonPatch(KindCase<T> k) {
        String name = name("edit", k);
        T created = ops(k).resource(k.build().apply(name)).create();
        T edited = ops(k).withName(name).edit(o -> k.change().apply(o));
        assertThat(rv(edited)).isGreaterThan(rv(created));
        assertThat(k.probe().apply(ops(k).withName(name).get())).isEqualTo(k.probe().apply(k.change().apply(created)));
        if (k.tracksGeneration()) {
            assertThat(edited.getMetadata().getGeneration()).isEqualTo(2L);
        }
        ops(k).withName(name).delete();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kindsWithStatus")
    <T extends HasMetadata> void editStatusPatchesTheStatusSubresource(KindCase<T> k) {
        String name = name("editstatus", k);
        T created = ops(k).resource(k.build().apply(name)).create();
        Object wanted = k.statusProbe().apply(k.setStatus().apply(copy(created)));
        T edited = ops(k).withName(name).editStatus(o -> k.setStatus().apply(o));
        assertThat(k.statusProbe().apply(edited)).isEqualTo(wanted);
        assertThat(edited.getMetadata().getGeneration()).isEqualTo(created.getMetadata().getGeneration());
        // patchStatus() sends the whole status as a merge patch, which replaces lists: start from
        // the created object so the patch carries the wanted status once.
        T fresh = k.setStatus().apply(copy(created));
        fresh.getMetadata().setResourceVersion(null);
        T patched = ops(k).resource(fresh).patchStatus();
        assertThat(k.statusProbe().apply(patched)).isEqualTo(wanted);
        ops(k).withName(name).delete();
    }

    @Test
    void deletedNamespaceGoesAwayWithItsContent() {
        String ns = "doomed";
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build())
                .create();
        client.configMaps().inNamespace(ns).resource(new io.fabric8.kubernetes.api.model.ConfigMapBuilder()
                .withNewMetadata().withName("inside").endMetadata().build()).create();
        client.namespaces().withName(ns).delete();
        Awaitility.await().atMost(Cluster.patience()).until(() -> client.namespaces().withName(ns).get() == null);
        assertThat(client.configMaps().inNamespace(ns).withName("inside").get()).isNull();
    }

    @Test
    void eventsShareStorageAcrossCoreAndEventsGroups() {
        var event = new io.fabric8.kubernetes.api.model.events.v1.EventBuilder().withNewMetadata().withName("shared")
                .endMetadata().withEventTime(new io.fabric8.kubernetes.api.model.MicroTime(BuiltinKindCases.microNow()))
                .withReportingController("kubevisor.io/e2e").withReportingInstance("e2e-1").withAction("Testing")
                .withReason("Shared").withType("Warning").withNote("seen from both groups")
                .withNewRegarding().withApiVersion("v1").withKind("Pod").withName("p").withNamespace(NS).endRegarding()
                .build();
        var created = client.events().v1().events().inNamespace(NS).resource(event).create();
        var core = client.v1().events().inNamespace(NS).withName("shared").get();
        assertThat(core).isNotNull();
        assertThat(core.getMetadata().getUid()).isEqualTo(created.getMetadata().getUid());
        assertThat(core.getReason()).isEqualTo("Shared");
        assertThat(core.getMessage()).isEqualTo("seen from both groups");
        assertThat(core.getInvolvedObject().getName()).isEqualTo("p");
        assertThat(core.getType()).isEqualTo("Warning");
        client.v1().events().inNamespace(NS).withName("shared").delete();
        assertThat(client.events().v1().events().inNamespace(NS).withName("shared").get()).isNull();
    }

    // ---- helpers ----

    static String name(String prefix, KindCase<?> k) {
        return prefix + "-" + k.kind().toLowerCase() + (k.group().isEmpty() ? "" : "-" + k.group().split("\\.")[0]);
    }

    static <T extends HasMetadata> NonNamespaceOperation<T, KubernetesResourceList<T>, Resource<T>> ops(KindCase<T> k) {
        MixedOperation<T, KubernetesResourceList<T>, Resource<T>> all = client.resources(k.type());
        return k.namespaced() ? all.inNamespace(NS) : all;
    }

    static long rv(HasMetadata o) {
        return Long.parseLong(o.getMetadata().getResourceVersion());
    }

    static <T extends HasMetadata> T copy(T o) {
        return client.getKubernetesSerialization().clone(o);
    }

    static Map<String, String> labels(HasMetadata o) {
        if (o.getMetadata().getLabels() == null) {
            o.getMetadata().setLabels(new LinkedHashMap<>());
        }
        return o.getMetadata().getLabels();
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> asMap(Object o) {
        return client.getKubernetesSerialization().convertValue(o, Map.class);
    }
}
