package io.kubevisor.runtime.sandbox;

/** Optional ability: what a sandbox and its containers use. */
public interface SandboxStats {

    /**
     * @param cpuNanos     CPU time used since start, in nanoseconds
     * @param memoryBytes  memory in use (working set)
     */
    record Usage(long cpuNanos, long memoryBytes) {
    }

    Usage usage(Handle handle);
}
