package io.kubevisor.runtime.sandbox;

/**
 * Limits for a sandbox or container, enforced through cgroups.
 *
 * @param cpuMillis    CPU limit in millicores (0: none)
 * @param cpuShares    relative CPU weight from requests (0: default)
 * @param memoryBytes  memory limit (0: none)
 * @param pids         process limit counting host threads (0: none)
 */
public record Resources(long cpuMillis, long cpuShares, long memoryBytes, long pids) {

    public static Resources none() {
        return new Resources(0, 0, 0, 0);
    }
}
