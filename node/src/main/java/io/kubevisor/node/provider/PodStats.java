package io.kubevisor.node.provider;

import java.time.Instant;
import java.util.List;

/** Optional ability: resource usage, for {@code /stats/summary}, metrics.k8s.io and metering. */
public interface PodStats {

    /** One container's usage at one instant. */
    record ContainerUsage(String name, long cpuUsageNanoCores, long cpuUsageCoreNanoSeconds, long memoryWorkingSetBytes) {
    }

    /** One pod's usage: its containers and the sandbox as a whole. */
    record PodUsage(PodRef pod, Instant time, long cpuUsageNanoCores, long cpuUsageCoreNanoSeconds,
                    long memoryWorkingSetBytes, List<ContainerUsage> containers) {
    }

    /** Usage of every running pod now. */
    List<PodUsage> usage();
}
