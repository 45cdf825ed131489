package io.kubevisor.e2e.fabric8;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.function.Consumer;
import java.util.concurrent.TimeUnit;

import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.StatusCause;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.ResourceNotFoundException;
import io.fabric8.kubernetes.client.dsl.FieldValidateable.Validation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.kubevisor.e2e.support.Cluster;
import io.kubevisor.e2e.support.Fabric8;

/** dryRun, fieldValidation, and the error Statuses for conflicts, missing objects and invalid ones. */
@Timeout(value = 2, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class Fabric8WriteOptionsIT {

    static final String NS = "options";

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
    void dryRunCreateUpdateDeleteStoreNothing() {
        String listRv = client.configMaps().inNamespace(NS).list().getMetadata().getResourceVersion();
        ConfigMap dry = client.configMaps().inNamespace(NS).resource(cm("dry", "v", "1")).dryRun().create();
        assertThat(dry.getMetadata().getName()).isEqualTo("dry");
        assertThat(dry.getMetadata().getUid()).isNotBlank();
        assertThat(dry.getMetadata().getCreationTimestamp()).isNotBlank();
        assertThat(dry.getData()).containsEntry("v", "1");
        assertThat(cmr("dry").get()).isNull();
        assertThat(client.configMaps().inNamespace(NS).list().getMetadata().getResourceVersion()).isEqualTo(listRv);

        ConfigMap real = client.configMaps().inNamespace(NS).resource(cm("dry", "v", "1")).create();
        ConfigMap dryUpdate = client.configMaps().inNamespace(NS)
                .resource(new ConfigMapBuilder(real).addToData("v", "2").build()).dryRun().update();
        assertThat(dryUpdate.getData()).containsEntry("v", "2");
        ConfigMap stored = cmr("dry").get();
        assertThat(stored.getData()).containsEntry("v", "1");
        assertThat(stored.getMetadata().getResourceVersion()).isEqualTo(real.getMetadata().getResourceVersion());

        assertThat(cmr("dry").dryRun().delete()).hasSize(1);
        assertThat(cmr("dry").get().getMetadata().getResourceVersion())
                .isEqualTo(real.getMetadata().getResourceVersion());
        cmr("dry").delete();
    }

    @Test
    void strictFieldValidationRejectsUnknownFields() {
        ConfigMap bogus = cm("strict", "v", "1");
        bogus.setAdditionalProperty("bogus", "x");
        expectStatus(() -> client.configMaps().inNamespace(NS).resource(bogus).fieldValidation(Validation.STRICT)
                .create(), 400, "BadRequest", s -> assertThat(s.getMessage())
                .contains("strict decoding error: unknown field \"bogus\""));
        assertThat(cmr("strict").get()).isNull();

        Deployment deep = deployment("strict-deep", "app", "app");
        deep.getSpec().getTemplate().getSpec().getContainers().getFirst().setAdditionalProperty("imagePolicy", "x");
        expectStatus(() -> client.apps().deployments().inNamespace(NS).resource(deep)
                .fieldValidation(Validation.STRICT).create(), 400, "BadRequest", s -> assertThat(s.getMessage())
                .contains("unknown field \"spec.template.spec.containers[0].imagePolicy\""));

        assertThat(client.apps().deployments().inNamespace(NS).withName("strict-deep").get()).isNull();
    }

    @Test
    void warnAndIgnoreDropUnknownFields() {
        ConfigMap bogus = cm("lenient", "v", "1");
        bogus.setAdditionalProperty("bogus", "x");
        ConfigMap warned = client.configMaps().inNamespace(NS).resource(bogus).fieldValidation(Validation.WARN)
                .create();
        assertThat(warned.getAdditionalProperties()).doesNotContainKey("bogus");
        assertThat(cmr("lenient").get().getAdditionalProperties()).doesNotContainKey("bogus");
        cmr("lenient").delete();
        ConfigMap ignored = client.configMaps().inNamespace(NS).resource(bogus).fieldValidation(Validation.IGNORE)
                .create();
        assertThat(ignored.getAdditionalProperties()).doesNotContainKey("bogus");
        assertThat(cmr("lenient").get().getAdditionalProperties()).doesNotContainKey("bogus");
    }

    @Test
    void staleUpdatesAndDuplicateCreatesConflict() {
        ConfigMap v1 = client.configMaps().inNamespace(NS).resource(cm("conflict", "v", "1")).create();
        client.configMaps().inNamespace(NS).resource(new ConfigMapBuilder(v1).addToData("v", "2").build()).update();

        expectStatus(() -> client.configMaps().inNamespace(NS)
                        .resource(new ConfigMapBuilder(v1).addToData("v", "stale").build()).update(), 409, "Conflict",
                s -> {
                    assertThat(s.getMessage()).isEqualTo("Operation cannot be fulfilled on configmaps \"conflict\": "
                            + "the object has been modified; please apply your changes to the latest version and try "
                            + "again");
                    assertThat(s.getDetails().getName()).isEqualTo("conflict");
                    assertThat(s.getDetails().getKind()).isEqualTo("configmaps");
                });
        assertThat(cmr("conflict").get().getData()).containsEntry("v", "2");

        expectStatus(() -> client.configMaps().inNamespace(NS).resource(cm("conflict", "v", "again")).create(), 409,
                "AlreadyExists", s -> {
                    assertThat(s.getMessage()).isEqualTo("configmaps \"conflict\" already exists");
                    assertThat(s.getDetails().getName()).isEqualTo("conflict");
                    assertThat(s.getDetails().getKind()).isEqualTo("configmaps");
                });

        // A delete with a stale resourceVersion precondition is refused too.
        expectStatus(() -> cmr("conflict").lockResourceVersion(v1.getMetadata().getResourceVersion()).delete(), 409,
                "Conflict", s -> assertThat(s.getMessage()).contains("conflict"));
        assertThat(cmr("conflict").get()).isNotNull();
    }

    @Test
    void missingObjectsAreNotFound() {
        assertThat(cmr("nope").get()).isNull();
        assertThatThrownBy(() -> cmr("nope").require()).isInstanceOf(ResourceNotFoundException.class);
        expectStatus(() -> client.configMaps().inNamespace(NS).resource(new ConfigMapBuilder(cm("nope", "v", "1"))
                .editMetadata().withResourceVersion("1").endMetadata().build()).update(), 404, "NotFound", s -> {
                    assertThat(s.getMessage()).isEqualTo("configmaps \"nope\" not found");
                    assertThat(s.getDetails().getName()).isEqualTo("nope");
                    assertThat(s.getDetails().getKind()).isEqualTo("configmaps");
                });
        expectStatus(() -> client.configMaps().inNamespace("no-such-namespace").resource(cm("x", "v", "1")).create(),
                404, "NotFound", s -> assertThat(s.getMessage()).isEqualTo("namespaces \"no-such-namespace\" not found"));
        assertThat(cmr("nope").delete()).isEmpty();
    }

    @Test
    void invalidObjectsAreUnprocessableWithCauses() {
        expectStatus(() -> client.configMaps().inNamespace(NS).resource(cm("Bad_Name", "v", "1")).create(), 422,
                "Invalid", s -> {
                    assertThat(s.getMessage()).startsWith("ConfigMap \"Bad_Name\" is invalid: metadata.name: Invalid value");
                    assertThat(s.getDetails().getKind()).isEqualTo("ConfigMap");
                    assertThat(s.getDetails().getName()).isEqualTo("Bad_Name");
                    assertThat(s.getDetails().getCauses()).extracting(StatusCause::getField, StatusCause::getReason)
                            .contains(org.assertj.core.groups.Tuple.tuple("metadata.name", "FieldValueInvalid"));
                });
        expectStatus(() -> client.pods().inNamespace(NS).resource(new PodBuilder().withNewMetadata()
                        .withName("empty").endMetadata().withNewSpec().endSpec().build()).create(), 422, "Invalid",
                s -> assertThat(s.getDetails().getCauses()).extracting(StatusCause::getField, StatusCause::getReason)
                        .contains(org.assertj.core.groups.Tuple.tuple("spec.containers", "FieldValueRequired")));
        expectStatus(() -> client.apps().deployments().inNamespace(NS)
                        .resource(deployment("mismatch", "app", "other")).create(), 422, "Invalid",
                s -> assertThat(s.getDetails().getCauses()).extracting(StatusCause::getField)
                        .contains("spec.template.metadata.labels"));
        assertThat(client.apps().deployments().inNamespace(NS).withName("mismatch").get()).isNull();
        assertThat(client.pods().inNamespace(NS).withName("empty").get()).isNull();
    }

    @Test
    void configMapAndSecretKeysAreValidated() {
        expectStatus(() -> client.configMaps().inNamespace(NS).resource(cm("badkey", "bad key!", "1")).create(), 422,
                "Invalid", s -> assertThat(s.getDetails().getCauses()).extracting(StatusCause::getField)
                        .contains("data[bad key!]"));
        assertThat(cmr("badkey").get()).isNull();
        expectStatus(() -> client.secrets().inNamespace(NS).resource(new io.fabric8.kubernetes.api.model
                        .SecretBuilder().withNewMetadata().withName("badkey").endMetadata()
                        .addToStringData("bad key!", "1").build()).create(), 422, "Invalid",
                s -> assertThat(s.getDetails().getCauses()).extracting(StatusCause::getField)
                        .contains("data[bad key!]"));
    }

    // ---- helpers ----

    static void expectStatus(ThrowingCallable call, int code, String reason, Consumer<Status> more) {
        assertThatThrownBy(call).isInstanceOfSatisfying(KubernetesClientException.class, e -> {
            assertThat(e.getCode()).as(e.getMessage()).isEqualTo(code);
            Status s = e.getStatus();
            assertThat(s.getKind()).isEqualTo("Status");
            assertThat(s.getStatus()).isEqualTo("Failure");
            assertThat(s.getCode()).isEqualTo(code);
            assertThat(s.getReason()).isEqualTo(reason);
            more.accept(s);
        });
    }

    static ConfigMap cm(String name, String key, String value) {
        return new ConfigMapBuilder().withNewMetadata().withName(name).endMetadata().addToData(key, value).build();
    }

    static Resource<ConfigMap> cmr(String name) {
        return client.configMaps().inNamespace(NS).withName(name);
    }

    static Deployment deployment(String name, String selectorValue, String labelValue) {
        return new DeploymentBuilder().withNewMetadata().withName(name).endMetadata().withNewSpec().withReplicas(1)
                .withNewSelector().addToMatchLabels("app", selectorValue).endSelector()
                .withTemplate(BuiltinKindCases.template(labelValue, "nginx:1.27", null)).endSpec().build();
    }
}
