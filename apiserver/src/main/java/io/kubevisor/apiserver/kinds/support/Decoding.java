package io.kubevisor.apiserver.kinds.support;

import io.kubevisor.api.ApiException;
import io.kubevisor.apiserver.kinds.quantity.QuantityFormatException;
import tools.jackson.databind.node.ObjectNode;

/**
 * Turns malformed values found while defaulting into the 400 Kubernetes' decoder returns
 * ({@code Pod in version "v1" cannot be handled as a Pod: quantities must match ...}), since in
 * Kubernetes such bodies never reach validation. Stateless.
 */
public final class Decoding {

    private Decoding() {
    }

    /** A value that cannot be decoded; the message is what Kubernetes' decoder says. */
    public static final class MalformedValue extends IllegalArgumentException {
        /** @param message the decoder's wording */
        public MalformedValue(String message) {
            super(message);
        }
    }

    /**
     * Runs {@code defaults} on {@code obj}, converting malformed values into
     * {@link ApiException.BadRequest}.
     */
    public static void guard(ObjectNode obj, Runnable defaults) {
        try {
            defaults.run();
        } catch (QuantityFormatException | MalformedValue e) {
            String kind = Nodes.text(obj, "kind");
            String apiVersion = Nodes.text(obj, "apiVersion");
            String version = apiVersion.substring(apiVersion.lastIndexOf('/') + 1);
            throw new ApiException.BadRequest(kind + " in version \"" + version + "\" cannot be handled as a "
                    + kind + ": " + e.getMessage());
        }
    }
}
