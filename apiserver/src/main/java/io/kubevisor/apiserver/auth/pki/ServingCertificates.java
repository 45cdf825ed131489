package io.kubevisor.apiserver.auth.pki;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the API server's serving certificate in the data directory ({@value #CERT_FILE},
 * {@value #KEY_FILE}) and re-issues it when it would no longer do: missing or unreadable, signed by
 * another CA, valid for other names than asked, or expiring within {@link #RENEW_BEFORE}.
 */
public final class ServingCertificates {

    public static final String CERT_FILE = "apiserver.crt";
    public static final String KEY_FILE = "apiserver.key";
    /** Re-issue when the certificate expires sooner than this. */
    public static final Duration RENEW_BEFORE = Duration.ofDays(30);
    /** Validity of a newly issued serving certificate. */
    public static final Duration DEFAULT_VALIDITY = Duration.ofDays(365);

    private static final Logger LOG = LoggerFactory.getLogger(ServingCertificates.class);

    private ServingCertificates() {
    }

    /** {@link #loadOrIssue(ClusterCa, Path, List, List, Duration)} with {@link #DEFAULT_VALIDITY}. */
    public static KeyMaterial loadOrIssue(ClusterCa ca, Path dir, List<String> dnsNames, List<InetAddress> ips) {
        return loadOrIssue(ca, dir, dnsNames, ips, DEFAULT_VALIDITY);
    }

    /**
     * Returns the stored serving certificate if it still fits, else issues, stores and returns a
     * new one. Not safe to call concurrently for the same directory.
     *
     * @param dnsNames extra DNS names beyond the defaults (see {@link ClusterCa#issueServing})
     * @param ips      extra IP addresses beyond loopback
     */
    public static KeyMaterial loadOrIssue(ClusterCa ca, Path dir, List<String> dnsNames, List<InetAddress> ips,
                                          Duration validity) {
        Path crt = dir.resolve(CERT_FILE);
        Path key = dir.resolve(KEY_FILE);
        SubjectAltNames wanted = ca.servingNames(dnsNames, ips);
        String why = "missing";
        if (Files.exists(crt) && Files.exists(key)) {
            try {
                KeyMaterial existing = KeyMaterial.read(crt, key);
                why = staleness(ca, existing, wanted);
                if (why == null) {
                    LOG.info("event=serving_cert_loaded file={} notAfter={}", crt,
                            existing.certificate().getNotAfter().toInstant());
                    return existing;
                }
            } catch (IllegalArgumentException e) {
                why = "unreadable (" + e.getMessage() + ")";
            }
        }
        KeyMaterial fresh = ca.issueServing(wanted, validity);
        fresh.write(crt, key);
        LOG.info("event=serving_cert_issued file={} reason=\"{}\" dns={} ips={} notAfter={}", crt, why,
                wanted.dnsNames(), wanted.ipAddresses(), fresh.certificate().getNotAfter().toInstant());
        return fresh;
    }

    /** Why a stored certificate must be replaced, or null if it is still good. */
    private static String staleness(ClusterCa ca, KeyMaterial existing, SubjectAltNames wanted) {
        var cert = existing.certificate();
        if (!ca.signed(cert)) {
            return "signed by another CA";
        }
        SubjectAltNames have = SubjectAltNames.of(cert);
        if (!have.equals(wanted)) {
            return "names changed from " + have + " to " + wanted;
        }
        Instant renewAt = cert.getNotAfter().toInstant().minus(RENEW_BEFORE);
        if (!ca.clock().instant().isBefore(renewAt)) {
            return "expires " + cert.getNotAfter().toInstant();
        }
        if (cert.getNotBefore().toInstant().isAfter(ca.clock().instant())) {
            return "not yet valid";
        }
        return null;
    }
}
