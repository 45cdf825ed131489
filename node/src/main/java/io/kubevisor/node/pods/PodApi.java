package io.kubevisor.node.pods;

import java.util.List;
import java.util.Optional;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.kubevisor.node.provider.PodRef;

/**
 * What the pod sync needs from the API server: the watched pods bound to this node, and the few
 * writes the kubelet makes. Implementations are thread-safe.
 */
public interface PodApi {

    /** The pod as last seen by the watch (may lag the server), or empty. */
    Optional<Pod> cached(PodKey key);

    /** Every pod bound to this node as last seen by the watch. */
    List<Pod> cachedAll();

    /** The pod as the server has it now, or empty when it does not exist. */
    Optional<Pod> fresh(PodKey key);

    /**
     * Replaces the status of {@code pod} (read by {@link #fresh}), conditional on its resourceVersion.
     *
     * @return the pod as the server stored it; empty on a conflict (someone wrote in between: read
     *         again) or when the pod is gone
     */
    Optional<Pod> writeStatus(Pod pod, PodStatus status);

    /**
     * Deletes the pod object at once (grace period 0), only if it is still this incarnation (uid
     * precondition). A pod already gone, or replaced by a new uid, is fine.
     */
    void deleteNow(PodRef pod);

    /**
     * Records an Event about the pod, as the kubelet does ({@code source.component: kubelet}).
     * Best effort: failures are logged, never thrown.
     *
     * @param type {@code Normal} or {@code Warning}
     */
    void recordEvent(Pod pod, String type, String reason, String message);
}
