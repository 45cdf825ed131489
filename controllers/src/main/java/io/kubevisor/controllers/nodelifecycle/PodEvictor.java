package io.kubevisor.controllers.nodelifecycle;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.kubevisor.controllers.Failures;
import io.kubevisor.controllers.events.EventRecorder;

/**
 * Deletes the pods of a node whose NoExecute taints they do not tolerate, or no longer, as
 * Kubernetes' taint eviction controller does: it first marks the pod with a
 * {@code DisruptionTarget} condition ({@code DeletionByTaintManager}), then deletes it (with
 * the pod's own grace period) and records a {@code TaintManagerEviction} event. Remembers when it
 * first saw each pod under the taints, from which toleration seconds count. Thread-safe.
 */
final class PodEvictor {

    private static final Logger LOG = LoggerFactory.getLogger(PodEvictor.class);

    private record Watched(String node, Instant since) {
    }

    private final KubernetesClient client;
    private final EventRecorder events;
    private final InstantSource clock;
    /** Pod UID → since when it has been on a node with NoExecute taints. */
    private final Map<String, Watched> watched = new ConcurrentHashMap<>();

    PodEvictor(KubernetesClient client, EventRecorder events, InstantSource clock) {
        this.client = Objects.requireNonNull(client, "client");
        this.events = Objects.requireNonNull(events, "events");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Evicts the pods whose time is up.
     *
     * @param noExecute the node's NoExecute taints
     * @param pods      the pods bound to the node
     * @return how long until the next pod's time is up, if one has a limit
     */
    Optional<Duration> sync(String node, List<Taint> noExecute, List<Pod> pods) {
        if (noExecute.isEmpty()) {
            forgetNode(node);
            return Optional.empty();
        }
        Instant now = clock.instant();
        Duration next = null;
        for (Pod pod : pods) {
            if (pod.getMetadata().getDeletionTimestamp() != null) {
                continue;
            }
            Instant since = watched.computeIfAbsent(pod.getMetadata().getUid(), uid -> new Watched(node, now)).since();
            switch (TaintEviction.plan(noExecute, pod.getSpec().getTolerations(), since)) {
                case TaintEviction.Plan.Keep k -> {
                }
                case TaintEviction.Plan.EvictAt(Instant at) -> {
                    if (at.isAfter(now)) {
                        Duration wait = Duration.between(now, at);
                        next = next == null || wait.compareTo(next) < 0 ? wait : next;
                    } else {
                        evict(pod, node);
                    }
                }
            }
        }
        return Optional.ofNullable(next);
    }

    private void evict(Pod pod, String node) {
        String ns = pod.getMetadata().getNamespace();
        String name = pod.getMetadata().getName();
        markDisruption(pod);
        try {
            client.pods().inNamespace(ns).withName(name).delete();
        } catch (KubernetesClientException e) {
            if (e.getCode() == 404) {
                return;
            }
            throw e;
        }
        LOG.info("event=pod_evicted pod={}/{} node={} cause=NoExecuteTaint", ns, name, node);
        events.record(new ObjectReferenceBuilder().withApiVersion("v1").withKind("Pod").withNamespace(ns)
                        .withName(name).withUid(pod.getMetadata().getUid()).build(),
                "Normal", "TaintManagerEviction", "", "Marking for deletion Pod " + ns + "/" + name);
    }

    /** Adds the DisruptionTarget condition; best effort, as the deletion matters more. */
    private void markDisruption(Pod pod) {
        List<PodCondition> conditions = new ArrayList<>(pod.getStatus() == null
                || pod.getStatus().getConditions() == null ? List.of() : pod.getStatus().getConditions());
        conditions.removeIf(c -> "DisruptionTarget".equals(c.getType()));
        conditions.add(new PodConditionBuilder().withType("DisruptionTarget").withStatus("True")
                .withReason("DeletionByTaintManager").withMessage("Taint manager: deleting due to NoExecute taint")
                .withLastTransitionTime(EventRecorder.timestamp(clock.instant())).build());
        Pod next = new PodBuilder(pod).editOrNewStatus().withConditions(conditions).endStatus().build();
        try {
            client.pods().inNamespace(pod.getMetadata().getNamespace()).resource(next).updateStatus();
        } catch (KubernetesClientException e) {
            LOG.warn("event=pod_condition_update_failed pod={}/{} cause=\"{}\"", pod.getMetadata().getNamespace(),
                    pod.getMetadata().getName(), Failures.describe(e));
        }
    }

    /** Forgets a pod that is gone. */
    void forgetPod(Pod pod) {
        watched.remove(pod.getMetadata().getUid());
    }

    /** Forgets every pod of a node that has no NoExecute taints any more (or is gone). */
    void forgetNode(String node) {
        watched.values().removeIf(w -> w.node().equals(node));
    }
}
