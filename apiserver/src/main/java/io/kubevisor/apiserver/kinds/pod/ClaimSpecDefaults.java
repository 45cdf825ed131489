package io.kubevisor.apiserver.kinds.pod;

import io.kubevisor.apiserver.kinds.quantity.ResourceLists;
import io.kubevisor.apiserver.kinds.support.Nodes;
import tools.jackson.databind.node.ObjectNode;

/**
 * Defaults of a PersistentVolumeClaimSpec, shared by claims, ephemeral volumes and StatefulSet
 * claim templates: volumeMode Filesystem and canonical quantities.
 */
public final class ClaimSpecDefaults {

    private ClaimSpecDefaults() {
    }

    /**
     * Applies the defaults to a claim spec.
     *
     * @throws io.kubevisor.apiserver.kinds.quantity.QuantityFormatException for malformed quantities
     */
    public static void apply(ObjectNode spec) {
        Nodes.defaultText(spec, "volumeMode", "Filesystem");
        if (Nodes.objectOrNull(spec, "resources") instanceof ObjectNode res) {
            ResourceLists.canonicalize(res, "requests");
            ResourceLists.canonicalize(res, "limits");
        }
    }
}
