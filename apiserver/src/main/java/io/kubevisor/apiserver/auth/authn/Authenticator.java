package io.kubevisor.apiserver.auth.authn;

import java.util.Optional;

/** Turns credentials into a user. */
public interface Authenticator {
    Optional<UserInfo> authenticate(Credentials credentials);
}
