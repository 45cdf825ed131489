package io.kubevisor.runtime.sandbox;

import java.time.Duration;
import java.util.List;

/**
 * A VM-container runtime: one sandbox (its own kernel: gVisor here, a microVM where KVM exists)
 * per pod, holding the pod's containers. The gVisor provider drives it; it knows nothing of
 * Kubernetes objects. Optional abilities: {@link SandboxExec}, {@link SandboxStats},
 * {@link SandboxCheckpoint}.
 *
 * <p>Blocking and thread-safe; ids are fixed-length lowercase hex (runsc matches id prefixes).
 */
public interface SandboxRuntime {

    /** The runtime's name and version, e.g. "runsc://0.0~20221219.0". */
    String version();

    /**
     * Creates and starts a pod sandbox in the spec's network namespace and cgroup. Idempotent by
     * id: an existing sandbox is returned as it is.
     */
    SandboxHandle startSandbox(SandboxSpec spec);

    /**
     * Creates and starts a container in a sandbox. Its stdout and stderr go to the spec's log file
     * in CRI format. Idempotent by id.
     */
    ContainerHandle startContainer(SandboxHandle sandbox, ContainerSpec spec);

    /**
     * Optionally does ahead the part of {@link #startContainer} that needs nothing running (as the
     * CRI's CreateContainer before StartContainer), so that a caller can overlap it with other
     * work; the {@code startContainer} of the same spec that follows then only starts it. A
     * prepared container that is not to start is removed like any other. Idempotent by id; the
     * default does nothing.
     */
    default void prepareContainer(SandboxHandle sandbox, ContainerSpec spec) {
    }

    /**
     * Stops a container: SIGTERM, then SIGKILL after {@code grace}. Returns once it has exited.
     * Idempotent.
     */
    void stopContainer(ContainerHandle container, Duration grace);

    /** The container's state now. */
    ContainerState state(ContainerHandle container);

    /** Removes a container (stopped first if needed), or the sandbox with all its containers. */
    void remove(Handle handle);

    /** Sandboxes and containers that exist, including ones from before a restart of the agent. */
    List<SandboxHandle> sandboxes();

    /**
     * Whether the sandbox itself still runs (its kernel), so that containers can start in it. A
     * sandbox whose kernel died (e.g. the host OOM killer stopped it) must be removed and started
     * anew. The default suits runtimes whose sandboxes never die on their own.
     */
    default boolean sandboxAlive(SandboxHandle sandbox) {
        return sandboxes().stream().anyMatch(s -> s.id().equals(sandbox.id()));
    }
}
