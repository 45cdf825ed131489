package io.kubevisor.apiserver.auth.pki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.StringWriter;
import java.security.interfaces.ECPrivateKey;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.util.io.pem.PemObject;
import org.junit.jupiter.api.Test;

class KeyMaterialTest {

    private static final ClusterCa CA = ClusterCa.create("ca", Duration.ofDays(10), Clock.systemUTC());

    @Test
    void pemRoundTrip() {
        KeyMaterial m = CA.issueClient("u", List.of("g"), Duration.ofDays(1));
        KeyMaterial back = KeyMaterial.fromPem(m.certificatePem(), m.privateKeyPem());
        assertThat(back.chain()).isEqualTo(m.chain());
        assertThat(back.privateKey()).isEqualTo(m.privateKey());
        assertThat(m.privateKeyPem()).startsWith("-----BEGIN PRIVATE KEY-----");
    }

    @Test
    void readsTraditionalEcKeyFormat() throws Exception {
        // openssl and Go write "EC PRIVATE KEY" (SEC1, RFC 5915) with the named curve and public key.
        var keys = CertificateSigner.newKeyPair();
        var sec1 = new org.bouncycastle.asn1.sec.ECPrivateKey(256, ((ECPrivateKey) keys.getPrivate()).getS(),
                SubjectPublicKeyInfo.getInstance(keys.getPublic().getEncoded()).getPublicKeyData(),
                SECObjectIdentifiers.secp256r1);
        var out = new StringWriter();
        try (var w = new JcaPEMWriter(out)) {
            w.writeObject(new PemObject("EC PRIVATE KEY", sec1.getEncoded()));
        }
        var decoded = (ECPrivateKey) Pem.decodePrivateKey(out.toString());
        assertThat(decoded.getS()).isEqualTo(((ECPrivateKey) keys.getPrivate()).getS());
        assertThat(decoded.getParams().getCurve()).isEqualTo(((ECPrivateKey) keys.getPrivate()).getParams().getCurve());
    }

    @Test
    void chainKeepsOrder() {
        KeyMaterial leaf = CA.issueServing(List.of(), List.of(), Duration.ofDays(1));
        String pem = Pem.encodeCertificates(List.of(leaf.certificate(), CA.certificate()));
        KeyMaterial m = KeyMaterial.fromPem(pem, leaf.privateKeyPem());
        assertThat(m.chainArray()).containsExactly(leaf.certificate(), CA.certificate());
    }

    @Test
    void rejectsMismatchedOrMissingParts() {
        KeyMaterial a = CA.issueClient("a", List.of(), Duration.ofDays(1));
        KeyMaterial b = CA.issueClient("b", List.of(), Duration.ofDays(1));
        assertThatThrownBy(() -> KeyMaterial.fromPem(a.certificatePem(), b.privateKeyPem()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("does not match");
        assertThatThrownBy(() -> KeyMaterial.fromPem("", a.privateKeyPem()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no CERTIFICATE");
        assertThatThrownBy(() -> KeyMaterial.fromPem(a.certificatePem(), a.certificatePem()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no unencrypted private key");
    }

    @Test
    void buildsAKeyManager() {
        KeyMaterial m = CA.issueServing(List.of(), List.of(), Duration.ofDays(1));
        var km = (javax.net.ssl.X509KeyManager) m.keyManagerFactory().getKeyManagers()[0];
        String alias = km.chooseServerAlias("EC", null, null);
        assertThat(km.getCertificateChain(alias)).containsExactly(m.certificate());
    }
}
