package io.kubevisor.apiserver.auth.pki;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.util.io.pem.PemObject;

/**
 * PEM encoding and decoding of certificates and private keys. Keys are written as PKCS#8
 * ({@code PRIVATE KEY}), which Go's {@code tls.X509KeyPair} (kubectl) and Java both read; reading
 * also accepts the traditional {@code EC PRIVATE KEY} and {@code RSA PRIVATE KEY} forms.
 * Stateless and thread-safe; uses the JDK's default security providers, never registers one.
 */
public final class Pem {

    private Pem() {
    }

    /** Encodes certificates, in order, as concatenated {@code CERTIFICATE} blocks. */
    public static String encodeCertificates(List<X509Certificate> certs) {
        return write(certs.toArray());
    }

    /** Encodes one certificate as a {@code CERTIFICATE} block. */
    public static String encodeCertificate(X509Certificate cert) {
        return write(cert);
    }

    /** Encodes a private key as a PKCS#8 {@code PRIVATE KEY} block. */
    public static String encodePrivateKey(PrivateKey key) {
        // The generic writer would turn an EC PrivateKeyInfo into SEC1 ("EC PRIVATE KEY"); force PKCS#8.
        if (!"PKCS#8".equals(key.getFormat())) {
            throw new IllegalArgumentException("private key is not PKCS#8-encodable: " + key.getFormat());
        }
        return write(new PemObject("PRIVATE KEY", key.getEncoded()));
    }

    /**
     * Encodes a private key in its traditional OpenSSL form: SEC1 {@code EC PRIVATE KEY} (with the
     * named curve) for EC keys, PKCS#1 {@code RSA PRIVATE KEY} for RSA. Kubeconfigs use it because
     * some clients (fabric8 8.0) recognise an EC key only by that header; Go reads both forms.
     */
    public static String encodePrivateKeyTraditional(PrivateKey key) {
        if (!(key instanceof java.security.interfaces.ECPrivateKey ec)) {
            return write(key);
        }
        // Java's PKCS#8 keeps the curve outside the inner SEC1 structure; Go needs it inside.
        var info = org.bouncycastle.asn1.pkcs.PrivateKeyInfo.getInstance(key.getEncoded());
        var curve = org.bouncycastle.asn1.ASN1ObjectIdentifier.getInstance(
                info.getPrivateKeyAlgorithm().getParameters());
        var x9 = org.bouncycastle.asn1.x9.ECNamedCurveTable.getByOID(curve);
        if (x9 == null) {
            throw new IllegalArgumentException("EC key on an unnamed curve: " + curve);
        }
        var q = x9.getG().multiply(ec.getS()).normalize();
        var sec1 = new org.bouncycastle.asn1.sec.ECPrivateKey(x9.getN().bitLength(), ec.getS(),
                new org.bouncycastle.asn1.DERBitString(q.getEncoded(false)), curve);
        try {
            return write(new PemObject("EC PRIVATE KEY", sec1.getEncoded()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Decodes every {@code CERTIFICATE} block in the text, in order; other blocks are ignored.
     *
     * @throws IllegalArgumentException if the text holds no certificate or a malformed one
     */
    public static List<X509Certificate> decodeCertificates(String pem) {
        var converter = new JcaX509CertificateConverter();
        List<X509Certificate> out = new ArrayList<>();
        try (var parser = new PEMParser(new StringReader(pem))) {
            for (Object o = parser.readObject(); o != null; o = parser.readObject()) {
                if (o instanceof X509CertificateHolder h) {
                    out.add(converter.getCertificate(h));
                }
            }
        } catch (IOException | CertificateException e) {
            throw new IllegalArgumentException("malformed PEM certificate: " + e.getMessage(), e);
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("no CERTIFICATE block found in PEM text");
        }
        return List.copyOf(out);
    }

    /**
     * Decodes the first private key block (PKCS#8, SEC1 EC or PKCS#1 RSA) in the text.
     *
     * @throws IllegalArgumentException if the text holds no key or an encrypted or malformed one
     */
    public static PrivateKey decodePrivateKey(String pem) {
        var converter = new JcaPEMKeyConverter();
        try (var parser = new PEMParser(new StringReader(pem))) {
            for (Object o = parser.readObject(); o != null; o = parser.readObject()) {
                switch (o) {
                    case PrivateKeyInfo info -> {
                        return converter.getPrivateKey(info);
                    }
                    case PEMKeyPair pair -> {
                        // SEC1 keys may omit the public key, so convert only the private part.
                        return converter.getPrivateKey(pair.getPrivateKeyInfo());
                    }
                    default -> {
                        // certificates or parameters next to the key: skip
                    }
                }
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("malformed PEM private key: " + e.getMessage(), e);
        }
        throw new IllegalArgumentException("no unencrypted private key block found in PEM text");
    }

    private static String write(Object... objects) {
        // JcaPEMWriter writes PemObjects as they are and converts JCA objects (certificates).
        var out = new StringWriter();
        try (var w = new JcaPEMWriter(out)) {
            for (Object o : objects) {
                w.writeObject(o);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }
}
