package io.kubevisor.node.provider;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodStatus;

/**
 * Runs the pods bound to one node on some substrate: local VM containers (the gVisor provider),
 * or another Kubernetes API (the cluster provider). The node agent calls it; it never calls the
 * API server itself. Optional abilities (logs, exec, attach, port-forward, stats) are separate
 * interfaces a provider may also implement ({@link ContainerLogs}, {@link ContainerExec},
 * {@link PortForwarder}, {@link PodStats}).
 *
 * <p>Methods may block and are called from virtual threads, possibly concurrently for different
 * pods but never concurrently for the same pod. Pods passed in are the agent's; providers copy
 * what they keep.
 */
public interface PodProvider {

    /**
     * Starts a pod: its sandbox, then init containers in order, then its containers. Idempotent:
     * a pod the provider already runs (same uid) is left alone. Returns once the pod is set up or
     * has failed; failures of the pod itself (image pull, crash) are reported through its status,
     * not thrown.
     *
     * @throws ProviderException when the substrate itself fails (the agent retries with backoff)
     */
    void createPod(Pod pod);

    /** Applies what may change in a running pod (container images, activeDeadlineSeconds). */
    void updatePod(Pod pod);

    /**
     * Stops a pod: SIGTERM to its containers, SIGKILL once the grace period has passed, then
     * removes its sandbox and resources. Idempotent; a pod not running is fine.
     */
    void deletePod(PodRef pod, Duration gracePeriod);

    /** The status of a pod the provider runs, or empty when it runs no such pod. */
    Optional<PodStatus> podStatus(PodRef pod);

    /**
     * Every pod the provider runs, including pods it started before the agent restarted: the
     * agent re-adopts those still bound to the node and deletes the others.
     */
    List<PodRef> runningPods();

    /**
     * Registers the one listener the provider calls (from any thread) when a pod's status changed
     * on its own (a container exited, a probe flipped). The agent then reads {@link #podStatus}.
     */
    void onStatusChange(Consumer<PodRef> listener);
}
