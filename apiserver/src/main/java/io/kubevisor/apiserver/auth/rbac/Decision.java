package io.kubevisor.apiserver.auth.rbac;

import java.util.Objects;

/**
 * An authorizer's answer. Immutable. As in Kubernetes, an authorizer may allow, deny, or have no
 * opinion; in a chain ({@link UnionAuthorizer}) the first allow or deny decides, and a request no
 * authorizer allows is refused.
 *
 * @param outcome allow, deny or no opinion
 * @param reason  why, for logs and SubjectAccessReview {@code status.reason}; "" when there is
 *                nothing to say (a plain "no rule matched" has an empty reason, as in Kubernetes)
 */
public record Decision(Outcome outcome, String reason) {

    /** The closed set of answers. */
    public enum Outcome {
        /** Let the request through; later authorizers are not asked. */
        ALLOW,
        /** Refuse, and do not ask later authorizers: no grant elsewhere can override it. */
        DENY,
        /** Leave it to the next authorizer; refused if none allows. */
        NO_OPINION
    }

    public Decision {
        Objects.requireNonNull(outcome, "outcome");
        reason = reason == null ? "" : reason;
    }

    public static Decision allow(String reason) {
        return new Decision(Outcome.ALLOW, reason);
    }

    public static Decision deny(String reason) {
        return new Decision(Outcome.DENY, reason);
    }

    public static Decision noOpinion(String reason) {
        return new Decision(Outcome.NO_OPINION, reason);
    }

    /** True only for {@link Outcome#ALLOW}: a request is served only when allowed. */
    public boolean allowed() {
        return outcome == Outcome.ALLOW;
    }

    /** True for an explicit {@link Outcome#DENY} (SubjectAccessReview's {@code status.denied}). */
    public boolean denied() {
        return outcome == Outcome.DENY;
    }
}
