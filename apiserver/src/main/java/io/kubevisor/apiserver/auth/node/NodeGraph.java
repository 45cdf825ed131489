package io.kubevisor.apiserver.auth.node;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

import io.kubevisor.apiserver.kinds.support.Nodes;
import tools.jackson.databind.JsonNode;

/**
 * Which objects each node may read: those referred to by a pod bound to it (Kubernetes' node
 * authorizer graph, limited to the pod edges: node ← pod ← secret, config map, claim, service
 * account). An in-memory index fed with pod changes ({@link #put}, {@link #remove}); a lookup that
 * misses asks {@link PodsOnNode} before saying no, because the feed follows a watch and may lag a
 * pod the node has already seen through its own watch. So an answer is never staler than the
 * store; a miss costs one read of the namespace's pods (a denial always pays it).
 * Thread-safe; lookups share a read lock, changes take the write lock.
 */
public final class NodeGraph {

    /** The pods bound to a node in one namespace, read from the store. */
    @FunctionalInterface
    public interface PodsOnNode {
        List<? extends JsonNode> pods(String namespace, String nodeName);
    }

    private record Bound(String node, Set<ObjectRef> refs) {
    }

    private final PodsOnNode store;
    private final ReadWriteLock lock = new ReentrantReadWriteLock();
    /** namespace/name of each bound pod → its node and references. */
    private final Map<String, Bound> pods = new HashMap<>();
    /** node → reference → how many of its pods hold it. */
    private final Map<String, Map<ObjectRef, Integer>> byNode = new HashMap<>();

    /** @param store the fallback for lookups the index cannot confirm */
    public NodeGraph(PodsOnNode store) {
        this.store = store;
    }

    /** Records a pod as it is now (added or changed); an unbound pod refers nothing to any node. */
    public void put(JsonNode pod) {
        String key = key(pod);
        String node = Nodes.text(pod.path("spec"), "nodeName");
        Bound next = node.isEmpty() ? null : new Bound(node, PodReferences.of(pod));
        lock.writeLock().lock();
        try {
            Bound before = next == null ? pods.remove(key) : pods.put(key, next);
            if (before != null) {
                forget(before);
            }
            if (next != null) {
                Map<ObjectRef, Integer> counts = byNode.computeIfAbsent(node, n -> new HashMap<>());
                next.refs().forEach(r -> counts.merge(r, 1, Integer::sum));
            }
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Forgets a deleted pod. */
    public void remove(JsonNode pod) {
        String key = key(pod);
        lock.writeLock().lock();
        try {
            Bound before = pods.remove(key);
            if (before != null) {
                forget(before);
            }
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Forgets everything (before the feed reloads every pod). */
    public void clear() {
        lock.writeLock().lock();
        try {
            pods.clear();
            byNode.clear();
        } finally {
            lock.writeLock().unlock();
        }
    }

    /**
     * Whether a pod bound to the node refers to the object: from the index, else from the store.
     * Blocks on the store only on a miss.
     */
    public boolean related(String nodeName, ObjectRef ref) {
        lock.readLock().lock();
        try {
            Map<ObjectRef, Integer> refs = byNode.get(nodeName);
            if (refs != null && refs.containsKey(ref)) {
                return true;
            }
        } finally {
            lock.readLock().unlock();
        }
        for (JsonNode pod : store.pods(ref.namespace(), nodeName)) {
            if (nodeName.equals(Nodes.text(pod.path("spec"), "nodeName")) && PodReferences.of(pod).contains(ref)) {
                return true;
            }
        }
        return false;
    }

    /** How many bound pods the index holds, for tests and logs. */
    public int size() {
        lock.readLock().lock();
        try {
            return pods.size();
        } finally {
            lock.readLock().unlock();
        }
    }

    private void forget(Bound b) {
        Map<ObjectRef, Integer> counts = byNode.get(b.node());
        if (counts == null) {
            return;
        }
        for (ObjectRef r : b.refs()) {
            counts.computeIfPresent(r, (k, n) -> n > 1 ? n - 1 : null);
        }
        if (counts.isEmpty()) {
            byNode.remove(b.node());
        }
    }

    private static String key(JsonNode pod) {
        JsonNode m = pod.path("metadata");
        return Nodes.text(m, "namespace") + "/" + Nodes.text(m, "name");
    }
}
