package io.kubevisor.apiserver.auth.rbac;

/**
 * An authorizer's answer. Immutable.
 *
 * @param allowed true to let the request through
 * @param reason  why, for logs and SubjectAccessReview {@code status.reason}; "" when there is
 *                nothing to say (a plain "no rule matched" deny has an empty reason, as in Kubernetes)
 */
public record Decision(boolean allowed, String reason) {

    public Decision {
        reason = reason == null ? "" : reason;
    }

    public static Decision allow(String reason) {
        return new Decision(true, reason);
    }

    public static Decision deny(String reason) {
        return new Decision(false, reason);
    }
}
