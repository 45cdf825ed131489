package io.kubevisor.controllers;

import io.fabric8.kubernetes.client.KubernetesClientException;

/** Turns failures into the one-line messages logs and status conditions show. Stateless. */
public final class Failures {

    private Failures() {
    }

    /**
     * The API server's own message when it refused a request (as kubectl shows it), otherwise the
     * exception's message or, lacking one, its type.
     */
    public static String describe(Throwable e) {
        if (e instanceof KubernetesClientException k && k.getStatus() != null && k.getStatus().getMessage() != null
                && !k.getStatus().getMessage().isBlank()) {
            return k.getStatus().getMessage();
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    /** The HTTP status of a refused API request, or 0 if {@code e} is not one. */
    public static int httpCode(Throwable e) {
        return e instanceof KubernetesClientException k ? k.getCode() : 0;
    }
}
