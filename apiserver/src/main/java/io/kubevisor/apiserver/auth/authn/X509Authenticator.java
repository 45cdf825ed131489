package io.kubevisor.apiserver.auth.authn;

import java.security.GeneralSecurityException;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateParsingException;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.x500.AttributeTypeAndValue;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Authenticates TLS client certificates as Kubernetes does: the chain must verify against one of
 * the trusted CAs at the current time and the leaf must be usable for client authentication; the
 * subject's CN is the user name and each O is a group. The TLS layer only requests client
 * certificates, so this is where an untrusted one is rejected. Immutable and thread-safe.
 */
public final class X509Authenticator implements Authenticator {

    private static final Logger LOG = LoggerFactory.getLogger(X509Authenticator.class);
    private static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";
    private static final String ANY_EXTENDED_KEY_USAGE = "2.5.29.37.0";

    private final List<X509Certificate> roots;
    private final Set<TrustAnchor> anchors;
    private final Clock clock;
    /**
     * Accepted leaf certificates: PKIX validation costs more than the rest of a request, and
     * clients present the same certificate on every request. Entries hold until the certificate
     * expires; the map is emptied if it grows past {@link #CACHE_LIMIT}. Rejections are not kept.
     */
    private final java.util.concurrent.ConcurrentHashMap<X509Certificate, Verdict> verdicts =
            new java.util.concurrent.ConcurrentHashMap<>();
    private static final int CACHE_LIMIT = 4096;

    private record Verdict(Optional<UserInfo> user, java.time.Instant validUntil) {
    }

    /** Trusts one CA, checks validity against the system clock. */
    public X509Authenticator(X509Certificate ca) {
        this(List.of(ca), Clock.systemUTC());
    }

    /**
     * @param roots CAs whose client certificates are accepted (more than one during CA rotation)
     * @param clock the time certificates must be valid at
     */
    public X509Authenticator(Collection<X509Certificate> roots, Clock clock) {
        if (roots.isEmpty()) {
            throw new IllegalArgumentException("X509Authenticator needs at least one CA");
        }
        this.roots = List.copyOf(roots);
        var a = new HashSet<TrustAnchor>();
        roots.forEach(r -> a.add(new TrustAnchor(r, null)));
        this.anchors = Set.copyOf(a);
        this.clock = clock;
    }

    @Override
    public Optional<UserInfo> authenticate(Credentials credentials) {
        List<X509Certificate> chain = credentials.peerChain();
        if (chain.isEmpty()) {
            return Optional.empty();
        }
        X509Certificate leaf = chain.getFirst();
        java.time.Instant now = clock.instant();
        Verdict cached = chain.size() == 1 ? verdicts.get(leaf) : null;
        if (cached != null && now.isBefore(cached.validUntil())
                && !now.isBefore(leaf.getNotBefore().toInstant())) {
            return cached.user();
        }
        Optional<UserInfo> user = check(chain, leaf);
        if (chain.size() == 1 && user.isPresent()) {
            if (verdicts.size() >= CACHE_LIMIT) {
                verdicts.clear();
            }
            verdicts.put(leaf, new Verdict(user, leaf.getNotAfter().toInstant()));
        }
        return user;
    }

    private Optional<UserInfo> check(List<X509Certificate> chain, X509Certificate leaf) {
        String failure = verify(chain);
        if (failure != null) {
            LOG.debug("event=x509_rejected subject=\"{}\" issuer=\"{}\" reason=\"{}\"", leaf.getSubjectX500Principal(),
                    leaf.getIssuerX500Principal(), failure);
            return Optional.empty();
        }
        X500Name subject = X500Name.getInstance(leaf.getSubjectX500Principal().getEncoded());
        List<String> cn = values(subject, BCStyle.CN);
        if (cn.isEmpty() || cn.getFirst().isEmpty()) {
            LOG.debug("event=x509_rejected subject=\"{}\" reason=\"no common name\"", leaf.getSubjectX500Principal());
            return Optional.empty();
        }
        var user = new UserInfo(cn.getFirst(), "", values(subject, BCStyle.O), Map.of());
        return Optional.of(user.withAuthenticatedGroup());
    }

    /** Null if the chain is trusted for client authentication now, else why not. */
    private String verify(List<X509Certificate> chain) {
        try {
            if (!usableForClientAuth(chain.getFirst())) {
                return "certificate is not usable for client authentication";
            }
            // The peer may send the root too; PKIX wants the path without the trust anchor.
            List<X509Certificate> path = new ArrayList<>(chain);
            path.removeIf(roots::contains);
            if (path.isEmpty()) {
                return "the client presented only a CA certificate";
            }
            var params = new PKIXParameters(anchors);
            params.setRevocationEnabled(false);
            params.setDate(Date.from(clock.instant()));
            CertPathValidator.getInstance("PKIX")
                    .validate(CertificateFactory.getInstance("X.509").generateCertPath(path), params);
            return null;
        } catch (GeneralSecurityException e) {
            return e.getMessage();
        }
    }

    private static boolean usableForClientAuth(X509Certificate leaf) throws CertificateParsingException {
        List<String> eku = leaf.getExtendedKeyUsage();
        // Like Go's verifier: no EKU extension means any usage.
        return eku == null || eku.contains(CLIENT_AUTH) || eku.contains(ANY_EXTENDED_KEY_USAGE);
    }

    private static List<String> values(X500Name name, ASN1ObjectIdentifier type) {
        var out = new ArrayList<String>();
        for (RDN rdn : name.getRDNs()) {
            for (AttributeTypeAndValue tv : rdn.getTypesAndValues()) {
                if (tv.getType().equals(type)) {
                    ASN1Encodable v = tv.getValue();
                    out.add(v instanceof ASN1String s ? s.getString() : v.toString());
                }
            }
        }
        return out;
    }
}
