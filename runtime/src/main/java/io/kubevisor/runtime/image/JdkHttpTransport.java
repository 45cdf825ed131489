package io.kubevisor.runtime.image;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/** {@link HttpTransport} over {@link HttpClient}, on virtual threads. Thread-safe. */
final class JdkHttpTransport implements HttpTransport {

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration RESPONSE_TIMEOUT = Duration.ofSeconds(60);

    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final HttpClient client = HttpClient.newBuilder()
            .connectTimeout(CONNECT_TIMEOUT)
            .followRedirects(HttpClient.Redirect.NEVER)
            .executor(executor)
            .build();

    @Override
    public Response send(String method, URI uri, Map<String, List<String>> headers) throws IOException {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri)
                .timeout(RESPONSE_TIMEOUT)
                .method(method, HttpRequest.BodyPublishers.noBody());
        if ("http".equals(uri.getScheme())) {
            // No h2c upgrade dance with plain-HTTP registries.
            b.version(HttpClient.Version.HTTP_1_1);
        }
        headers.forEach((name, values) -> values.forEach(v -> b.header(name, v)));
        HttpResponse<java.io.InputStream> r;
        try {
            r = client.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted waiting for " + uri);
        }
        Map<String, List<String>> h = new HashMap<>();
        r.headers().map().forEach((k, v) -> h.put(k.toLowerCase(Locale.ROOT), List.copyOf(v)));
        return new Response(r.statusCode(), Map.copyOf(h), r.body());
    }

    @Override
    public void close() {
        client.close();
        executor.close();
    }
}
