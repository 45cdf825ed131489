package io.kubevisor.e2e.support;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.Collection;

import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.internal.SSLUtils;

/**
 * JDK TLS material from a kubeconfig: trust in the cluster CA, and optionally the user's client
 * certificate and key (PKCS#8 PEM, EC or RSA). Stateless.
 */
public final class KubeTls {

    private static final char[] NO_PASSWORD = new char[0];

    private KubeTls() {
    }

    /**
     * An SSLContext trusting the kubeconfig's CA; with {@code clientCert} it also presents the
     * kubeconfig user's certificate. Each call returns a new context owned by the caller.
     */
    public static SSLContext sslContext(Config config, boolean clientCert) {
        try {
            CertificateFactory cf = CertificateFactory.getInstance("X.509");
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            int i = 0;
            for (Certificate ca : certificates(cf, config.getCaCertData())) {
                trust.setCertificateEntry("ca-" + i++, ca);
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            KeyStore keys = KeyStore.getInstance("PKCS12");
            keys.load(null, null);
            KeyManager[] keyManagers;
            if (clientCert && !isPkcs8(config.getClientKeyData())) {
                // SEC1/PKCS#1 keys: let the client library parse them (it reads those headers itself).
                keyManagers = SSLUtils.keyManagers(config);
            } else {
                if (clientCert) {
                    Certificate[] chain = certificates(cf, config.getClientCertData()).toArray(Certificate[]::new);
                    keys.setKeyEntry("client", privateKey(config.getClientKeyData()), NO_PASSWORD, chain);
                }
                kmf.init(keys, NO_PASSWORD);
                keyManagers = kmf.getKeyManagers();
            }
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(keyManagers, tmf.getTrustManagers(), null);
            return ctx;
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new IllegalStateException("cannot build TLS material from the kubeconfig", e);
        }
    }

    /** The JCA algorithm ("EC", "RSA", ...) of a base64-encoded PEM private key. */
    public static String keyAlgorithm(String base64Pem) {
        String pem = new String(Base64.getDecoder().decode(base64Pem), StandardCharsets.US_ASCII);
        if (pem.contains("BEGIN EC PRIVATE KEY")) {
            return "EC";
        }
        if (pem.contains("BEGIN RSA PRIVATE KEY")) {
            return "RSA";
        }
        try {
            return privateKey(base64Pem).getAlgorithm();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot read the kubeconfig's client key", e);
        }
    }

    private static Collection<? extends Certificate> certificates(CertificateFactory cf, String base64Pem)
            throws GeneralSecurityException {
        return cf.generateCertificates(new ByteArrayInputStream(Base64.getDecoder().decode(base64Pem)));
    }

    private static boolean isPkcs8(String base64Pem) {
        return new String(Base64.getDecoder().decode(base64Pem), StandardCharsets.US_ASCII)
                .contains("-----BEGIN PRIVATE KEY-----");
    }

    private static PrivateKey privateKey(String base64Pem) throws GeneralSecurityException {
        String pem = new String(Base64.getDecoder().decode(base64Pem), StandardCharsets.US_ASCII);
        if (!pem.contains("-----BEGIN PRIVATE KEY-----")) {
            throw new GeneralSecurityException("only PKCS#8 (BEGIN PRIVATE KEY) client keys are supported");
        }
        String body = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(Base64.getDecoder().decode(body));
        for (String algorithm : new String[] {"EC", "RSA", "Ed25519"}) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(spec);
            } catch (GeneralSecurityException wrongAlgorithm) {
                // try the next one: PKCS#8 does not say which factory to use without parsing the ASN.1
            }
        }
        throw new GeneralSecurityException("unsupported client key algorithm");
    }
}
