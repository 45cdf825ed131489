package io.kubevisor.api.openapi;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.kubevisor.api.GroupVersionKind;
import io.kubevisor.api.Json;
import io.kubevisor.api.resource.BuiltinResources;
import io.kubevisor.api.resource.ResourceCatalog;
import io.kubevisor.api.resource.ResourceType;
import tools.jackson.databind.JsonNode;

class OpenApiV3Test {

    private final ResourceCatalog catalog = BuiltinResources.catalog();

    private JsonNode doc(String group, String version) {
        return Json.parse(OpenApiV3.document(catalog, group, version));
    }

    @Test
    void indexListsEveryGroupVersionWithTheHashOfItsDocument() {
        JsonNode index = Json.parse(OpenApiV3.index(catalog));

        List<String> expected = new ArrayList<>();
        for (String g : catalog.groups()) {
            for (String v : catalog.versions(g)) {
                expected.add(OpenApiV3.prefix(g, v));
                String url = index.get("paths").get(OpenApiV3.prefix(g, v)).get("serverRelativeURL").asString();
                assertThat(url).isEqualTo("/openapi/v3/" + OpenApiV3.prefix(g, v) + "?hash="
                        + OpenApiV3.hash(OpenApiV3.document(catalog, g, v)));
            }
        }
        assertThat(index.get("paths").propertyNames()).containsExactlyInAnyOrderElementsOf(expected)
                .contains("api/v1", "apis/apps/v1", "apis/rbac.authorization.k8s.io/v1");
    }

    @Test
    void documentsAreStable() {
        assertThat(OpenApiV3.document(catalog, "apps", "v1")).isEqualTo(OpenApiV3.document(catalog, "apps", "v1"));
    }

    @Test
    void everyPatchableKindHasAPatchOperationWithFieldValidationAndItsGvk() {
        for (String g : catalog.groups()) {
            for (String v : catalog.versions(g)) {
                JsonNode paths = doc(g, v).get("paths");
                for (ResourceType r : catalog.resources(g, v)) {
                    if (!r.supports("patch")) {
                        continue;
                    }
                    String item = "/" + OpenApiV3.prefix(g, v) + (r.namespaced() ? "/namespaces/{namespace}/" : "/")
                            + r.plural() + "/{name}";
                    JsonNode patch = paths.path(item).path("patch");
                    assertThat(patch.isObject()).as(item).isTrue();
                    assertThat(patch.get("x-kubernetes-action").asString()).isEqualTo("patch");
                    JsonNode gvk = patch.get("x-kubernetes-group-version-kind");
                    assertThat(GroupVersionKind.of(g.isEmpty() ? v : g + "/" + v, gvk.get("kind").asString()))
                            .isEqualTo(r.gvk());
                    assertThat(gvk.get("group").asString()).isEqualTo(g);
                    assertThat(patch.get("parameters")).extracting(p -> p.get("name").asString())
                            .contains("fieldValidation", "fieldManager", "dryRun", "force");
                    assertThat(patch.get("requestBody").get("content").propertyNames())
                            .contains("application/strategic-merge-patch+json", "application/apply-patch+yaml");
                }
            }
        }
    }

    @Test
    void pathsFollowKubernetesLayout() {
        JsonNode paths = doc("apps", "v1").get("paths");

        assertThat(paths.propertyNames()).contains("/apis/apps/v1/namespaces/{namespace}/deployments",
                "/apis/apps/v1/namespaces/{namespace}/deployments/{name}", "/apis/apps/v1/deployments",
                "/apis/apps/v1/namespaces/{namespace}/deployments/{name}/status",
                "/apis/apps/v1/namespaces/{namespace}/deployments/{name}/scale");
        JsonNode coll = paths.get("/apis/apps/v1/namespaces/{namespace}/deployments");
        assertThat(coll.get("get").get("operationId").asString()).isEqualTo("listAppsV1NamespacedDeployment");
        assertThat(coll.get("post").get("x-kubernetes-action").asString()).isEqualTo("post");
        assertThat(coll.get("post").get("parameters")).extracting(p -> p.get("name").asString())
                .containsExactly("dryRun", "fieldManager", "fieldValidation");
        assertThat(coll.get("delete").get("x-kubernetes-action").asString()).isEqualTo("deletecollection");
        JsonNode scale = paths.get("/apis/apps/v1/namespaces/{namespace}/deployments/{name}/scale").get("patch");
        assertThat(scale.get("x-kubernetes-group-version-kind").get("group").asString()).isEqualTo("autoscaling");
        assertThat(scale.get("responses").get("200").get("content").get("application/json").get("schema")
                .get("$ref").asString()).isEqualTo("#/components/schemas/io.k8s.api.autoscaling.v1.Scale");

        JsonNode core = doc("", "v1").get("paths");
        assertThat(core.propertyNames()).contains("/api/v1/namespaces/{name}", "/api/v1/namespaces/{namespace}/pods",
                "/api/v1/pods");
        assertThat(core.propertyNames()).doesNotContain("/api/v1/namespaces/{namespace}/namespaces");
        JsonNode authz = doc("authorization.k8s.io", "v1").get("paths");
        assertThat(authz.get("/apis/authorization.k8s.io/v1/selfsubjectaccessreviews").propertyNames())
                .containsExactlyInAnyOrder("post", "parameters");
    }

