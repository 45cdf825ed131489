package io.kubevisor.api.table;

import java.util.Map;

import io.kubevisor.api.GroupVersionKind;

/**
 * The printer for each built-in kind, with the columns of Kubernetes' own server-side printing
 * (as of 1.32/1.33). Immutable; safe to share.
 */
public final class TablePrinters {

    private static final String RBAC = "rbac.authorization.k8s.io";
    private static final TablePrinter DEFAULT = ClusterPrinters.defaults();

    private static final Map<GroupVersionKind, TablePrinter> PRINTERS = Map.ofEntries(
            Map.entry(core("Pod"), new PodPrinter()),
            Map.entry(core("Namespace"), CorePrinters.namespaces()),
            Map.entry(core("ConfigMap"), CorePrinters.configMaps()),
            Map.entry(core("Secret"), CorePrinters.secrets()),
            Map.entry(core("ServiceAccount"), CorePrinters.serviceAccounts()),
            Map.entry(core("Event"), EventPrinter.core()),
            Map.entry(new GroupVersionKind("events.k8s.io", "v1", "Event"), EventPrinter.eventsV1()),
            Map.entry(core("Node"), CorePrinters.nodes()),
            Map.entry(core("Service"), CorePrinters.services()),
            Map.entry(core("Endpoints"), CorePrinters.endpoints()),
            Map.entry(core("PersistentVolumeClaim"), CorePrinters.persistentVolumeClaims()),
            Map.entry(core("ResourceQuota"), CorePrinters.resourceQuotas()),
            Map.entry(apps("Deployment"), WorkloadPrinters.deployments()),
            Map.entry(apps("ReplicaSet"), WorkloadPrinters.replicaSets()),
            Map.entry(apps("StatefulSet"), WorkloadPrinters.statefulSets()),
            Map.entry(apps("DaemonSet"), WorkloadPrinters.daemonSets()),
            Map.entry(new GroupVersionKind("batch", "v1", "Job"), WorkloadPrinters.jobs()),
            Map.entry(new GroupVersionKind("batch", "v1", "CronJob"), WorkloadPrinters.cronJobs()),
            Map.entry(new GroupVersionKind("coordination.k8s.io", "v1", "Lease"), ClusterPrinters.leases()),
            Map.entry(new GroupVersionKind(RBAC, "v1", "RoleBinding"), ClusterPrinters.bindings("roleBinding")),
            Map.entry(new GroupVersionKind(RBAC, "v1", "ClusterRoleBinding"),
                    ClusterPrinters.bindings("clusterRoleBinding")),
            Map.entry(new GroupVersionKind("discovery.k8s.io", "v1", "EndpointSlice"),
                    ClusterPrinters.endpointSlices()));

    private TablePrinters() {
    }

    /**
     * The printer for a kind. Kinds Kubernetes prints with its generic table (roles, cluster
     * roles, limit ranges, custom resources, anything unknown) get {@link #defaultPrinter()}.
     */
    public static TablePrinter forKind(GroupVersionKind gvk) {
        return PRINTERS.getOrDefault(gvk, DEFAULT);
    }

    /** Kubernetes' generic table: Name and Created At (an RFC 3339 date). */
    public static TablePrinter defaultPrinter() {
        return DEFAULT;
    }

    private static GroupVersionKind core(String kind) {
        return new GroupVersionKind("", "v1", kind);
    }

    private static GroupVersionKind apps(String kind) {
        return new GroupVersionKind("apps", "v1", kind);
    }
}
