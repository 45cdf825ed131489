package io.kubevisor.apiserver.auth.rbac;

/** An authorization decision. */
public record Decision(boolean allowed, String reason) {
}
