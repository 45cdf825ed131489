package io.kubevisor.controllers.namespace;

import java.util.Set;

import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;

/**
 * One resource type as the API's discovery describes it.
 *
 * @param group   API group, empty for core
 * @param version API version
 * @param plural  resource name, e.g. {@code configmaps}
 * @param kind    e.g. {@code ConfigMap}
 * @param verbs   the verbs discovery lists for it
 */
record ApiResourceType(String group, String version, String plural, String kind, Set<String> verbs) {

    ApiResourceType {
        verbs = Set.copyOf(verbs);
    }

    boolean supports(String verb) {
        return verbs.contains(verb);
    }

    boolean isPods() {
        return group.isEmpty() && plural.equals("pods");
    }

    /** {@code v1} or {@code apps/v1}. */
    String groupVersion() {
        return group.isEmpty() ? version : group + "/" + version;
    }

    /** As Kubernetes prints a GroupVersionResource in errors: {@code apps/v1, Resource=deployments}, {@code /v1, Resource=pods}. */
    String gvr() {
        return group + "/" + version + ", Resource=" + plural;
    }

    /** {@code configmaps} or {@code deployments.apps}, as Kubernetes prints a GroupResource. */
    String groupResource() {
        return group.isEmpty() ? plural : plural + "." + group;
    }

    /** As Kubernetes names a resource in namespace conditions: {@code deployments.apps}, {@code pods.} (sic). */
    String resourceDotGroup() {
        return plural + "." + group;
    }

    /** The fabric8 context for generic operations on this type in a namespace. */
    ResourceDefinitionContext context() {
        return new ResourceDefinitionContext.Builder()
                .withGroup(group)
                .withVersion(version)
                .withPlural(plural)
                .withKind(kind)
                .withNamespaced(true)
                .build();
    }
}
