package io.kubevisor.node.pods;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import io.fabric8.kubernetes.api.model.Pod;
import io.kubevisor.node.provider.PodRef;

/**
 * The pods this agent has handed to the provider (created or adopted) and not yet deleted, with
 * the spec fingerprint last applied and the pod last seen. Thread-safe.
 */
public final class RunningPods {

    /** One pod the provider runs for us. */
    public record Entry(PodRef ref, String fingerprint, Pod lastSeen) {
    }

    private final Map<PodKey, Entry> entries = new ConcurrentHashMap<>();

    public Optional<Entry> get(PodKey key) {
        return Optional.ofNullable(entries.get(key));
    }

    void put(PodKey key, Entry e) {
        entries.put(key, e);
    }

    void remove(PodKey key) {
        entries.remove(key);
    }

    /** The running incarnation named {@code namespace/name}, if any. */
    public Optional<PodRef> find(String namespace, String name) {
        return get(new PodKey(namespace, name)).map(Entry::ref);
    }

    /** A snapshot of every entry. */
    public List<Entry> all() {
        return List.copyOf(entries.values());
    }

    public int size() {
        return entries.size();
    }
}
