package io.kubevisor.api.schema;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.kubevisor.api.GroupVersionKind;
import io.kubevisor.api.resource.BuiltinResources;
import io.kubevisor.api.resource.ResourceType;
import tools.jackson.databind.JsonNode;

class BuiltinSchemasTest {

    private final BuiltinSchemas schemas = BuiltinSchemas.load();

    private FieldSchema pod() {
        return schemas.forKind(new GroupVersionKind("", "v1", "Pod")).orElseThrow();
    }

    @Test
    void podSpecContainersMergeByNameForPatchAndApply() {
        FieldSchema containers = pod().property("spec").orElseThrow().property("containers").orElseThrow();

        assertThat(containers.type()).isEqualTo(FieldSchema.Type.LIST);
        assertThat(containers.patchStrategy()).isEqualTo("merge");
        assertThat(containers.patchMergeKey()).isEqualTo("name");
        assertThat(containers.listType()).isEqualTo(FieldSchema.ListType.MAP);
        assertThat(containers.listMapKeys()).containsExactly("name");
        assertThat(containers.items().definition()).contains("io.k8s.api.core.v1.Container");
        assertThat(containers.items().type()).isEqualTo(FieldSchema.Type.OBJECT);
        assertThat(containers.items().required()).containsExactly("name");
        assertThat(pod().property("spec").orElseThrow().required()).containsExactly("containers");
    }

    @Test
    void containerPortsAreKeyedByPortAndProtocol() {
        FieldSchema ports = schemas.definition("io.k8s.api.core.v1.Container").orElseThrow()
                .property("ports").orElseThrow();

        assertThat(ports.listMapKeys()).containsExactly("containerPort", "protocol");
        assertThat(ports.patchMergeKey()).isEqualTo("containerPort");
        FieldSchema protocol = ports.items().property("protocol").orElseThrow();
        assertThat(protocol.enumValues()).containsExactly("SCTP", "TCP", "UDP");
    }

    @Test
    void objectMetaFinalizersMergeAsASet() {
        FieldSchema finalizers = pod().property("metadata").orElseThrow().property("finalizers").orElseThrow();

        assertThat(finalizers.patchStrategy()).isEqualTo("merge");
        assertThat(finalizers.listType()).isEqualTo(FieldSchema.ListType.SET);
        assertThat(finalizers.items().type()).isEqualTo(FieldSchema.Type.STRING);
    }

    @Test
    void specialTypesRenderAsKubernetesDoes() {
        FieldSchema meta = pod().property("metadata").orElseThrow();
        assertThat(meta.property("creationTimestamp").orElseThrow().type()).isEqualTo(FieldSchema.Type.STRING);
        assertThat(meta.property("creationTimestamp").orElseThrow().format()).isEqualTo("date-time");
        assertThat(meta.property("labels").orElseThrow().type()).isEqualTo(FieldSchema.Type.MAP);
        assertThat(meta.property("managedFields").orElseThrow().items().property("fieldsV1").orElseThrow().type())
                .isEqualTo(FieldSchema.Type.ANY);

        FieldSchema resources = schemas.definition("io.k8s.api.core.v1.ResourceRequirements").orElseThrow();
        assertThat(resources.property("limits").orElseThrow().items().type()).isEqualTo(FieldSchema.Type.INT_OR_STRING);
        FieldSchema probe = schemas.definition("io.k8s.api.core.v1.HTTPGetAction").orElseThrow();
        assertThat(probe.property("port").orElseThrow().type()).isEqualTo(FieldSchema.Type.INT_OR_STRING);
        assertThat(probe.property("port").orElseThrow().format()).isEqualTo("int-or-string");
        FieldSchema revision = schemas.definition("io.k8s.api.apps.v1.ControllerRevision").orElseThrow();
        assertThat(revision.property("data").orElseThrow().type()).isEqualTo(FieldSchema.Type.ANY);
        FieldSchema secret = schemas.forKind(new GroupVersionKind("", "v1", "Secret")).orElseThrow();
        assertThat(secret.property("data").orElseThrow().items().format()).isEqualTo("byte");
        FieldSchema selector = schemas.definition("io.k8s.apimachinery.pkg.apis.meta.v1.LabelSelector").orElseThrow();
        assertThat(selector.atomic()).isTrue();
        assertThat(schemas.definition("io.k8s.api.apps.v1.DeploymentSpec").orElseThrow()
                .property("selector").orElseThrow().atomic()).as("atomic through a $ref").isTrue();
    }

