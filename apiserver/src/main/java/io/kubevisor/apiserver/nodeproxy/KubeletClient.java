package io.kubevisor.apiserver.nodeproxy;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;

import io.kubevisor.api.ApiException;
import io.kubevisor.api.Json;
import io.kubevisor.apiserver.auth.pki.KeyMaterial;
import tools.jackson.databind.JsonNode;

/**
 * The API server's client of node agents' kubelet endpoints, authenticated by the API server's
 * kubelet client certificate. Like kube-apiserver without {@code --kubelet-certificate-authority},
 * it does not verify the node's serving certificate (node agents may run with self-signed ones).
 * Thread-safe.
 */
public final class KubeletClient {

    private static final Duration CONNECT = Duration.ofSeconds(10);

    private final HttpClient http;

    public KubeletClient(KeyMaterial clientCertificate) {
        try {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setKeyEntry("client", clientCertificate.privateKey(), new char[0], clientCertificate.chainArray());
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, new char[0]);
            SSLContext ssl = SSLContext.getInstance("TLS");
            ssl.init(kmf.getKeyManagers(), new TrustManager[] {new AcceptAnyServer()}, new SecureRandom());
            this.http = HttpClient.newBuilder().sslContext(ssl).version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(CONNECT).build();
        } catch (Exception e) {
            throw new IllegalStateException("cannot set up the kubelet client: " + e.getMessage(), e);
        }
    }

    /**
     * GETs a streamed kubelet resource (logs, stats). Non-200 answers become the matching API
     * error, with the kubelet's message.
     */
    public InputStream get(URI uri) {
        HttpResponse<InputStream> r;
        try {
            r = http.send(HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            throw unreachable(uri, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiException.ServiceUnavailable("interrupted while calling the node");
        }
        if (r.statusCode() == 200) {
            return r.body();
        }
        String body;
        try (InputStream in = r.body()) {
            body = new String(in.readNBytes(64 * 1024), StandardCharsets.UTF_8);
        } catch (IOException e) {
            body = "";
        }
        throw fromKubelet(r.statusCode(), body);
    }

    /**
     * Opens a WebSocket to the kubelet with the given subprotocol.
     *
     * @throws ApiException when the kubelet cannot be reached or refuses (with its message)
     */
    public WebSocket websocket(URI uri, String subprotocol, WebSocket.Listener listener) {
        return websocket(uri, List.of(subprotocol), listener);
    }

    /**
     * Opens a WebSocket to the kubelet offering {@code subprotocols}, most preferred first; the
     * kubelet's choice is {@link WebSocket#getSubprotocol()}.
     *
     * @throws ApiException when the kubelet cannot be reached or refuses (with its message)
     */
    public WebSocket websocket(URI uri, List<String> subprotocols, WebSocket.Listener listener) {
        CompletableFuture<WebSocket> f = http.newWebSocketBuilder().connectTimeout(CONNECT)
                .subprotocols(subprotocols.getFirst(), subprotocols.subList(1, subprotocols.size()).toArray(String[]::new))
                .buildAsync(uri, listener);
        try {
            return f.get(CONNECT.toSeconds() + 5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiException.ServiceUnavailable("interrupted while calling the node");
        } catch (ExecutionException | TimeoutException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            if (cause instanceof java.net.http.WebSocketHandshakeException h) {
                String body = h.getResponse().body() instanceof String s ? s : "";
                throw fromKubelet(h.getResponse().statusCode(), body);
            }
            throw unreachable(uri, cause);
        }
    }

    private static ApiException unreachable(URI uri, Throwable e) {
        return new ApiException.InternalError("error dialing backend: " + (e.getMessage() == null ? e.toString()
                : e.getMessage()) + " (" + uri.getHost() + ":" + uri.getPort() + ")");
    }

    /** The kubelet answers errors as Status JSON or plain text; keep its message and code. */
    static ApiException fromKubelet(int code, String body) {
        String message = body.strip();
        try {
            JsonNode n = Json.parse(body);
            if (n.path("kind").asString("").equals("Status")) {
                message = n.path("message").asString(message);
            }
        } catch (ApiException notJson) {
            // plain text
        }
        return switch (code) {
            case 400 -> new ApiException.BadRequest(message);
            case 401, 403 -> new ApiException.InternalError("the node refused the API server's credentials: " + message);
            case 404 -> ApiException.NotFound.message(message);
            default -> new ApiException.InternalError(message);
        };
    }

    /**
     * Node serving certificates are not verified (see the class comment). Extended, so the JDK
     * does not add its own host name check on top.
     */
    private static final class AcceptAnyServer extends javax.net.ssl.X509ExtendedTrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, java.net.Socket socket) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, java.net.Socket socket) {
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, javax.net.ssl.SSLEngine engine) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, javax.net.ssl.SSLEngine engine) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }

    /** Subprotocols kubectl and the kubelet speak for exec and attach, newest first. */
    public static final List<String> CHANNEL_PROTOCOLS = List.of("v5.channel.k8s.io", "v4.channel.k8s.io",
            "v3.channel.k8s.io", "v2.channel.k8s.io", "channel.k8s.io");
}
