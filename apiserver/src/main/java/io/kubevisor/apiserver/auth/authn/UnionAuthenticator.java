package io.kubevisor.apiserver.auth.authn;

import java.util.List;
import java.util.Optional;

/** Asks each authenticator in order; the first that accepts wins. Immutable and thread-safe. */
public record UnionAuthenticator(List<Authenticator> authenticators) implements Authenticator {

    public UnionAuthenticator {
        authenticators = List.copyOf(authenticators);
    }

    public static UnionAuthenticator of(Authenticator... authenticators) {
        return new UnionAuthenticator(List.of(authenticators));
    }

    @Override
    public Optional<UserInfo> authenticate(Credentials credentials) {
        for (Authenticator a : authenticators) {
            Optional<UserInfo> user = a.authenticate(credentials);
            if (user.isPresent()) {
                return user;
            }
        }
        return Optional.empty();
    }
}
