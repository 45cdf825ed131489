package io.kubevisor.node.pods;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.kubevisor.node.provider.PodRef;

/** An API server in a map, for unit tests of the pod sync: the watch cache equals the server unless told to lag. */
final class FakePodApi implements PodApi {

    final Map<PodKey, Pod> server = new ConcurrentHashMap<>();
    final List<String> events = Collections.synchronizedList(new ArrayList<>());
    final List<String> deletes = Collections.synchronizedList(new ArrayList<>());
    final AtomicInteger statusWrites = new AtomicInteger();
    /** How many status writes were refused (stale resourceVersion or a simulated conflict). */
    final AtomicInteger conflicted = new AtomicInteger();
    /** How many status writes to refuse with a conflict first. */
    final AtomicInteger conflicts = new AtomicInteger();
    /** Reads from the server itself (GETs), as opposed to the watch cache. */
    final AtomicInteger freshReads = new AtomicInteger();
    /** What the watch cache shows instead of the server, while it lags behind. */
    final Map<PodKey, Pod> lagging = new ConcurrentHashMap<>();
    private int version = 1;

    synchronized Pod put(Pod pod) {
        Pod stored = new PodBuilder(pod).editMetadata().withResourceVersion(Integer.toString(++version)).endMetadata()
                .build();
        server.put(PodKey.of(stored), stored);
        return stored;
    }

    @Override
    public Optional<Pod> cached(PodKey key) {
        return Optional.ofNullable(lagging.getOrDefault(key, server.get(key)));
    }

    @Override
    public List<Pod> cachedAll() {
        return List.copyOf(server.values());
    }

    @Override
    public Optional<Pod> fresh(PodKey key) {
        freshReads.incrementAndGet();
        return Optional.ofNullable(server.get(key)).map(p -> new PodBuilder(p).build());
    }

    @Override
    public synchronized Optional<Pod> writeStatus(Pod pod, PodStatus status) {
        Pod current = server.get(PodKey.of(pod));
        if (current == null || !current.getMetadata().getResourceVersion().equals(pod.getMetadata().getResourceVersion())) {
            conflicted.incrementAndGet();
            return Optional.empty();
        }
        if (conflicts.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            // someone else wrote in between
            put(current);
            conflicted.incrementAndGet();
            return Optional.empty();
        }
        Pod stored = put(new PodBuilder(current).withStatus(status).build());
        statusWrites.incrementAndGet();
        return Optional.of(new PodBuilder(stored).build());
    }

    @Override
    public synchronized void deleteNow(PodRef pod) {
        deletes.add(pod + " uid=" + pod.uid());
        Pod current = server.get(PodKey.of(pod));
        if (current != null && current.getMetadata().getUid().equals(pod.uid())) {
            server.remove(PodKey.of(pod));
        }
    }

    @Override
    public void recordEvent(Pod pod, String type, String reason, String message) {
        events.add(type + " " + reason + " " + message);
    }
}
