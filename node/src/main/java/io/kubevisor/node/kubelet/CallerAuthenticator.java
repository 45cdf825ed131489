package io.kubevisor.node.kubelet;

import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Optional;

import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;

/**
 * Authenticates kubelet callers by their TLS client certificate, as Kubernetes' x509
 * authenticator does: the leaf must be signed by one of the client CAs and be within its validity;
 * its CN is the user, each O a group. Immutable and thread-safe.
 */
final class CallerAuthenticator {

    /** An authenticated caller. */
    record Caller(String user, List<String> groups) {
    }

    private final List<X509Certificate> cas;

    CallerAuthenticator(List<X509Certificate> cas) {
        this.cas = List.copyOf(cas);
    }

    /** The caller, or empty when no acceptable certificate was presented. */
    Optional<Caller> authenticate(List<X509Certificate> chain, Instant now) {
        if (chain.isEmpty()) {
            return Optional.empty();
        }
        X509Certificate leaf = chain.getFirst();
        try {
            leaf.checkValidity(Date.from(now));
        } catch (GeneralSecurityException e) {
            return Optional.empty();
        }
        boolean trusted = cas.stream().anyMatch(ca -> signedBy(leaf, ca));
        if (!trusted) {
            return Optional.empty();
        }
        return parse(leaf);
    }

    private static boolean signedBy(X509Certificate leaf, X509Certificate ca) {
        if (!leaf.getIssuerX500Principal().equals(ca.getSubjectX500Principal())) {
            return false;
        }
        try {
            leaf.verify(ca.getPublicKey());
            return true;
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private static Optional<Caller> parse(X509Certificate leaf) {
        try {
            String user = null;
            List<String> groups = new ArrayList<>();
            for (Rdn rdn : new LdapName(leaf.getSubjectX500Principal().getName()).getRdns()) {
                if (rdn.getType().equalsIgnoreCase("CN") && user == null) {
                    user = rdn.getValue().toString();
                } else if (rdn.getType().equalsIgnoreCase("O")) {
                    groups.add(rdn.getValue().toString());
                }
            }
            return user == null || user.isEmpty() ? Optional.empty() : Optional.of(new Caller(user, List.copyOf(groups)));
        } catch (InvalidNameException e) {
            return Optional.empty();
        }
    }
}
