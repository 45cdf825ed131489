package io.kubevisor.api.resource;

import java.util.List;

import io.kubevisor.api.GroupVersionKind;

/**
 * One resource in one API version, as discovery describes it.
 *
 * @param gvk            group, version and kind of the objects
 * @param plural         URL segment and RBAC resource name ("pods")
 * @param singular       singular name ("pod")
 * @param namespaced     whether objects live in a namespace
 * @param verbs          RBAC verbs the resource supports, in discovery order
 * @param shortNames     kubectl aliases ("po")
 * @param categories     discovery categories ("all")
 * @param subresources   subresources served beside the main resource ("status", "scale")
 * @param storageName    the resource segment of the storage key; several versions (core and
 *                       events.k8s.io events) share one storage
 * @param serving        where answers come from: the store, a review computed per request, or
 *                       the nodes' measurements
 */
public record ResourceType(GroupVersionKind gvk, String plural, String singular, boolean namespaced,
                           List<String> verbs, List<String> shortNames, List<String> categories,
                           List<String> subresources, String storageName, Serving serving) {

    /** The closed set of ways a resource is served. */
    public enum Serving {
        /** Objects kept in the store. */
        STORED,
        /** Create-only reviews answered per request (authorization.k8s.io). */
        REVIEW,
        /** Read-only measurements gathered from nodes (metrics.k8s.io). */
        METRICS
    }

    /** A stored resource, or a review when it has no {@code get}. */
    public ResourceType(GroupVersionKind gvk, String plural, String singular, boolean namespaced, List<String> verbs,
                        List<String> shortNames, List<String> categories, List<String> subresources,
                        String storageName) {
        this(gvk, plural, singular, namespaced, verbs, shortNames, categories, subresources, storageName,
                verbs.contains("get") ? Serving.STORED : Serving.REVIEW);
    }

    /** The verbs of an ordinary stored resource. */
    public static final List<String> CRUD = List.of("create", "delete", "deletecollection", "get", "list", "patch",
            "update", "watch");

    /** The verbs of a virtual, create-only review resource. */
    public static final List<String> CREATE_ONLY = List.of("create");

    public ResourceType {
        verbs = List.copyOf(verbs);
        shortNames = List.copyOf(shortNames);
        categories = List.copyOf(categories);
        subresources = List.copyOf(subresources);
        storageName = storageName == null ? plural : storageName;
    }

    public String group() {
        return gvk.group();
    }

    public String version() {
        return gvk.version();
    }

    public String kind() {
        return gvk.kind();
    }

    public String apiVersion() {
        return gvk.apiVersion();
    }

    public String listKind() {
        return gvk.kind() + "List";
    }

    public boolean has(String subresource) {
        return subresources.contains(subresource);
    }

    public boolean supports(String verb) {
        return verbs.contains(verb);
    }

    /** Whether objects are kept in the store (reviews and metrics are not). */
    public boolean stored() {
        return serving == Serving.STORED;
    }

    /** {@code plural} or {@code plural.group}: how errors and RBAC messages name the resource. */
    public String qualifiedName() {
        return gvk.group().isEmpty() ? plural : plural + "." + gvk.group();
    }
}
