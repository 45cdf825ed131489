package io.kubevisor.node.pods;

import java.util.ArrayList;
import java.util.List;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;

/**
 * The parts of a running pod's spec that may change (container images, activeDeadlineSeconds): a
 * different fingerprint means the provider must be told ({@code updatePod}). Stateless.
 */
final class PodFingerprint {

    private PodFingerprint() {
    }

    static String of(Pod pod) {
        var spec = pod.getSpec();
        List<String> parts = new ArrayList<>();
        for (Container c : spec.getInitContainers() == null ? List.<Container>of() : spec.getInitContainers()) {
            parts.add("init:" + c.getName() + "=" + c.getImage());
        }
        for (Container c : spec.getContainers() == null ? List.<Container>of() : spec.getContainers()) {
            parts.add(c.getName() + "=" + c.getImage());
        }
        parts.add("activeDeadlineSeconds=" + spec.getActiveDeadlineSeconds());
        return String.join(";", parts);
    }
}