    @Test
    void propertiesSayHowGoWritesTheirZeroValues() {
        FieldSchema spec = schemas.definition("io.k8s.api.apps.v1.DeploymentSpec").orElseThrow();
        FieldSchema container = schemas.definition("io.k8s.api.core.v1.Container").orElseThrow();
        FieldSchema securityContext = schemas.definition("io.k8s.api.core.v1.SecurityContext").orElseThrow();
        FieldSchema meta = pod().property("metadata").orElseThrow();

        assertThat(zero(spec, "replicas")).as("*int32").isEqualTo(FieldSchema.ZeroValue.KEEP);
        assertThat(spec.property("replicas").orElseThrow().omitsZero()).isFalse();
        assertThat(zero(spec, "minReadySeconds")).as("int32,omitempty").isEqualTo(FieldSchema.ZeroValue.OMIT_ZERO);
        assertThat(spec.property("minReadySeconds").orElseThrow().omitsZero()).isTrue();
        assertThat(zero(spec, "paused")).as("bool,omitempty").isEqualTo(FieldSchema.ZeroValue.OMIT_ZERO);
        assertThat(zero(spec, "selector")).as("*LabelSelector without omitempty").isEqualTo(FieldSchema.ZeroValue.NULL);
        assertThat(zero(spec, "template")).as("struct").isEqualTo(FieldSchema.ZeroValue.WRITE);
        assertThat(zero(spec, "strategy")).as("struct,omitempty").isEqualTo(FieldSchema.ZeroValue.WRITE);
        assertThat(zero(container, "stdin")).isEqualTo(FieldSchema.ZeroValue.OMIT_ZERO);
        assertThat(zero(container, "name")).as("string without omitempty").isEqualTo(FieldSchema.ZeroValue.WRITE);
        assertThat(zero(container, "ports")).as("slice,omitempty").isEqualTo(FieldSchema.ZeroValue.OMIT_EMPTY);
        assertThat(zero(securityContext, "allowPrivilegeEscalation")).isEqualTo(FieldSchema.ZeroValue.KEEP);
        assertThat(zero(meta, "creationTimestamp")).as("Time is a struct").isEqualTo(FieldSchema.ZeroValue.WRITE);
        assertThat(zero(meta, "labels")).isEqualTo(FieldSchema.ZeroValue.OMIT_EMPTY);
        assertThat(zero(meta, "deletionTimestamp")).as("*Time").isEqualTo(FieldSchema.ZeroValue.KEEP);
        assertThat(zero(schemas.definition("io.k8s.api.core.v1.PersistentVolumeClaimSpec").orElseThrow(),
                "storageClassName")).as("*string").isEqualTo(FieldSchema.ZeroValue.KEEP);
        assertThat(pod().zeroValue()).as("a definition is no Go field").isEqualTo(FieldSchema.ZeroValue.KEEP);
        assertThat(container.property("ports").orElseThrow().items().zeroValue()).isEqualTo(FieldSchema.ZeroValue.KEEP);
    }

    private static FieldSchema.ZeroValue zero(FieldSchema object, String property) {
        return object.property(property).orElseThrow().zeroValue();
    }

    @Test
    void deploymentCarriesItsGroupVersionKind() {
        JsonNode deployment = schemas.rawDefinition("io.k8s.api.apps.v1.Deployment").orElseThrow();
        JsonNode gvk = deployment.get("x-kubernetes-group-version-kind");

        assertThat(gvk.isArray()).isTrue();
        assertThat(gvk.get(0).get("group").asString()).isEqualTo("apps");
        assertThat(gvk.get(0).get("version").asString()).isEqualTo("v1");
        assertThat(gvk.get(0).get("kind").asString()).isEqualTo("Deployment");
        assertThat(schemas.definitionName(new GroupVersionKind("apps", "v1", "Deployment")))
                .contains("io.k8s.api.apps.v1.Deployment");
    }

