package io.kubevisor.runtime.net;

import java.util.Objects;

import io.kubevisor.node.provider.PodRef;

/**
 * Which pod wants a network: its Kubernetes namespace (the tenant segment that decides which
 * bridge it joins), its name (for logs) and its uid (the identity everything is keyed by).
 */
public record PodNetworkRequest(String namespace, String name, String uid) {

    public PodNetworkRequest {
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(uid, "uid");
        if (namespace.isEmpty() || uid.isEmpty()) {
            throw new IllegalArgumentException("namespace and uid must not be empty");
        }
    }

    public static PodNetworkRequest of(PodRef pod) {
        return new PodNetworkRequest(pod.namespace(), pod.name(), pod.uid());
    }

    public PodRef ref() {
        return new PodRef(namespace, name, uid);
    }
}
