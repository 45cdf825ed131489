package io.kubevisor.runtime.runsc;

/** A runsc command failed; the message is runsc's own, fit to show a user. */
public final class RunscException extends RuntimeException {

    public RunscException(String message) {
        super(message);
    }

    public RunscException(String message, Throwable cause) {
        super(message, cause);
    }
}
