package io.kubevisor.controllers;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.vertx5.Vertx5HttpClientFactory;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.net.OpenSSLEngineOptions;
import io.vertx.ext.web.client.WebClientOptions;

/**
 * The fabric8 clients Kubevisor's own components (controllers, node agents) talk to an API server
 * with: fabric8's Vert.x transport, its TLS done by BoringSSL when the native library loads
 * (Linux x86-64), else by the JDK's engine. In a pod start the client side of TLS took 6% of the
 * JVM's CPU, on connections that carry every watch event and status write. Stateless.
 */
public final class KubeClients {

    private KubeClients() {
    }

    /** A new client for {@code config}; the caller owns it and must close it. */
    public static KubernetesClient newClient(Config config) {
        return new KubernetesClientBuilder().withConfig(config).withHttpClientFactory(new Factory()).build();
    }

    /** Whether the clients use BoringSSL here (for tests and logs). */
    public static boolean boringSsl() {
        return OpenSSLEngineOptions.isAvailable();
    }

    private static final class Factory extends Vertx5HttpClientFactory {
        @Override
        protected void additionalConfig(WebClientOptions options, WebSocketClientOptions webSockets, PoolOptions pool) {
            if (boringSsl()) {
                options.setSslEngineOptions(new OpenSSLEngineOptions());
                webSockets.setSslEngineOptions(new OpenSSLEngineOptions());
            }
        }
    }
}
