package io.kubevisor.runtime.sandbox;

import java.util.Map;

/**
 * A container in a sandbox.
 *
 * @param id        the runtime's id
 * @param sandboxId its sandbox
 * @param labels    what the caller recorded at start (container name, restart count)
 */
public record ContainerHandle(String id, String sandboxId, Map<String, String> labels) implements Handle {
}
