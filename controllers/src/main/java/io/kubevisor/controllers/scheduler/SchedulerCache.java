package io.kubevisor.controllers.scheduler;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.LongSupplier;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;

/**
 * The nodes and what the pods on them request, kept from watch events, plus the pods this
 * scheduler has just bound but whose binding the watch has not shown yet ("assumed", as
 * kube-scheduler calls them), so that pods scheduled back to back do not overcommit a node.
 * Finished pods (Succeeded, Failed) hold nothing. An assumed pod the watch never confirms is
 * forgotten after a while (it was deleted before we saw it bound). Thread-safe.
 */
final class SchedulerCache {

    /** How long an assumed pod counts without the watch confirming it. */
    static final Duration DEFAULT_ASSUME_TTL = Duration.ofSeconds(30);

    private record Entry(String uid, String node, Resources requests, Resources nonZero, boolean assumed,
                         long since) {
    }

    private final Duration assumeTtl;
    private final LongSupplier nanoTime;
    private final Map<String, Node> nodes = new TreeMap<>();
    private final Map<PodKey, Entry> pods = new HashMap<>();

    SchedulerCache(Duration assumeTtl, LongSupplier nanoTime) {
        this.assumeTtl = Objects.requireNonNull(assumeTtl, "assumeTtl");
        this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
    }

    synchronized void putNode(Node node) {
        nodes.put(node.getMetadata().getName(), node);
    }

    synchronized void removeNode(String name) {
        nodes.remove(name);
    }

    /** Records a pod as the watch shows it: bound and running pods count, others do not. */
    synchronized void podChanged(Pod pod) {
        PodKey key = PodKey.of(pod);
        String node = pod.getSpec() == null ? null : pod.getSpec().getNodeName();
        if (node == null || node.isEmpty()) {
            // An unbound pod holds nothing, but a late event from before our binding must not
            // drop the pod we assumed.
            return;
        }
        if (finished(pod)) {
            remove(key, pod.getMetadata().getUid());
            return;
        }
        pods.put(key, new Entry(pod.getMetadata().getUid(), node, PodRequests.of(pod.getSpec()),
                PodRequests.nonZero(pod.getSpec()), false, nanoTime.getAsLong()));
    }

    /** Forgets a deleted pod. */
    synchronized void podDeleted(Pod pod) {
        remove(PodKey.of(pod), pod.getMetadata().getUid());
    }

    /** Counts {@code pod} on {@code node} right after binding it, until the watch shows the binding. */
    synchronized void assume(Pod pod, String node) {
        PodKey key = PodKey.of(pod);
        Entry known = pods.get(key);
        if (known != null && Objects.equals(known.uid(), pod.getMetadata().getUid())) {
            return;
        }
        pods.put(key, new Entry(pod.getMetadata().getUid(), node, PodRequests.of(pod.getSpec()),
                PodRequests.nonZero(pod.getSpec()), true, nanoTime.getAsLong()));
    }

    /** Every node with what its pods request, sorted by name. */
    synchronized List<NodeInfo> snapshot() {
        long now = nanoTime.getAsLong();
        pods.values().removeIf(e -> e.assumed() && now - e.since() > assumeTtl.toNanos());
        Map<String, Resources> requested = new HashMap<>();
        Map<String, Resources> nonZero = new HashMap<>();
        Map<String, Integer> count = new HashMap<>();
        for (Entry e : pods.values()) {
            requested.merge(e.node(), e.requests(), Resources::plus);
            nonZero.merge(e.node(), e.nonZero(), Resources::plus);
            count.merge(e.node(), 1, Integer::sum);
        }
        List<NodeInfo> out = new ArrayList<>();
        for (Node n : nodes.values()) {
            if (n.getMetadata().getDeletionTimestamp() != null) {
                continue;
            }
            String name = n.getMetadata().getName();
            out.add(new NodeInfo(n, requested.getOrDefault(name, Resources.NONE),
                    nonZero.getOrDefault(name, Resources.NONE), count.getOrDefault(name, 0)));
        }
        return out;
    }

    private void remove(PodKey key, String uid) {
        Entry e = pods.get(key);
        // A delete of an old pod must not drop a new pod of the same name.
        if (e != null && (uid == null || e.uid() == null || uid.equals(e.uid()))) {
            pods.remove(key);
        }
    }

    static boolean finished(Pod pod) {
        String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
        return "Succeeded".equals(phase) || "Failed".equals(phase);
    }
}