    @Test
    void everyServedKindHasADescribedSchema() {
        for (ResourceType r : BuiltinResources.list()) {
            if (r.serving() == ResourceType.Serving.METRICS) {
                continue; // measurements from nodes: no schema generated from k8s.io/api (kubectl top needs none)
            }
            FieldSchema s = schemas.forKind(r.gvk()).orElseThrow(() -> new AssertionError("no schema for " + r.gvk()));
            assertThat(s.description()).as(r.gvk().toString()).isNotBlank();
            assertThat(s.properties()).as(r.gvk().toString()).containsKeys("apiVersion", "kind", "metadata");
            if (r.supports("list")) {
                assertThat(schemas.forKind(new GroupVersionKind(r.group(), r.version(), r.listKind())))
                        .as(r.listKind()).isPresent();
            }
        }
        assertThat(schemas.forKind(new GroupVersionKind("autoscaling", "v1", "Scale"))).isPresent();
        assertThat(schemas.forKind(new GroupVersionKind("policy", "v1", "Eviction"))).isPresent();
        assertThat(schemas.forKind(new GroupVersionKind("", "v1", "Status"))).isPresent();
        assertThat(schemas.forKind(new GroupVersionKind("meta.k8s.io", "v1", "Table"))).isPresent();
        assertThat(schemas.forKind(new GroupVersionKind("apps", "v1", "DeleteOptions"))).isPresent();
        assertThat(schemas.forKind(new GroupVersionKind("authentication.k8s.io", "v1", "TokenRequest"))).isPresent();
    }

    @Test
    void everyRefResolvesAndEveryDefinitionIsDescribed() {
        List<String> dangling = new ArrayList<>();
        List<String> undescribed = new ArrayList<>();
        for (String name : schemas.definitionNames()) {
            JsonNode def = schemas.rawDefinition(name).orElseThrow();
            if (def.path("description").asString("").isBlank() && !name.endsWith(".Patch")) {
                undescribed.add(name);
            }
            collectDangling(def, dangling);
        }
        assertThat(dangling).isEmpty();
        assertThat(undescribed).isEmpty();
        assertThat(schemas.definitionNames()).hasSizeGreaterThan(300);
    }

    private void collectDangling(JsonNode n, List<String> out) {
        if (n.isObject() && n.has("$ref")) {
            String ref = n.get("$ref").asString();
            String name = ref.substring(ref.lastIndexOf('/') + 1);
            if (schemas.definition(name).isEmpty()) {
                out.add(ref);
            }
        }
        n.forEach(c -> collectDangling(c, out));
    }

    @Test
    void protobufFieldNumbersAreRecorded() {
        JsonNode podSpec = schemas.rawDefinition("io.k8s.api.core.v1.PodSpec").orElseThrow();
        assertThat(podSpec.get("properties").get("containers").get(BuiltinSchemas.PROTOBUF_EXTENSION).asInt())
                .isEqualTo(2);
        JsonNode volume = schemas.rawDefinition("io.k8s.api.core.v1.Volume").orElseThrow();
        assertThat(volume.get("properties").get("emptyDir").get(BuiltinSchemas.PROTOBUF_VIA_EXTENSION).asInt())
                .isEqualTo(2);
    }

    @Test
    void rawDefinitionsAreCopiesTheCallerOwns() {
        var copy = (tools.jackson.databind.node.ObjectNode) schemas.rawDefinition("io.k8s.api.core.v1.Pod").orElseThrow();
        copy.put("description", "changed");
        assertThat(schemas.rawDefinition("io.k8s.api.core.v1.Pod").orElseThrow().get("description").asString())
                .isNotEqualTo("changed");
    }
}
