package io.kubevisor.api;

/** One entry of {@code Status.details.causes}. Fields may be null. */
public record StatusCause(String reason, String message, String field) {
}
