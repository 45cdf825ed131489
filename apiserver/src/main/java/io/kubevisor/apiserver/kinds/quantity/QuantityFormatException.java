package io.kubevisor.apiserver.kinds.quantity;

/** Text that is not a resource quantity; the message is Kubernetes' own. */
public final class QuantityFormatException extends IllegalArgumentException {

    /** @param message Kubernetes' wording of the problem */
    public QuantityFormatException(String message) {
        super(message);
    }
}
