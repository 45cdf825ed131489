package io.kubevisor.apiserver.auth.pki;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.util.List;

import javax.net.ssl.KeyManagerFactory;

/**
 * A certificate chain (leaf first) and the leaf's private key, held in memory. Immutable and
 * thread-safe. The HTTP layer builds its TLS context from {@link #privateKey()} and
 * {@link #chainArray()} (Netty: {@code SslContextBuilder.forServer(key, chain)}), or from
 * {@link #keyManagerFactory()}.
 *
 * @param chain      leaf certificate first, then intermediates; never empty
 * @param privateKey the leaf's private key
 */
public record KeyMaterial(List<X509Certificate> chain, PrivateKey privateKey) {

    /**
     * @throws IllegalArgumentException if the chain is empty or the key does not belong to the leaf
     */
    public KeyMaterial {
        chain = List.copyOf(chain);
        if (chain.isEmpty()) {
            throw new IllegalArgumentException("certificate chain is empty");
        }
        if (privateKey == null) {
            throw new IllegalArgumentException("private key is missing");
        }
        requireMatchingKey(chain.getFirst(), privateKey);
    }

    /** The leaf certificate. */
    public X509Certificate certificate() {
        return chain.getFirst();
    }

    /** A fresh array copy of the chain, leaf first, for APIs that take arrays. */
    public X509Certificate[] chainArray() {
        return chain.toArray(X509Certificate[]::new);
    }

    /** The chain as concatenated PEM {@code CERTIFICATE} blocks. */
    public String certificatePem() {
        return Pem.encodeCertificates(chain);
    }

    /** The key as a PKCS#8 PEM block. Secret: callers must not log it. */
    public String privateKeyPem() {
        return Pem.encodePrivateKey(privateKey);
    }

    /**
     * Parses PEM text.
     *
     * @throws IllegalArgumentException if either text is malformed or the key does not match
     */
    public static KeyMaterial fromPem(String certificatePem, String privateKeyPem) {
        return new KeyMaterial(Pem.decodeCertificates(certificatePem), Pem.decodePrivateKey(privateKeyPem));
    }

    /**
     * Reads a PEM certificate file and a PEM key file.
     *
     * @throws UncheckedIOException if a file cannot be read
     * @throws IllegalArgumentException if a file is malformed or the key does not match
     */
    public static KeyMaterial read(Path certificateFile, Path keyFile) {
        try {
            return fromPem(SecureFiles.read(certificateFile), SecureFiles.read(keyFile));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(certificateFile + " / " + keyFile + ": " + e.getMessage(), e);
        }
    }

    /** Writes the chain (mode 0644) and the key (mode 0600), each atomically. */
    public void write(Path certificateFile, Path keyFile) {
        SecureFiles.writeSecret(keyFile, privateKeyPem());
        SecureFiles.writePublic(certificateFile, certificatePem());
    }

    /** A key manager factory over this material, for JDK TLS servers and clients. */
    public KeyManagerFactory keyManagerFactory() {
        try {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            char[] password = new char[0];
            ks.setKeyEntry("key", privateKey, password, chainArray());
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, password);
            return kmf;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot build a key manager: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void requireMatchingKey(X509Certificate leaf, PrivateKey key) {
        // A signature round trip works for every key type without provider-specific math.
        try {
            String alg = switch (key.getAlgorithm()) {
                case "EC" -> "SHA256withECDSA";
                case "RSA" -> "SHA256withRSA";
                case "Ed25519", "EdDSA" -> "Ed25519";
                default -> throw new IllegalArgumentException("unsupported key algorithm " + key.getAlgorithm());
            };
            byte[] probe = new byte[32];
            new SecureRandom().nextBytes(probe);
            Signature signer = Signature.getInstance(alg);
            signer.initSign(key);
            signer.update(probe);
            byte[] sig = signer.sign();
            Signature verifier = Signature.getInstance(alg);
            verifier.initVerify(leaf.getPublicKey());
            verifier.update(probe);
            if (!verifier.verify(sig)) {
                throw new IllegalArgumentException("private key does not match certificate " + leaf.getSubjectX500Principal());
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("private key does not match certificate "
                    + leaf.getSubjectX500Principal() + ": " + e.getMessage(), e);
        }
    }
}
