package io.kubevisor.apiserver.auth.pki;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

import javax.net.ssl.TrustManagerFactory;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cluster's certificate authority: a self-signed ECDSA P-256 CA kept as PEM in the data
 * directory ({@value #CERT_FILE}, {@value #KEY_FILE} with mode 0600), which signs the API server's
 * serving certificate and client certificates (CN = user name, O = groups, as Kubernetes' x509
 * authenticator reads them).
 *
 * <p>Immutable and thread-safe once loaded. Two processes must not {@link #loadOrCreate} the same
 * directory at the same time for the first time.
 */
public final class ClusterCa {

    public static final String CERT_FILE = "ca.crt";
    public static final String KEY_FILE = "ca.key";
    /** How long a new CA is valid. */
    public static final Duration CA_VALIDITY = Duration.ofDays(3650);
    /** Leaves are back-dated by this much so a client whose clock is slightly behind accepts them. */
    static final Duration BACKDATE = Duration.ofMinutes(5);
    /** The Common Name of the API server's serving certificate. */
    public static final String SERVING_COMMON_NAME = "kubevisor-apiserver";

    private static final Logger LOG = LoggerFactory.getLogger(ClusterCa.class);

    private final KeyMaterial material;
    private final Clock clock;
    private final String hostname;

    private ClusterCa(KeyMaterial material, Clock clock, String hostname) {
        this.material = material;
        this.clock = clock;
        this.hostname = hostname;
    }

    /** {@link #loadOrCreate(Path, Clock)} with the system clock. */
    public static ClusterCa loadOrCreate(Path dir) {
        return loadOrCreate(dir, Clock.systemUTC());
    }

    /**
     * Loads the CA from {@code dir}, or creates a new one there if neither file exists.
     *
     * @throws IllegalStateException if only one of the two files exists, or they do not match, or
     *                               the certificate is not a CA: an operator must look, since
     *                               replacing a CA silently would lock out every existing client
     */
    public static ClusterCa loadOrCreate(Path dir, Clock clock) {
        Path crt = dir.resolve(CERT_FILE);
        Path key = dir.resolve(KEY_FILE);
        boolean hasCrt = Files.exists(crt);
        boolean hasKey = Files.exists(key);
        if (hasCrt && hasKey) {
            KeyMaterial m;
            try {
                m = KeyMaterial.read(crt, key);
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException("cluster CA in " + dir + " is unusable: " + e.getMessage(), e);
            }
            X509Certificate c = m.certificate();
            if (c.getBasicConstraints() < 0) {
                throw new IllegalStateException(crt + " is not a CA certificate");
            }
            warnIfReadableByOthers(key);
            if (c.getNotAfter().toInstant().isBefore(clock.instant())) {
                LOG.warn("event=ca_expired file={} notAfter={}", crt, c.getNotAfter().toInstant());
            }
            LOG.info("event=ca_loaded dir={} subject=\"{}\" notAfter={}", dir, c.getSubjectX500Principal(),
                    c.getNotAfter().toInstant());
            return new ClusterCa(m, clock, LocalHost.name());
        }
        if (hasCrt || hasKey) {
            throw new IllegalStateException("cluster CA in " + dir + " is incomplete: found "
                    + (hasCrt ? CERT_FILE : KEY_FILE) + " without " + (hasCrt ? KEY_FILE : CERT_FILE));
        }
        ClusterCa ca = create("kubevisor-ca@" + clock.instant().getEpochSecond(), CA_VALIDITY, clock);
        ca.material.write(crt, key);
        LOG.info("event=ca_created dir={} subject=\"{}\" notAfter={}", dir,
                ca.certificate().getSubjectX500Principal(), ca.certificate().getNotAfter().toInstant());
        return ca;
    }

    /**
     * A new CA held only in memory (tests, or callers that store it elsewhere).
     *
     * @param commonName the CA's subject CN; make it unique per cluster
     */
    public static ClusterCa create(String commonName, Duration validity, Clock clock) {
        KeyPair keys = CertificateSigner.newKeyPair();
        Instant now = clock.instant();
        X500Name subject = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, commonName).build();
        X509Certificate cert = CertificateSigner.selfSignedCa(keys, subject, now.minus(BACKDATE), now.plus(validity));
        return new ClusterCa(new KeyMaterial(List.of(cert), keys.getPrivate()), clock, LocalHost.name());
    }

    /** The CA certificate: what clients put in {@code certificate-authority-data}. */
    public X509Certificate certificate() {
        return material.certificate();
    }

    /** The CA certificate as PEM. */
    public String certificatePem() {
        return Pem.encodeCertificate(certificate());
    }

    /** The clock certificates are dated by. */
    public Clock clock() {
        return clock;
    }

    /**
     * Issues a serving certificate for {@link #SERVING_COMMON_NAME}, valid for
     * {@link SubjectAltNames#withDefaults the default names}, this host's name and the given names.
     * Each call makes a new key.
     */
    public KeyMaterial issueServing(List<String> dnsNames, List<InetAddress> ips, Duration validity) {
        return issueServing(servingNames(dnsNames, ips), validity);
    }

    /** The names {@link #issueServing(List, List, Duration)} would put in a certificate. */
    public SubjectAltNames servingNames(List<String> dnsNames, List<InetAddress> ips) {
        return SubjectAltNames.withDefaults(dnsNames, ips, hostname);
    }

    KeyMaterial issueServing(SubjectAltNames names, Duration validity) {
        X500Name subject = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, SERVING_COMMON_NAME).build();
        return issue(subject, validity, KeyPurposeId.id_kp_serverAuth, names);
    }

    /**
     * Issues a client certificate: {@code CN=commonName} (the user name) and one {@code O} per
     * organization (the groups), usable for TLS client authentication only. Each call makes a new key.
     */
    public KeyMaterial issueClient(String commonName, List<String> organizations, Duration validity) {
        Objects.requireNonNull(commonName, "commonName");
        if (commonName.isBlank()) {
            throw new IllegalArgumentException("client certificate needs a non-empty common name");
        }
        var b = new X500NameBuilder(BCStyle.INSTANCE);
        for (String o : organizations) {
            b.addRDN(BCStyle.O, o);
        }
        b.addRDN(BCStyle.CN, commonName);
        return issue(b.build(), validity, KeyPurposeId.id_kp_clientAuth, null);
    }

    /** True if {@code cert} carries a valid signature by this CA (dates are not checked). */
    public boolean signed(X509Certificate cert) {
        try {
            cert.verify(certificate().getPublicKey());
            return cert.getIssuerX500Principal().equals(certificate().getSubjectX500Principal());
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    /** A trust manager factory that trusts exactly this CA, for JDK TLS clients and servers. */
    public TrustManagerFactory trustManagerFactory() {
        try {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setCertificateEntry("ca", certificate());
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(ks);
            return tmf;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot build a trust manager: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private KeyMaterial issue(X500Name subject, Duration validity, KeyPurposeId purpose, SubjectAltNames names) {
        if (validity.isNegative() || validity.isZero()) {
            throw new IllegalArgumentException("validity must be positive, got " + validity);
        }
        KeyPair keys = CertificateSigner.newKeyPair();
        Instant now = clock.instant();
        Instant notAfter = now.plus(validity);
        Instant caNotAfter = certificate().getNotAfter().toInstant();
        if (notAfter.isAfter(caNotAfter)) {
            // A leaf outliving its CA would fail verification at the CA's expiry anyway.
            notAfter = caNotAfter;
        }
        X509Certificate cert = CertificateSigner.leaf(certificate(), material.privateKey(), subject,
                keys.getPublic(), now.minus(BACKDATE), notAfter, purpose,
                names == null ? null : names.toGeneralNames());
        return new KeyMaterial(List.of(cert), keys.getPrivate());
    }

    private static void warnIfReadableByOthers(Path key) {
        try {
            var perms = Files.getPosixFilePermissions(key);
            if (perms.contains(PosixFilePermission.GROUP_READ) || perms.contains(PosixFilePermission.OTHERS_READ)) {
                LOG.warn("event=ca_key_readable_by_others file={} hint=\"chmod 600 {}\"", key, key);
            }
        } catch (UnsupportedOperationException | IOException e) {
            // not a POSIX file system: nothing to check
        }
    }
}
