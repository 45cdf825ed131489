package io.kubevisor.apiserver.auth.node;

import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Which Node labels a node may set on itself, as Kubernetes' NodeRestriction decides: none under
 * {@value #RESTRICTED} (labels administrators use to steer sensitive workloads to trusted nodes),
 * and of the {@code kubernetes.io} and {@code k8s.io} label namespaces only the kubelet's own
 * labels (hostname, os, arch, zone, region, instance type, and the {@code kubelet.kubernetes.io}
 * and {@code node.kubernetes.io} namespaces). Stateless.
 */
public final class NodeLabels {

    /** The label namespace reserved for administrators. */
    public static final String RESTRICTED = "node-restriction.kubernetes.io";

    private static final Set<String> KUBELET_LABELS = Set.of("kubernetes.io/hostname",
            "topology.kubernetes.io/zone", "topology.kubernetes.io/region",
            "failure-domain.beta.kubernetes.io/zone", "failure-domain.beta.kubernetes.io/region",
            "beta.kubernetes.io/instance-type", "node.kubernetes.io/instance-type",
            "kubernetes.io/os", "kubernetes.io/arch", "beta.kubernetes.io/os", "beta.kubernetes.io/arch");
    private static final Set<String> KUBELET_NAMESPACES = Set.of("kubelet.kubernetes.io", "node.kubernetes.io");

    private NodeLabels() {
    }

    /**
     * The keys a node may not add, remove or change, among those that differ between
     * {@code after} and {@code before} (null or empty before a create), sorted.
     */
    public static SortedSet<String> forbiddenChanges(Map<String, String> after, Map<String, String> before) {
        Map<String, String> b = before == null ? Map.of() : before;
        Set<String> changed = new HashSet<>();
        after.forEach((k, v) -> {
            if (!Objects.equals(v, b.get(k))) {
                changed.add(k);
            }
        });
        b.forEach((k, v) -> {
            if (!Objects.equals(v, after.get(k))) {
                changed.add(k);
            }
        });
        SortedSet<String> forbidden = new TreeSet<>();
        for (String key : changed) {
            String ns = namespace(key);
            if (within(ns, RESTRICTED) || (within(ns, "kubernetes.io") || within(ns, "k8s.io")) && !kubelets(key)) {
                forbidden.add(key);
            }
        }
        return forbidden;
    }

    private static boolean kubelets(String key) {
        if (KUBELET_LABELS.contains(key)) {
            return true;
        }
        String ns = namespace(key);
        return KUBELET_NAMESPACES.stream().anyMatch(allowed -> within(ns, allowed));
    }

    /** Whether a label namespace is {@code domain} or a subdomain of it. */
    private static boolean within(String ns, String domain) {
        return ns.equals(domain) || ns.endsWith("." + domain);
    }

    /** The part of a label key before "/", or "". */
    private static String namespace(String key) {
        int slash = key.indexOf('/');
        return slash < 0 ? "" : key.substring(0, slash);
    }
}
