package io.kubevisor.runtime.provider;

/**
 * A container's configuration cannot be made (a missing ConfigMap, Secret or key, an unsupported
 * field path): its status waits with reason {@code CreateContainerConfigError} and this message,
 * worded as the kubelet words it.
 */
final class ContainerConfigException extends RuntimeException {

    ContainerConfigException(String message) {
        super(message);
    }
}