    @Test
    void schemasFollowKubernetesV3Conventions() {
        JsonNode schemas = doc("", "v1").get("components").get("schemas");

        JsonNode pod = schemas.get("io.k8s.api.core.v1.Pod");
        assertThat(pod.get("x-kubernetes-group-version-kind").isArray()).isTrue();
        assertThat(pod.get("description").asString()).isNotBlank();
        JsonNode metadata = pod.get("properties").get("metadata");
        assertThat(metadata.has("$ref")).isFalse();
        assertThat(metadata.get("allOf").get(0).get("$ref").asString())
                .isEqualTo("#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta");
        assertThat(metadata.get("description").asString()).isNotBlank();
        JsonNode limits = schemas.get("io.k8s.api.core.v1.ResourceRequirements").get("properties").get("limits");
        assertThat(limits.get("additionalProperties").get("$ref").asString())
                .as("a bare ref stays bare").endsWith("resource.Quantity");
        JsonNode quantity = schemas.get("io.k8s.apimachinery.pkg.api.resource.Quantity");
        assertThat(quantity.get("oneOf")).extracting(t -> t.get("type").asString()).containsExactly("string", "number");
        assertThat(Json.string(schemas)).doesNotContain("x-kubevisor").doesNotContain("#/definitions/");
    }

    @Test
    void everyRefResolvesAndEveryKindIsThere() {
        for (String g : catalog.groups()) {
            for (String v : catalog.versions(g)) {
                JsonNode doc = doc(g, v);
                JsonNode schemas = doc.get("components").get("schemas");
                List<String> refs = new ArrayList<>();
                collectRefs(doc, refs);
                assertThat(refs).isNotEmpty();
                for (String ref : refs) {
                    assertThat(schemas.has(ref.substring("#/components/schemas/".length()))).as(ref).isTrue();
                }
                for (ResourceType r : catalog.resources(g, v)) {
                    assertThat(kindsIn(schemas)).contains(r.gvk());
                }
            }
        }
    }

    @Test
    void kindsWithoutBuiltinSchemaGetAnOpenSchema() {
        GroupVersionKind tenant = new GroupVersionKind("tenancy.kubevisor.io", "v1alpha1", "Tenant");
        ResourceCatalog withTenant = new ResourceCatalog(List.of(new ResourceType(tenant, "tenants", "tenant", false,
                ResourceType.CRUD, List.of(), List.of(), List.of("status"), "tenants")));

        JsonNode doc = Json.parse(OpenApiV3.document(withTenant, "tenancy.kubevisor.io", "v1alpha1"));

        JsonNode schema = doc.get("components").get("schemas").get("io.kubevisor.tenancy.v1alpha1.Tenant");
        assertThat(schema.get("x-kubernetes-preserve-unknown-fields").asBoolean()).isTrue();
        assertThat(kindsIn(doc.get("components").get("schemas"))).contains(tenant);
        assertThat(doc.get("paths").get("/apis/tenancy.kubevisor.io/v1alpha1/tenants/{name}").has("patch")).isTrue();
        List<String> refs = new ArrayList<>();
        collectRefs(doc, refs);
        refs.forEach(ref -> assertThat(doc.get("components").get("schemas")
                .has(ref.substring("#/components/schemas/".length()))).as(ref).isTrue());
        assertThat(Json.parse(OpenApiV3.index(withTenant)).get("paths").propertyNames())
                .containsExactly("apis/tenancy.kubevisor.io/v1alpha1");
    }

    static List<GroupVersionKind> kindsIn(JsonNode schemas) {
        List<GroupVersionKind> out = new ArrayList<>();
        schemas.forEach(s -> s.path("x-kubernetes-group-version-kind").forEach(g -> out.add(new GroupVersionKind(
                g.get("group").asString(), g.get("version").asString(), g.get("kind").asString()))));
        return out;
    }

    static void collectRefs(JsonNode n, List<String> out) {
        if (n.isObject() && n.has("$ref")) {
            out.add(n.get("$ref").asString());
        }
        n.forEach(c -> collectRefs(c, out));
    }
}
