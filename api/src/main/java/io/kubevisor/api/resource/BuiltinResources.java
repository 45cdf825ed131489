package io.kubevisor.api.resource;

import java.util.ArrayList;
import java.util.List;

import io.kubevisor.api.GroupVersionKind;

/**
 * The built-in Kubernetes resources Kubevisor serves, with the names, aliases and categories
 * kubectl users know.
 */
public final class BuiltinResources {

    private BuiltinResources() {
    }

    public static ResourceCatalog catalog() {
        return new ResourceCatalog(list());
    }

    public static List<ResourceType> list() {
        List<ResourceType> r = new ArrayList<>();
        // core/v1
        r.add(cluster("", "v1", "Namespace", "namespaces", List.of("ns"), List.of(), List.of("status", "finalize")));
        r.add(ns("", "v1", "Pod", "pods", List.of("po"), List.of("all"), List.of("status", "binding", "log", "exec", "attach", "portforward")));
        r.add(new ResourceType(new GroupVersionKind("", "v1", "Binding"), "bindings", "binding", true,
                ResourceType.CREATE_ONLY, List.of(), List.of(), List.of(), "bindings", ResourceType.Serving.REVIEW));
        r.add(ns("", "v1", "ConfigMap", "configmaps", List.of("cm"), List.of(), List.of()));
        r.add(ns("", "v1", "Secret", "secrets", List.of(), List.of(), List.of()));
        r.add(ns("", "v1", "ServiceAccount", "serviceaccounts", List.of("sa"), List.of(), List.of()));
        r.add(ns("", "v1", "Event", "events", List.of("ev"), List.of(), List.of()));
        r.add(cluster("", "v1", "Node", "nodes", List.of("no"), List.of(), List.of("status")));
        r.add(ns("", "v1", "Service", "services", List.of("svc"), List.of("all"), List.of("status")));
        r.add(ns("", "v1", "Endpoints", "endpoints", List.of("ep"), List.of(), List.of()));
        r.add(ns("", "v1", "LimitRange", "limitranges", List.of("limits"), List.of(), List.of()));
        r.add(ns("", "v1", "ResourceQuota", "resourcequotas", List.of("quota"), List.of(), List.of("status")));
        r.add(ns("", "v1", "PersistentVolumeClaim", "persistentvolumeclaims", List.of("pvc"), List.of(), List.of("status")));
        // apps/v1
        r.add(ns("apps", "v1", "Deployment", "deployments", List.of("deploy"), List.of("all"), List.of("status", "scale")));
        r.add(ns("apps", "v1", "ReplicaSet", "replicasets", List.of("rs"), List.of("all"), List.of("status", "scale")));
        r.add(ns("apps", "v1", "StatefulSet", "statefulsets", List.of("sts"), List.of("all"), List.of("status", "scale")));
        r.add(ns("apps", "v1", "DaemonSet", "daemonsets", List.of("ds"), List.of("all"), List.of("status")));
        // events.k8s.io/v1 shares storage with core/v1 events
        r.add(new ResourceType(new GroupVersionKind("events.k8s.io", "v1", "Event"), "events", "event", true,
                ResourceType.CRUD, List.of("ev"), List.of(), List.of(), "events"));
        // authorization.k8s.io/v1: virtual, create-only reviews
        String authz = "authorization.k8s.io";
        r.add(review(authz, "SelfSubjectAccessReview", "selfsubjectaccessreviews", false));
        r.add(review(authz, "SelfSubjectRulesReview", "selfsubjectrulesreviews", false));
        r.add(review(authz, "SubjectAccessReview", "subjectaccessreviews", false));
        r.add(review(authz, "LocalSubjectAccessReview", "localsubjectaccessreviews", true));
        // batch/v1
        r.add(ns("batch", "v1", "Job", "jobs", List.of(), List.of("all"), List.of("status")));
        r.add(ns("batch", "v1", "CronJob", "cronjobs", List.of("cj"), List.of("all"), List.of("status")));
        // rbac.authorization.k8s.io/v1
        String rbac = "rbac.authorization.k8s.io";
        r.add(ns(rbac, "v1", "Role", "roles", List.of(), List.of(), List.of()));
        r.add(ns(rbac, "v1", "RoleBinding", "rolebindings", List.of(), List.of(), List.of()));
        r.add(cluster(rbac, "v1", "ClusterRole", "clusterroles", List.of(), List.of(), List.of()));
        r.add(cluster(rbac, "v1", "ClusterRoleBinding", "clusterrolebindings", List.of(), List.of(), List.of()));
        // coordination.k8s.io/v1
        r.add(ns("coordination.k8s.io", "v1", "Lease", "leases", List.of(), List.of(), List.of()));
        // discovery.k8s.io/v1
        r.add(ns("discovery.k8s.io", "v1", "EndpointSlice", "endpointslices", List.of(), List.of(), List.of()));
        // metrics.k8s.io/v1beta1: usage measured by the nodes (kubectl top)
        r.add(new ResourceType(new GroupVersionKind("metrics.k8s.io", "v1beta1", "PodMetrics"), "pods", "", true,
                List.of("get", "list"), List.of(), List.of(), List.of(), "metrics-pods", ResourceType.Serving.METRICS));
        r.add(new ResourceType(new GroupVersionKind("metrics.k8s.io", "v1beta1", "NodeMetrics"), "nodes", "", false,
                List.of("get", "list"), List.of(), List.of(), List.of(), "metrics-nodes", ResourceType.Serving.METRICS));
        return r;
    }

    private static ResourceType ns(String group, String version, String kind, String plural, List<String> shortNames,
                                   List<String> categories, List<String> subresources) {
        return new ResourceType(new GroupVersionKind(group, version, kind), plural, kind.toLowerCase(), true,
                ResourceType.CRUD, shortNames, categories, subresources, plural);
    }

    private static ResourceType cluster(String group, String version, String kind, String plural,
                                        List<String> shortNames, List<String> categories, List<String> subresources) {
        List<String> verbs = kind.equals("Namespace")
                ? List.of("create", "delete", "get", "list", "patch", "update", "watch")
                : ResourceType.CRUD;
        return new ResourceType(new GroupVersionKind(group, version, kind), plural, kind.toLowerCase(), false,
                verbs, shortNames, categories, subresources, plural);
    }

    private static ResourceType review(String group, String kind, String plural, boolean namespaced) {
        return new ResourceType(new GroupVersionKind(group, "v1", kind), plural, kind.toLowerCase(), namespaced,
                ResourceType.CREATE_ONLY, List.of(), List.of(), List.of(), plural);
    }
}
