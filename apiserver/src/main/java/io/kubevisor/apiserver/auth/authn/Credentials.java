package io.kubevisor.apiserver.auth.authn;

import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/**
 * What a request presented to prove who it is. Immutable.
 *
 * @param peerChain   the TLS client certificate chain, leaf first; empty when none was sent (the
 *                    TLS layer requests but does not require one)
 * @param bearerToken the token from {@code Authorization: Bearer <token>}, or null
 */
public record Credentials(List<X509Certificate> peerChain, String bearerToken) {

    public Credentials {
        peerChain = peerChain == null ? List.of() : List.copyOf(peerChain);
        bearerToken = bearerToken == null || bearerToken.isEmpty() ? null : bearerToken;
    }

    /** No credentials at all. */
    public static Credentials none() {
        return new Credentials(List.of(), null);
    }

    /** True if neither a certificate nor a token was presented. */
    public boolean isEmpty() {
        return peerChain.isEmpty() && bearerToken == null;
    }

    /**
     * Credentials from a TLS session and the request's {@code Authorization} header.
     *
     * @param session             the connection's TLS session, or null for plain HTTP
     * @param authorizationHeader the header's value, or null
     */
    public static Credentials of(SSLSession session, String authorizationHeader) {
        return new Credentials(peerCertificates(session), bearerToken(authorizationHeader));
    }

    /**
     * The X.509 certificates the peer presented, leaf first; empty if none, or the session is null.
     */
    public static List<X509Certificate> peerCertificates(SSLSession session) {
        if (session == null) {
            return List.of();
        }
        try {
            Certificate[] certs = session.getPeerCertificates();
            var out = new ArrayList<X509Certificate>(certs.length);
            for (Certificate c : certs) {
                if (c instanceof X509Certificate x) {
                    out.add(x);
                }
            }
            return out;
        } catch (SSLPeerUnverifiedException e) {
            return List.of();
        }
    }

    /**
     * The token of an {@code Authorization: Bearer <token>} header as Kubernetes reads it: scheme
     * case-insensitive, surrounding spaces trimmed; null for another scheme or an empty token.
     */
    public static String bearerToken(String authorizationHeader) {
        if (authorizationHeader == null) {
            return null;
        }
        String h = authorizationHeader.strip();
        int sp = h.indexOf(' ');
        if (sp < 0 || !h.substring(0, sp).toLowerCase(Locale.ROOT).equals("bearer")) {
            return null;
        }
        String token = h.substring(sp + 1).strip();
        return token.isEmpty() ? null : token;
    }

    @Override
    public String toString() {
        // Never print the token.
        return "Credentials[peerChain=" + peerChain.size() + " certs, bearerToken=" + (bearerToken == null ? "none" : "***") + "]";
    }
}
