package io.kubevisor.apiserver.auth.rbac;

import java.util.ArrayList;
import java.util.List;

/**
 * Asks authorizers in order, as kube-apiserver's {@code --authorization-mode=Node,RBAC} does: the
 * first that allows or denies decides; when all have no opinion, the answer is no opinion with
 * their non-empty reasons joined by newlines. Thread-safe if the parts are.
 */
public final class UnionAuthorizer implements Authorizer {

    private final List<Authorizer> authorizers;

    public UnionAuthorizer(List<Authorizer> authorizers) {
        this.authorizers = List.copyOf(authorizers);
    }

    @Override
    public Decision authorize(Attributes attributes) {
        List<String> reasons = new ArrayList<>();
        for (Authorizer a : authorizers) {
            Decision d = a.authorize(attributes);
            switch (d.outcome()) {
                case ALLOW, DENY -> {
                    return d;
                }
                case NO_OPINION -> {
                    if (!d.reason().isEmpty()) {
                        reasons.add(d.reason());
                    }
                }
            }
        }
        return Decision.noOpinion(String.join("\n", reasons));
    }
}
