package io.kubevisor.node.provider;

/** Which pod: namespace, name and the uid of this incarnation (a recreated pod has a new uid). */
public record PodRef(String namespace, String name, String uid) {

    public static PodRef of(io.fabric8.kubernetes.api.model.Pod pod) {
        var m = pod.getMetadata();
        return new PodRef(m.getNamespace(), m.getName(), m.getUid());
    }

    @Override
    public String toString() {
        return namespace + "/" + name;
    }
}
