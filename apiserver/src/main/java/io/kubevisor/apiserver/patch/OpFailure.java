package io.kubevisor.apiserver.patch;

/** A JSON patch operation that does not apply; the message is the one Kubernetes reports. */
final class OpFailure extends RuntimeException {

    OpFailure(String message) {
        super(message, null, false, false);
    }
}
