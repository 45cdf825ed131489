package io.kubevisor.apiserver.auth.authn;

import java.util.Optional;

/**
 * Turns request credentials into a user. Implementations are immutable and thread-safe, and are
 * called on request threads, so they must not block on the network.
 */
@FunctionalInterface
public interface Authenticator {

    /**
     * Authenticates the credentials this authenticator understands.
     *
     * @return the user, with {@value UserInfo#AUTHENTICATED} among its groups; empty when the
     *         credentials are absent, of another kind, or invalid (the caller answers 401 when no
     *         authenticator accepts a request). Never throws for bad credentials.
     */
    Optional<UserInfo> authenticate(Credentials credentials);
}
