package io.kubevisor.apiserver.auth.authn;

import java.util.Optional;

/**
 * Whether a request without any credentials is served as {@value UserInfo#ANONYMOUS} (group
 * {@value UserInfo#UNAUTHENTICATED}) or refused with 401. Off by default. As in Kubernetes, a request
 * that presents credentials which fail to authenticate is refused even when anonymous access is on.
 *
 * @param enabled true to let credential-less requests through as the anonymous user
 */
public record AnonymousAccess(boolean enabled) {

    /** The default: credential-less requests get 401. */
    public static AnonymousAccess disabled() {
        return new AnonymousAccess(false);
    }

    public static AnonymousAccess allowed() {
        return new AnonymousAccess(true);
    }

    /** The delegate, plus the anonymous user for credential-less requests when enabled. */
    public Authenticator wrap(Authenticator delegate) {
        if (!enabled) {
            return delegate;
        }
        return credentials -> credentials.isEmpty() ? Optional.of(UserInfo.anonymous()) : delegate.authenticate(credentials);
    }
}
