package io.kubevisor.controllers.scheduler;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.TaintBuilder;

/** Small builders for the nodes and pods the scheduler tests use. */
final class Fixtures {

    private Fixtures() {
    }

    /** {@code "cpu", "2", "memory", "4Gi"} → a resource list. */
    static Map<String, Quantity> list(String... pairs) {
        Map<String, Quantity> m = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            m.put(pairs[i], new Quantity(pairs[i + 1]));
        }
        return m;
    }

    static Container container(String name, String... requests) {
        return new ContainerBuilder().withName(name).withImage("busybox").withNewResources()
                .withRequests(list(requests)).endResources().build();
    }

    static PodSpec spec(String... requests) {
        return new PodSpecBuilder().withContainers(container("app", requests)).build();
    }

    /** A Ready node offering {@code cpu}, {@code memory} and 110 pods. */
    static NodeBuilder node(String name, String cpu, String memory) {
        return new NodeBuilder().withNewMetadata().withName(name).withUid("uid-" + name).endMetadata()
                .withNewSpec().endSpec()
                .withNewStatus().withAllocatable(list("cpu", cpu, "memory", memory, "pods", "110"))
                .addNewCondition().withType("Ready").withStatus("True").endCondition()
                .endStatus();
    }

    static Taint taint(String key, String value, String effect) {
        return new TaintBuilder().withKey(key).withValue(value).withEffect(effect).build();
    }

    static Pod pod(String namespace, String name, String uid, String nodeName, PodSpec spec) {
        PodSpec s = new PodSpecBuilder(spec).withNodeName(nodeName).build();
        return new PodBuilder().withNewMetadata().withNamespace(namespace).withName(name).withUid(uid).endMetadata()
                .withSpec(s).withNewStatus().withPhase("Pending").endStatus().build();
    }

    static NodeInfo info(Node node, List<PodSpec> pods) {
        Resources req = Resources.NONE;
        Resources nz = Resources.NONE;
        for (PodSpec p : pods) {
            req = req.plus(PodRequests.of(p));
            nz = nz.plus(PodRequests.nonZero(p));
        }
        return new NodeInfo(node, req, nz, pods.size());
    }
}
