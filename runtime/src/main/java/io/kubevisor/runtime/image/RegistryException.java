package io.kubevisor.runtime.image;

import java.io.IOException;

/** A registry interaction failed; the message is ready to follow "failed to pull and unpack image ...: ". */
final class RegistryException extends IOException {

    RegistryException(String message) {
        super(message);
    }

    RegistryException(String message, Throwable cause) {
        super(message, cause);
    }
}
