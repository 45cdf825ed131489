package io.kubevisor.node.provider;

import java.util.function.Consumer;

/**
 * Optional ability: events about pods as the kubelet records them (image pulls, container starts,
 * back-offs, probe failures, kills), for {@code kubectl describe pod}. The agent records each as
 * an Event with {@code source.component: kubelet} on the pod it runs under that uid.
 */
public interface ProviderEvents {

    /**
     * One event.
     *
     * @param type    {@code Normal} or {@code Warning}
     * @param reason  e.g. {@code Pulled}, {@code Failed}, {@code BackOff}, {@code Unhealthy}, {@code Killing}
     * @param message for the user, as the kubelet words it
     */
    record PodEvent(PodRef pod, String type, String reason, String message) {
    }

    /**
     * Registers the one listener the provider calls for each event, on the thread where it
     * happened and in the order they happened. The listener returns at once (the agent queues
     * the event and records it later), so a provider need not hand events to a thread of its own.
     */
    void onEvent(Consumer<PodEvent> listener);
}
