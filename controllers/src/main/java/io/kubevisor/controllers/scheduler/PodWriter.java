package io.kubevisor.controllers.scheduler;

import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.kubevisor.controllers.events.EventRecorder;

/**
 * The scheduler's writes to pods: the binding (through the {@code pods/binding} subresource, as
 * kube-scheduler's default binder does) and the {@code PodScheduled=False} condition of a pod
 * that does not fit (through the status subresource). Thread-safe.
 */
final class PodWriter {

    static final String CONDITION = "PodScheduled";
    static final String UNSCHEDULABLE = "Unschedulable";
    private static final int CONFLICT_RETRIES = 3;

    private final KubernetesClient client;
    private final InstantSource clock;

    PodWriter(KubernetesClient client, InstantSource clock) {
        this.client = Objects.requireNonNull(client, "client");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Binds the pod to the node.
     *
     * @throws KubernetesClientException as the server refused: 409 when the pod is bound already
     *                                   or being deleted, 404 when it is gone
     */
    void bind(Pod pod, String node) {
        String ns = pod.getMetadata().getNamespace();
        String name = pod.getMetadata().getName();
        Map<String, Object> binding = Map.of(
                "apiVersion", "v1",
                "kind", "Binding",
                "metadata", Map.of("name", name, "namespace", ns, "uid", pod.getMetadata().getUid()),
                "target", Map.of("apiVersion", "v1", "kind", "Node", "name", node));
        client.raw("/api/v1/namespaces/" + ns + "/pods/" + name + "/binding", "POST", binding);
    }

    /**
     * Sets the pod's PodScheduled condition to False/Unschedulable with {@code message}, unless it
     * says that already. Retries on conflicts with the pod as now stored.
     *
     * @return whether anything was written
     * @throws KubernetesClientException if the server refused other than with a conflict or 404
     */
    boolean markUnschedulable(Pod pod, String message) {
        Pod current = pod;
        for (int attempt = 0; ; attempt++) {
            Pod next = withCondition(current, message, EventRecorder.timestamp(clock.instant()));
            if (next == null) {
                return false;
            }
            try {
                client.pods().inNamespace(current.getMetadata().getNamespace()).resource(next).updateStatus();
                return true;
            } catch (KubernetesClientException e) {
                if (e.getCode() == 404) {
                    return false;
                }
                if (e.getCode() != 409 || attempt >= CONFLICT_RETRIES) {
                    throw e;
                }
                current = client.pods().inNamespace(pod.getMetadata().getNamespace())
                        .withName(pod.getMetadata().getName()).get();
                if (current == null || !Objects.equals(current.getMetadata().getUid(), pod.getMetadata().getUid())
                        || Scheduler.isBound(current)) {
                    return false;
                }
            }
        }
    }

    /** The pod with the condition set, or null when it is set that way already. */
    static Pod withCondition(Pod pod, String message, String now) {
        List<PodCondition> conditions = new ArrayList<>(
                pod.getStatus() == null || pod.getStatus().getConditions() == null
                        ? List.of() : pod.getStatus().getConditions());
        PodCondition old = conditions.stream().filter(c -> CONDITION.equals(c.getType())).findFirst().orElse(null);
        if (old != null && "False".equals(old.getStatus()) && UNSCHEDULABLE.equals(old.getReason())
                && message.equals(old.getMessage())) {
            return null;
        }
        String transition = old != null && "False".equals(old.getStatus()) && old.getLastTransitionTime() != null
                ? old.getLastTransitionTime() : now;
        PodCondition c = new PodConditionBuilder().withType(CONDITION).withStatus("False").withReason(UNSCHEDULABLE)
                .withMessage(message).withLastTransitionTime(transition).build();
        if (old == null) {
            conditions.add(c);
        } else {
            conditions.set(conditions.indexOf(old), c);
        }
        return new PodBuilder(pod).editOrNewStatus().withConditions(conditions).endStatus().build();
    }
}
