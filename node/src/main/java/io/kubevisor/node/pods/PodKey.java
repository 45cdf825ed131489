package io.kubevisor.node.pods;

import io.fabric8.kubernetes.api.model.Pod;
import io.kubevisor.node.provider.PodRef;

/** A pod's place, whatever its incarnation: namespace and name (the work queue's key). */
public record PodKey(String namespace, String name) {

    public static PodKey of(Pod pod) {
        return new PodKey(pod.getMetadata().getNamespace(), pod.getMetadata().getName());
    }

    public static PodKey of(PodRef ref) {
        return new PodKey(ref.namespace(), ref.name());
    }

    @Override
    public String toString() {
        return namespace + "/" + name;
    }
}
