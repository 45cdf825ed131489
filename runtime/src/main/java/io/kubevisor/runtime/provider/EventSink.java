package io.kubevisor.runtime.provider;

import io.kubevisor.node.provider.PodRef;

/** Where the provider's kubelet-style events about pods go (the agent records them). */
@FunctionalInterface
interface EventSink {

    /** @param type {@code Normal} or {@code Warning} */
    void event(PodRef pod, String type, String reason, String message);
}
