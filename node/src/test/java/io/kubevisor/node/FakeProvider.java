package io.kubevisor.node;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodIP;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.kubevisor.node.provider.PodProvider;
import io.kubevisor.node.provider.PodRef;
import io.kubevisor.node.provider.ProviderException;

/**
 * A provider for unit tests of the framework: it "runs" pods in a map, reports a Running status
 * with a made-up pod IP, records every call, and can be told to fail.
 */
public class FakeProvider implements PodProvider {

    /** Every call, e.g. "create default/web", "delete default/web grace=30s". */
    public final List<String> calls = Collections.synchronizedList(new ArrayList<>());
    public final Map<PodRef, Pod> running = new ConcurrentHashMap<>();
    public final AtomicInteger failCreates = new AtomicInteger();
    private volatile Consumer<PodRef> listener = ref -> { };

    /** Pretends these pods were started before the agent (re)started. */
    public FakeProvider alreadyRunning(PodRef... refs) {
        for (PodRef r : refs) {
            running.put(r, new Pod());
        }
        return this;
    }

    @Override
    public void createPod(Pod pod) {
        calls.add("create " + PodRef.of(pod));
        if (failCreates.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            throw new ProviderException("sandbox runtime unavailable");
        }
        running.put(PodRef.of(pod), pod);
    }

    @Override
    public void updatePod(Pod pod) {
        calls.add("update " + PodRef.of(pod) + " image=" + pod.getSpec().getContainers().getFirst().getImage());
        running.put(PodRef.of(pod), pod);
    }

    @Override
    public void deletePod(PodRef pod, Duration gracePeriod) {
        calls.add("delete " + pod + " uid=" + pod.uid() + " grace=" + gracePeriod.toSeconds() + "s");
        running.remove(pod);
    }

    @Override
    public Optional<PodStatus> podStatus(PodRef pod) {
        if (!running.containsKey(pod)) {
            return Optional.empty();
        }
        PodCondition ready = new PodCondition();
        ready.setType("Ready");
        ready.setStatus("True");
        return Optional.of(new PodStatusBuilder()
                .withPhase("Running")
                .withPodIP("10.88.0.7")
                .withPodIPs(new PodIP("10.88.0.7"))
                .withConditions(ready)
                .withContainerStatuses(new ContainerStatusBuilder().withName("c").withReady(true)
                        .withRestartCount(0).withImage("busybox").withImageID("").withStarted(true)
                        .withNewState().withNewRunning().withStartedAt("2025-01-01T00:00:00Z").endRunning()
                        .endState().build())
                .build());
    }

    @Override
    public List<PodRef> runningPods() {
        return List.copyOf(running.keySet());
    }

    @Override
    public void onStatusChange(Consumer<PodRef> l) {
        this.listener = l;
    }

    /** Tells the agent a pod's status changed on its own. */
    public void statusChanged(PodRef ref) {
        listener.accept(ref);
    }

    public long count(String prefix) {
        synchronized (calls) {
            return calls.stream().filter(c -> c.startsWith(prefix)).count();
        }
    }
}
