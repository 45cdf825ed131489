package io.kubevisor.runtime.sandbox;

/** A sandbox or a container. */
public sealed interface Handle permits SandboxHandle, ContainerHandle {
    String id();
}
