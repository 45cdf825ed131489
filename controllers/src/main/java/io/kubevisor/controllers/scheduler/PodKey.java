package io.kubevisor.controllers.scheduler;

import java.util.Objects;

import io.fabric8.kubernetes.api.model.Pod;

/** A pod's namespace and name, the scheduler's queue key. */
public record PodKey(String namespace, String name) {

    public PodKey {
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(name, "name");
    }

    /** The key of {@code pod}. */
    public static PodKey of(Pod pod) {
        return new PodKey(pod.getMetadata().getNamespace(), pod.getMetadata().getName());
    }

    /** {@code namespace/name}, as informer caches key pods. */
    @Override
    public String toString() {
        return namespace + "/" + name;
    }
}
