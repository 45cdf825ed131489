package io.kubevisor.runtime.sandbox;

import java.util.List;
import java.util.Map;

/**
 * A running sandbox.
 *
 * @param id          the runtime's id
 * @param labels      what the caller recorded at start (pod namespace, name, uid), for re-adoption
 * @param containers  its containers
 */
public record SandboxHandle(String id, Map<String, String> labels, List<ContainerHandle> containers)
        implements Handle {

    /** Whether it was started as a {@link SandboxSpec#SINGLE_CONTAINER} sandbox. */
    public boolean singleContainer() {
        return labels != null && "true".equals(labels.get(SandboxSpec.SINGLE_CONTAINER));
    }
}
