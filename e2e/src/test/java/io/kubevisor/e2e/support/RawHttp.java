package io.kubevisor.e2e.support;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import io.fabric8.kubernetes.client.Config;

/**
 * Hand-made requests to a cluster with the JDK HTTP client (HTTP/2 preferred, ALPN), for what a
 * typed client cannot send: malformed bodies, odd media types, no credentials. Thread-safe;
 * close it when done.
 */
public final class RawHttp implements AutoCloseable {

    private final HttpClient http;
    private final String baseUrl;

    private RawHttp(HttpClient http, String baseUrl) {
        this.http = http;
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    }

    /** Authenticated as the kubeconfig's admin user (client certificate). */
    public static RawHttp admin(Cluster cluster) {
        return of(cluster, true);
    }

    /** No credentials at all: the CA is trusted, no client certificate is presented. */
    public static RawHttp anonymous(Cluster cluster) {
        return of(cluster, false);
    }

    private static RawHttp of(Cluster cluster, boolean clientCert) {
        Config config = Fabric8.config(cluster);
        HttpClient http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_2)
                .sslContext(KubeTls.sslContext(config, clientCert))
                .connectTimeout(Duration.ofSeconds(10))
                .build();
        return new RawHttp(http, cluster.url());
    }

    /** The underlying client (one connection pool; HTTP/2 multiplexes requests over it). */
    public HttpClient client() {
        return http;
    }

    /** The absolute URI of an API path such as {@code /api/v1/namespaces}. */
    public URI uri(String path) {
        return URI.create(baseUrl + path);
    }

    /** A GET of {@code path}, body as text. */
    public HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(30)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** A request with a body of the given media type (null: no Content-Type header). */
    public HttpResponse<String> send(String method, String path, String contentType, byte[] body)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(30))
                .header("Accept", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Override
    public void close() {
        http.close();
    }
}
