package io.kubevisor.apiserver.auth.pki;

import java.net.InetAddress;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;

/**
 * The DNS names and IP addresses a serving certificate is valid for, normalised (DNS names lower
 * case, IP addresses in the JDK's canonical text form) so two sets compare equal exactly when a
 * client would accept the same hosts.
 *
 * @param dnsNames    sorted DNS names
 * @param ipAddresses sorted canonical IP address literals
 */
public record SubjectAltNames(Set<String> dnsNames, Set<String> ipAddresses) {

    /**
     * Names every serving certificate carries: loopback, and the in-cluster names pods use to reach
     * the API server through the {@code kubernetes} Service in {@code default}.
     */
    public static final List<String> DEFAULT_DNS_NAMES = List.of("localhost", "kubernetes", "kubernetes.default",
            "kubernetes.default.svc", "kubernetes.default.svc.cluster.local");

    /** Loopback addresses every serving certificate carries. */
    public static final List<InetAddress> DEFAULT_IPS = List.of(
            InetAddress.ofLiteral("127.0.0.1"), InetAddress.ofLiteral("::1"));

    public SubjectAltNames {
        dnsNames = Collections.unmodifiableSortedSet(
                new TreeSet<>(dnsNames.stream().map(d -> d.toLowerCase(Locale.ROOT)).toList()));
        ipAddresses = Collections.unmodifiableSortedSet(
                new TreeSet<>(ipAddresses.stream().map(SubjectAltNames::canonicalIp).toList()));
    }

    /**
     * The defaults, the host name (if known) and the given names.
     *
     * @param hostname this machine's host name, or null if unknown
     */
    public static SubjectAltNames withDefaults(Collection<String> dnsNames, Collection<InetAddress> ips,
                                               String hostname) {
        var dns = new TreeSet<String>(DEFAULT_DNS_NAMES);
        if (hostname != null && !hostname.isBlank()) {
            dns.add(hostname.strip());
        }
        dns.addAll(dnsNames);
        var ip = new TreeSet<String>();
        DEFAULT_IPS.forEach(a -> ip.add(a.getHostAddress()));
        ips.forEach(a -> ip.add(a.getHostAddress()));
        return new SubjectAltNames(dns, ip);
    }

    /** The names a certificate carries (none if it has no SAN extension). */
    public static SubjectAltNames of(X509Certificate cert) {
        var dns = new TreeSet<String>();
        var ip = new TreeSet<String>();
        try {
            Collection<List<?>> sans = cert.getSubjectAlternativeNames();
            if (sans != null) {
                for (List<?> san : sans) {
                    int type = (Integer) san.get(0);
                    if (type == GeneralName.dNSName) {
                        dns.add((String) san.get(1));
                    } else if (type == GeneralName.iPAddress) {
                        ip.add((String) san.get(1));
                    }
                }
            }
        } catch (CertificateParsingException e) {
            throw new IllegalArgumentException("unreadable subjectAltName: " + e.getMessage(), e);
        }
        return new SubjectAltNames(dns, ip);
    }

    GeneralNames toGeneralNames() {
        var names = new ArrayList<GeneralName>();
        dnsNames.forEach(d -> names.add(new GeneralName(GeneralName.dNSName, d)));
        ipAddresses.forEach(i -> names.add(new GeneralName(GeneralName.iPAddress, i)));
        return new GeneralNames(names.toArray(GeneralName[]::new));
    }

    private static String canonicalIp(String literal) {
        try {
            return InetAddress.ofLiteral(literal).getHostAddress();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not an IP address literal: " + literal, e);
        }
    }
}
