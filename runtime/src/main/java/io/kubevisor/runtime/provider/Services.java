package io.kubevisor.runtime.provider;

import java.time.Clock;

/**
 * The collaborators every pod worker shares, wired once by {@link GvisorProvider}.
 *
 * @param node the node's facts pods see (hostIP, allocatable)
 */
record Services(GvisorProviderConfig config, PodLayout layout, PodStore store, ImagePulls pulls,
                ContainerSpecs specs, PodVolumes volumes, ProbeActions probes, EventSink events, NodeFacts node) {

    Clock clock() {
        return config.clock();
    }

    /** The downward API context of a pod with this IP. */
    FieldRefs.Context context(String podIp) {
        return new FieldRefs.Context(podIp, node.hostIp(), node.allocatable());
    }
}
