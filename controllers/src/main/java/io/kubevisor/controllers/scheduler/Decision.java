package io.kubevisor.controllers.scheduler;

import java.util.Objects;

/** What the scheduling algorithm decided for one pod. */
public sealed interface Decision {

    /** Bind the pod to this node. */
    record Bind(String node) implements Decision {
        public Bind {
            Objects.requireNonNull(node, "node");
        }
    }

    /** No node fits; {@code message} says why, as kube-scheduler would. */
    record Unschedulable(String message) implements Decision {
        public Unschedulable {
            Objects.requireNonNull(message, "message");
        }
    }
}
