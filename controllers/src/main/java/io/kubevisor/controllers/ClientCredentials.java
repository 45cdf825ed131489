package io.kubevisor.controllers;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Objects;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * Where an API server is and how to authenticate to it with a client certificate, held in
 * memory: no kubeconfig file, and nothing read from the environment or {@code ~/.kube}.
 *
 * @param serverUrl          e.g. {@code https://127.0.0.1:6443}
 * @param caCertificatePem   the CA that signed the server's certificate (PEM)
 * @param certificatePem     the client certificate chain (PEM); CN is the user, O the groups
 * @param privateKeyPem      the client's private key (PEM, PKCS#8). Secret: never log it
 * @param keyAlgorithm       the key's JCA algorithm, e.g. {@code EC} or {@code RSA}
 */
public record ClientCredentials(String serverUrl, String caCertificatePem, String certificatePem,
                                String privateKeyPem, String keyAlgorithm) {

    public ClientCredentials {
        Objects.requireNonNull(serverUrl, "serverUrl");
        Objects.requireNonNull(caCertificatePem, "caCertificatePem");
        Objects.requireNonNull(certificatePem, "certificatePem");
        Objects.requireNonNull(privateKeyPem, "privateKeyPem");
        Objects.requireNonNull(keyAlgorithm, "keyAlgorithm");
    }

    /** A fabric8 configuration for these credentials. */
    public Config toConfig() {
        return new ConfigBuilder(Config.empty())
                .withMasterUrl(serverUrl)
                .withCaCertData(base64(caCertificatePem))
                .withClientCertData(base64(certificatePem))
                .withClientKeyData(base64(privateKeyPem))
                // fabric8 knows EC keys only by that name; some providers call them ECDSA.
                .withClientKeyAlgo(keyAlgorithm.equals("ECDSA") ? "EC" : keyAlgorithm)
                .withUserAgent("kubevisor-controllers")
                // Watch over a plain HTTP stream, as client-go does, rather than fabric8's default
                // WebSocket: any Kubernetes API server serves the former.
                .withOnlyHttpWatches(true)
                .build();
    }

    /** A new client; the caller owns it and must close it. */
    public KubernetesClient newClient() {
        return KubeClients.newClient(toConfig());
    }

    @Override
    public String toString() {
        // The key must never reach a log line through a record's generated toString.
        return "ClientCredentials[serverUrl=" + serverUrl + "]";
    }

    private static String base64(String pem) {
        return Base64.getEncoder().encodeToString(pem.getBytes(StandardCharsets.US_ASCII));
    }
}
