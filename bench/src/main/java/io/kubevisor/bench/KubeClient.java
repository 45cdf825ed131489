package io.kubevisor.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.time.Duration;
import java.util.Base64;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import io.kubevisor.apiserver.auth.pki.KeyMaterial;
import io.kubevisor.apiserver.auth.pki.Pem;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * The benchmark's API client: {@code java.net.http.HttpClient} forced to HTTP/2 over TLS, trusting
 * the kubeconfig's CA and presenting its client certificate, as kubectl would. Each instance holds
 * one HTTP/2 connection (the JDK client keeps one per host); {@link #newConnection()} opens another
 * with the same credentials. Thread-safe: any number of threads may send concurrently, each
 * request becoming one HTTP/2 stream.
 */
final class KubeClient {

    static final String JSON = "application/json";
    static final String TABLE = "application/json;as=Table;v=v1;g=meta.k8s.io";
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final String baseUrl;
    private final SSLContext ssl;
    private final HttpClient http;

    private KubeClient(String baseUrl, SSLContext ssl) {
        this.baseUrl = baseUrl;
        this.ssl = ssl;
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_2)
                .sslContext(ssl)
                .connectTimeout(Duration.ofSeconds(10))
                .build();
    }

    /** Reads server URL, CA and client certificate/key (all inline base64 PEM) from a kubeconfig. */
    static KubeClient fromKubeconfig(Path kubeconfig) {
        JsonNode root;
        try {
            root = YAMLMapper.builder().build().readTree(Files.readString(kubeconfig));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        JsonNode cluster = root.path("clusters").path(0).path("cluster");
        JsonNode user = root.path("users").path(0).path("user");
        String server = cluster.path("server").asString();
        var ca = Pem.decodeCertificates(decode(cluster.path("certificate-authority-data").asString()));
        KeyMaterial client = KeyMaterial.fromPem(decode(user.path("client-certificate-data").asString()),
                decode(user.path("client-key-data").asString()));
        try {
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            for (int i = 0; i < ca.size(); i++) {
                trust.setCertificateEntry("ca" + i, ca.get(i));
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext ssl = SSLContext.getInstance("TLS");
            ssl.init(client.keyManagerFactory().getKeyManagers(), tmf.getTrustManagers(), null);
            return new KubeClient(server.endsWith("/") ? server.substring(0, server.length() - 1) : server, ssl);
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot build TLS context from " + kubeconfig + ": " + e, e);
        }
    }

    /** A client with the same server and credentials on its own connection. */
    KubeClient newConnection() {
        return new KubeClient(baseUrl, ssl);
    }

    /** An HTTP/1.1 connection of its own with the same server and credentials ({@link Http1Connection}). */
    Http1Connection openHttp1() {
        return Http1Connection.open(URI.create(baseUrl), ssl);
    }

    HttpClient http() {
        return http;
    }

    HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(TIMEOUT);
    }

    /** POSTs JSON and returns the response body; fails unless the answer is 201 over HTTP/2. */
    byte[] create(String collectionPath, String json) {
        return expect(201, send(request(collectionPath).header("Content-Type", JSON).header("Accept", JSON)
                .POST(HttpRequest.BodyPublishers.ofString(json)).build()));
    }

    /** PUTs JSON and returns the response body; fails unless the answer is 200 over HTTP/2. */
    byte[] replace(String objectPath, String json) {
        return expect(200, send(request(objectPath).header("Content-Type", JSON).header("Accept", JSON)
                .PUT(HttpRequest.BodyPublishers.ofString(json)).build()));
    }

    /** GETs with the given Accept header; fails unless the answer is 200 over HTTP/2. */
    byte[] get(String path, String accept) {
        return expect(200, send(request(path).header("Accept", accept).GET().build()));
    }

    HttpResponse<byte[]> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(request.method() + " " + request.uri() + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** Fails unless the response came over HTTP/2 with the expected status; returns its body. */
    static byte[] expect(int status, HttpResponse<byte[]> response) {
        requireHttp2(response);
        if (response.statusCode() != status) {
            throw new IllegalStateException(response.request().method() + " " + response.request().uri() + " -> "
                    + response.statusCode() + ": " + new String(response.body(), StandardCharsets.UTF_8));
        }
        return response.body();
    }

    static void requireHttp2(HttpResponse<?> response) {
        if (response.version() != HttpClient.Version.HTTP_2) {
            throw new IllegalStateException("expected HTTP/2, negotiated " + response.version());
        }
    }

    private static String decode(String base64) {
        return new String(Base64.getDecoder().decode(base64), StandardCharsets.US_ASCII);
    }
}
