package io.kubevisor.api;

import java.util.List;

/**
 * {@code Status.details}: which object the failure is about. {@code kind} is the resource
 * (plural) for most errors and the Kind for {@code Invalid}, as in Kubernetes.
 */
public record StatusDetails(String name, String group, String kind, List<StatusCause> causes, Integer retryAfterSeconds) {

    public StatusDetails {
        causes = causes == null ? List.of() : List.copyOf(causes);
    }

    public static StatusDetails of(String group, String kind, String name) {
        return new StatusDetails(name, group, kind, List.of(), null);
    }

    public static StatusDetails none() {
        return new StatusDetails(null, null, null, List.of(), null);
    }
}
