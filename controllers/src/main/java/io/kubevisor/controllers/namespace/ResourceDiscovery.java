package io.kubevisor.controllers.namespace;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.fabric8.kubernetes.api.model.APIGroup;
import io.fabric8.kubernetes.api.model.APIResource;
import io.fabric8.kubernetes.api.model.APIResourceList;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kubevisor.controllers.Failures;

/**
 * Finds, through the API's discovery, every namespaced resource type that can be deleted: the
 * preferred version of each group, subresources left out. Asked afresh on every call, so types
 * added to the server are seen on the next sweep. Stateless and thread-safe.
 */
final class ResourceDiscovery {

    /**
     * What discovery found.
     *
     * @param resources         deletable namespaced types, core first then groups in server order
     * @param discoveryError    why some groups could not be listed, or null
     * @param groupVersionError why some group versions could not be parsed, or null
     */
    record Found(List<ApiResourceType> resources, String discoveryError, String groupVersionError) {
    }

    private ResourceDiscovery() {
    }

    /** Asks the server. Failures of single groups are reported in the result, not thrown. */
    static Found discover(KubernetesClient client) {
        List<ApiResourceType> out = new ArrayList<>();
        Map<String, String> failedGroups = new TreeMap<>();
        List<String> unparsable = new ArrayList<>();
        List<String> groupVersions = new ArrayList<>();
        groupVersions.add("v1");
        try {
            for (APIGroup g : client.getApiGroups().getGroups()) {
                if (g.getPreferredVersion() != null && g.getPreferredVersion().getGroupVersion() != null) {
                    groupVersions.add(g.getPreferredVersion().getGroupVersion());
                } else if (g.getVersions() != null && !g.getVersions().isEmpty()) {
                    groupVersions.add(g.getVersions().getFirst().getGroupVersion());
                }
            }
        } catch (RuntimeException e) {
            failedGroups.put("apis", Failures.describe(e));
        }
        for (String gv : groupVersions) {
            if (gv == null || gv.split("/", -1).length > 2) {
                unparsable.add("unexpected GroupVersion string: " + gv);
                continue;
            }
            try {
                APIResourceList list = client.getApiResources(gv);
                if (list == null) {
                    failedGroups.put(gv, "the server could not find the requested resource");
                } else {
                    out.addAll(deletable(gv, list));
                }
            } catch (RuntimeException e) {
                failedGroups.put(gv, Failures.describe(e));
            }
        }
        String discoveryError = null;
        if (!failedGroups.isEmpty()) {
            List<String> parts = new ArrayList<>();
            failedGroups.forEach((gv, msg) -> parts.add(gv + ": " + msg));
            discoveryError = "Discovery failed for some groups, " + failedGroups.size() + " failing: "
                    + "unable to retrieve the complete list of server APIs: " + String.join(", ", parts);
        }
        return new Found(out, discoveryError, unparsable.isEmpty() ? null : String.join(", ", unparsable));
    }

    /** The namespaced, deletable, top-level types of one discovery document. */
    static List<ApiResourceType> deletable(String groupVersion, APIResourceList list) {
        int slash = groupVersion.indexOf('/');
        String group = slash < 0 ? "" : groupVersion.substring(0, slash);
        String version = groupVersion.substring(slash + 1);
        List<ApiResourceType> out = new ArrayList<>();
        for (APIResource r : list.getResources()) {
            if (r.getName() == null || r.getName().contains("/") || !Boolean.TRUE.equals(r.getNamespaced())
                    || r.getVerbs() == null || !r.getVerbs().contains("delete")) {
                continue;
            }
            out.add(new ApiResourceType(group, version, r.getName(), r.getKind(), new HashSet<>(r.getVerbs())));
        }
        return out;
    }
}
