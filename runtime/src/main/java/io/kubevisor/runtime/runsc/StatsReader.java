package io.kubevisor.runtime.runsc;

import io.kubevisor.api.Json;
import io.kubevisor.runtime.sandbox.SandboxStats;
import tools.jackson.databind.JsonNode;

/**
 * Usage numbers: per container from {@code runsc events --stats} (CPU is per container; memory
 * is the sandbox's, as gVisor reports one figure for all), per sandbox from its host cgroup
 * (cpuacct.usage, and memory usage minus inactive file cache).
 */
final class StatsReader {

    private final Runsc runsc;
    private final HostCgroups cgroups;

    StatsReader(Runsc runsc, HostCgroups cgroups) {
        this.runsc = runsc;
        this.cgroups = cgroups;
    }

    SandboxStats.Usage sandbox(SandboxRecord sandbox) {
        long cpu = cgroups.read("cpuacct", sandbox.cgroupPath(), "cpuacct.usage").orElse(0);
        return new SandboxStats.Usage(cpu, cgroups.memoryWorkingSet(sandbox.cgroupPath()));
    }

    /** Zeros for a container that does not run. */
    SandboxStats.Usage container(SandboxRecord sandbox, ContainerEntry entry) {
        if (entry.isExited()) {
            return new SandboxStats.Usage(0, 0);
        }
        var r = runsc.run(sandbox.network(), Runsc.SHORT, "events", "--stats", entry.record().id());
        if (!r.ok()) {
            return new SandboxStats.Usage(0, 0);
        }
        try {
            JsonNode data = Json.MAPPER.readTree(r.out().strip()).path("data");
            long cpu = data.path("cpu").path("usage").path("total").asLong(0);
            long mem = data.path("memory").path("usage").path("usage").asLong(0);
            return new SandboxStats.Usage(cpu, mem);
        } catch (RuntimeException e) {
            return new SandboxStats.Usage(0, 0);
        }
    }
}
