package io.kubevisor.controllers.namespace;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.APIResource;
import io.fabric8.kubernetes.api.model.APIResourceBuilder;
import io.fabric8.kubernetes.api.model.APIResourceList;
import io.fabric8.kubernetes.api.model.APIResourceListBuilder;

class ResourceDiscoveryTest {

    private static APIResource resource(String name, String kind, boolean namespaced, String... verbs) {
        return new APIResourceBuilder().withName(name).withKind(kind).withNamespaced(namespaced).withVerbs(verbs)
                .build();
    }

    @Test
    void keepsNamespacedDeletableTopLevelTypesOnly() {
        APIResourceList core = new APIResourceListBuilder().withGroupVersion("v1").withResources(
                resource("namespaces", "Namespace", false, "create", "delete", "get", "list", "watch"),
                resource("namespaces/finalize", "Namespace", false, "update"),
                resource("pods", "Pod", true, "create", "delete", "deletecollection", "get", "list", "watch"),
                resource("pods/status", "Pod", true, "get", "patch", "update"),
                resource("bindings", "Binding", true, "create"),
                resource("configmaps", "ConfigMap", true, "delete", "get")).build();
        List<ApiResourceType> found = ResourceDiscovery.deletable("v1", core);
        assertThat(found).extracting(ApiResourceType::plural).containsExactly("pods", "configmaps");
        assertThat(found.get(0).supports("deletecollection")).isTrue();
        assertThat(found.get(1).supports("deletecollection")).isFalse();
        assertThat(found.get(1).supports("list")).isFalse();
    }

    @Test
    void namesTypesTheWayKubernetesPrintsThem() {
        APIResourceList apps = new APIResourceListBuilder().withGroupVersion("apps/v1").withResources(
                resource("deployments", "Deployment", true, "delete", "deletecollection", "list")).build();
        ApiResourceType deployments = ResourceDiscovery.deletable("apps/v1", apps).getFirst();
        assertThat(deployments.group()).isEqualTo("apps");
        assertThat(deployments.version()).isEqualTo("v1");
        assertThat(deployments.gvr()).isEqualTo("apps/v1, Resource=deployments");
        assertThat(deployments.resourceDotGroup()).isEqualTo("deployments.apps");
        assertThat(deployments.groupResource()).isEqualTo("deployments.apps");
        assertThat(deployments.context().getGroup()).isEqualTo("apps");
        assertThat(deployments.context().isNamespaceScoped()).isTrue();

        ApiResourceType pods = new ApiResourceType("", "v1", "pods", "Pod", java.util.Set.of("delete"));
        assertThat(pods.gvr()).isEqualTo("/v1, Resource=pods");
        assertThat(pods.resourceDotGroup()).isEqualTo("pods.");
        assertThat(pods.groupResource()).isEqualTo("pods");
        assertThat(pods.groupVersion()).isEqualTo("v1");
        assertThat(pods.isPods()).isTrue();
    }
}
