package io.kubevisor.node.provider;

/** The provider's substrate failed (not the pod): the agent logs it and retries with backoff. */
public class ProviderException extends RuntimeException {

    public ProviderException(String message) {
        super(message);
    }

    public ProviderException(String message, Throwable cause) {
        super(message, cause);
    }
}
