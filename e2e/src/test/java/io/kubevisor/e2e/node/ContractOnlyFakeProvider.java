package io.kubevisor.e2e.node;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodIP;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.kubevisor.node.provider.NodeResources;
import io.kubevisor.node.provider.PodProvider;
import io.kubevisor.node.provider.PodRef;
import io.kubevisor.node.provider.ProviderException;

/**
 * NOT a runtime: a provider that runs nothing and reports every pod Running with a made-up IP.
 * It exists only to prove the node agent framework's contract with a real API server
 * (registration, lease, pod status writes, the deletion flow, re-adoption); evidence that pods
 * really run comes from the gVisor provider's own end-to-end tests.
 */
final class ContractOnlyFakeProvider implements PodProvider, NodeResources {

    static final String FAKE_POD_IP = "10.244.77.7";

    final List<String> calls = Collections.synchronizedList(new ArrayList<>());
    final Map<PodRef, Pod> running = new ConcurrentHashMap<>();
    /** Creates of pods whose name starts with "flaky" fail this many times first. */
    final AtomicInteger flakyFailures = new AtomicInteger(1);
    private volatile Consumer<PodRef> listener = r -> { };

    @Override
    public NodeInfo nodeInfo() {
        return new NodeInfo(Map.of("cpu", "4", "memory", "8Gi", "pods", "50"), Map.of("cpu", "3500m", "memory", "7Gi",
                "pods", "50"), Map.of("InternalIP", "127.0.0.1"), "contract-fake://0.0.0", "", "contract-only fake",
                Map.of("kubevisor.io/provider", "contract-only-fake"), List.of());
    }

    @Override
    public void createPod(Pod pod) {
        PodRef ref = PodRef.of(pod);
        calls.add("create " + ref);
        if (ref.name().startsWith("flaky") && flakyFailures.getAndDecrement() > 0) {
            throw new ProviderException("fake sandbox refused to start");
        }
        running.put(ref, pod);
    }

    @Override
    public void updatePod(Pod pod) {
        calls.add("update " + PodRef.of(pod));
        running.put(PodRef.of(pod), pod);
    }

    @Override
    public void deletePod(PodRef pod, Duration gracePeriod) {
        calls.add("delete " + pod + " grace=" + gracePeriod.toSeconds() + "s");
        running.remove(pod);
    }

    @Override
    public Optional<PodStatus> podStatus(PodRef ref) {
        Pod pod = running.get(ref);
        if (pod == null) {
            return Optional.empty();
        }
        List<ContainerStatus> containers = new ArrayList<>();
        for (Container c : pod.getSpec().getContainers()) {
            containers.add(new ContainerStatusBuilder().withName(c.getName()).withImage(c.getImage()).withImageID("")
                    .withReady(true).withStarted(true).withRestartCount(0)
                    .withNewState().withNewRunning().withStartedAt("2025-01-01T00:00:00Z").endRunning().endState()
                    .build());
        }
        PodCondition ready = new PodCondition();
        ready.setType("Ready");
        ready.setStatus("True");
        return Optional.of(new PodStatusBuilder().withPhase("Running").withPodIP(FAKE_POD_IP)
                .withPodIPs(new PodIP(FAKE_POD_IP)).withConditions(ready).withContainerStatuses(containers).build());
    }

    @Override
    public List<PodRef> runningPods() {
        return List.copyOf(running.keySet());
    }

    @Override
    public void onStatusChange(Consumer<PodRef> l) {
        listener = l;
    }

    long count(String call) {
        synchronized (calls) {
            return calls.stream().filter(call::equals).count();
        }
    }
}
