package io.kubevisor.apiserver.kinds;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.kubevisor.api.ApiException;
import io.kubevisor.api.Json;
import io.kubevisor.api.resource.BuiltinResources;
import io.kubevisor.api.resource.ResourceType;
import io.kubevisor.apiserver.ApiServer;
import io.kubevisor.apiserver.ApiServerConfig;
import io.kubevisor.apiserver.meta.Names;
import io.kubevisor.apiserver.registry.Admission;
import io.kubevisor.apiserver.registry.FieldTracker;
import io.kubevisor.apiserver.registry.ResourceStore;
import io.kubevisor.apiserver.registry.WriteOptions;
import io.kubevisor.apiserver.wiring.ServerWiring;
import io.kubevisor.store.sqlite.SqliteOptions;
import io.kubevisor.store.sqlite.SqliteStore;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** The strategies wired into the real registry over a real SQLite store: what gets stored is what a client reads. */
class StrategiesOnSqliteTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2025-01-02T03:04:05Z"), ZoneOffset.UTC);

    @TempDir
    Path dir;
    private SqliteStore store;

    @BeforeEach
    void open() {
        store = SqliteStore.open(dir.resolve("kubevisor.db"), SqliteOptions.defaults());
    }

    @AfterEach
    void close() {
        store.close();
    }

    private ResourceStore resource(String group, String plural) {
        ResourceType type = BuiltinResources.list().stream()
                .filter(t -> t.group().equals(group) && t.plural().equals(plural)).findFirst().orElseThrow();
        return new ResourceStore(type, new Strategies().forType(type), store, CLOCK, new Names(), FieldTracker.NONE,
                Admission.NONE, new io.kubevisor.apiserver.fields.SchemaCanonicalizer(
                io.kubevisor.api.schema.BuiltinSchemas.load()));
    }

    private static JsonNode withoutVolatileMetadata(JsonNode obj) {
        ObjectNode copy = (ObjectNode) obj.deepCopy();
        ObjectNode meta = (ObjectNode) copy.get("metadata");
        meta.remove("uid");
        meta.remove("resourceVersion");
        return copy;
    }

    @Test
    void aDeploymentIsStoredDefaultedWithGenerationOne() {
        ResourceStore deployments = resource("apps", "deployments");
        ObjectNode created = deployments.create(Fixtures.json("""
                {"kind":"Deployment","apiVersion":"apps/v1","metadata":{"name":"nginx","namespace":"default",
                  "labels":{"app":"nginx"}},
                 "spec":{"replicas":1,"selector":{"matchLabels":{"app":"nginx"}},
                   "template":{"metadata":{"labels":{"app":"nginx"}},
                     "spec":{"containers":[{"name":"nginx","image":"nginx","resources":{},"stdin":false,"tty":false}],
                       "hostNetwork":false}},"strategy":{},"minReadySeconds":0,"paused":false},"status":{}}"""),
                WriteOptions.defaults());
        ObjectNode stored = deployments.get("default", "nginx");
        assertThat(stored).isEqualTo(created);
        assertThat(withoutVolatileMetadata(stored)).isEqualTo(Json.parse("""
                {"kind":"Deployment","apiVersion":"apps/v1",
                 "metadata":{"name":"nginx","namespace":"default","labels":{"app":"nginx"},
                   "creationTimestamp":"2025-01-02T03:04:05Z","generation":1},
                 "spec":{"replicas":1,"selector":{"matchLabels":{"app":"nginx"}},
                   "template":{"metadata":{"creationTimestamp":null,"labels":{"app":"nginx"}},
                     "spec":{"containers":[{"name":"nginx","image":"nginx","resources":{},
                       "terminationMessagePath":"/dev/termination-log","terminationMessagePolicy":"File",
                       "imagePullPolicy":"Always"}],
                       "restartPolicy":"Always","terminationGracePeriodSeconds":30,"dnsPolicy":"ClusterFirst",
                       "securityContext":{},"schedulerName":"default-scheduler"}},
                   "strategy":{"type":"RollingUpdate","rollingUpdate":{"maxUnavailable":"25%","maxSurge":"25%"}},
                   "revisionHistoryLimit":10,"progressDeadlineSeconds":600},
                 "status":{}}"""));

        // Re-sending the stored object changes nothing, not even the generation.
        ObjectNode again = deployments.update("default", "nginx", stored.deepCopy(), "", WriteOptions.defaults());
        assertThat(again.path("metadata").path("resourceVersion")).isEqualTo(stored.path("metadata").path("resourceVersion"));

        ObjectNode changed = stored.deepCopy();
        ((ObjectNode) changed.path("spec").path("template").path("spec").path("containers").get(0)).put("image", "nginx:1.27");
        ObjectNode updated = deployments.update("default", "nginx", changed, "", WriteOptions.defaults());
        assertThat(updated.path("metadata").path("generation").asInt()).isEqualTo(2);
        assertThat(updated.path("spec").path("template").path("spec").path("containers").get(0).path("imagePullPolicy")
                .asString()).isEqualTo("Always");
    }

    @Test
    void aPodIsStoredPendingWithItsQosClass() {
        ResourceStore pods = resource("", "pods");
        pods.create(Fixtures.json("""
                {"kind":"Pod","apiVersion":"v1","metadata":{"name":"web","namespace":"default"},
                 "spec":{"containers":[{"name":"web","image":"nginx:1.27",
                   "resources":{"limits":{"cpu":"1","memory":"1Gi"},"requests":{"cpu":"1000m","memory":"1024Mi"}}}]}}"""),
                WriteOptions.defaults());
        ObjectNode stored = pods.get("default", "web");
        assertThat(stored.path("status")).isEqualTo(Json.parse("{\"phase\":\"Pending\",\"qosClass\":\"Guaranteed\"}"));
        assertThat(stored.path("spec").path("containers").get(0).path("resources")).isEqualTo(Json.parse("""
                {"limits":{"cpu":"1","memory":"1Gi"},"requests":{"cpu":"1","memory":"1Gi"}}"""));
        assertThat(stored.path("spec").path("serviceAccountName").asString()).isEqualTo("default");
        assertThat(stored.path("metadata").has("generation")).isFalse();

        ObjectNode moved = stored.deepCopy();
        ((ObjectNode) moved.get("spec")).put("hostname", "other");
        assertThatThrownBy(() -> pods.update("default", "web", moved, "", WriteOptions.defaults()))
                .isInstanceOf(ApiException.Invalid.class)
                .hasMessageStartingWith("Pod \"web\" is invalid: spec: Forbidden: pod updates may not change fields "
                        + "other than `spec.containers[*].image`");
    }

    @Test
    void aJobSelectsItsPodsByItsOwnUid() {
        ResourceStore jobs = resource("batch", "jobs");
        ObjectNode job = jobs.create(Fixtures.json("""
                {"kind":"Job","apiVersion":"batch/v1","metadata":{"name":"pi","namespace":"default"},
                 "spec":{"template":{"spec":{"containers":[{"name":"pi","image":"perl:5.34"}],
                   "restartPolicy":"Never"}}}}"""), WriteOptions.defaults());
        String uid = job.path("metadata").path("uid").asString();
        assertThat(uid).isNotEmpty();
        assertThat(job.path("spec").path("selector").path("matchLabels").path("batch.kubernetes.io/controller-uid")
                .asString()).isEqualTo(uid);
        assertThat(job.path("metadata").path("labels").path("controller-uid").asString()).isEqualTo(uid);
        assertThat(jobs.get("default", "pi")).isEqualTo(job);
    }

    @Test
    void theBootstrapObjectsPassTheirStrategies() {
        try (ServerWiring wiring = ServerWiring.create(store, request -> Optional.empty(), CLOCK)) {
            ApiServer server = wiring.serve(ApiServerConfig.defaults(), BuiltinResources.catalog(), "127.0.0.1", 6443);
            ObjectNode kubernetes = server.resource("", "v1", "services").orElseThrow().get("default", "kubernetes");
            assertThat(kubernetes.path("spec").path("clusterIP").asString()).isEqualTo("10.96.0.1");
            assertThat(kubernetes.path("spec").path("ipFamilies").toString()).isEqualTo("[\"IPv4\"]");
            ObjectNode ns = server.resource("", "v1", "namespaces").orElseThrow().get("", "kube-system");
            assertThat(ns.path("metadata").path("labels").path("kubernetes.io/metadata.name").asString())
                    .isEqualTo("kube-system");
            assertThat(server.resource("", "v1", "endpoints").orElseThrow().find("default", "kubernetes")).isPresent();
            assertThat(server.resource("rbac.authorization.k8s.io", "v1", "clusterroles").orElseThrow()
                    .find("", "cluster-admin")).isPresent();
        }
    }

    @Test
    void invalidObjectsAreRefusedWithKubernetesMessages() {
        ResourceStore jobs = resource("batch", "jobs");
        assertThatThrownBy(() -> jobs.create(Fixtures.json("""
                {"kind":"Job","apiVersion":"batch/v1","metadata":{"name":"pi","namespace":"default"},
                 "spec":{"template":{"spec":{"containers":[{"name":"pi","image":"perl"}]}}}}"""), WriteOptions.defaults()))
                .isInstanceOf(ApiException.Invalid.class)
                .hasMessage("Job \"pi\" is invalid: spec.template.spec.restartPolicy: Unsupported value: \"Always\": "
                        + "supported values: \"OnFailure\", \"Never\"");
        assertThat(jobs.find("default", "pi")).isEmpty();
    }
}
