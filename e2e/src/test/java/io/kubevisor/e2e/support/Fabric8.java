package io.kubevisor.e2e.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;

/** fabric8 clients for a {@link Cluster}, built from its admin kubeconfig as a user would. */
public final class Fabric8 {

    private Fabric8() {
    }

    /**
     * A fresh, mutable client configuration read from the cluster's admin kubeconfig file, with
     * the client key's algorithm named explicitly.
     *
     * <p>fabric8 guesses the key algorithm only from SEC1/PKCS#1 PEM headers ("BEGIN EC PRIVATE
     * KEY", "BEGIN RSA PRIVATE KEY") and assumes RSA for a PKCS#8 "BEGIN PRIVATE KEY", so the EC
     * PKCS#8 key Kubevisor writes fails to load. {@code Fabric8CrudIT.adminKubeconfigLoadsAsWritten} shows that as it is;
     * every other test sets the algorithm (what a user would do with
     * {@code -Dkubernetes.certs.client.key.algo=EC}) so it can test the server.
     */
    public static Config config(Cluster cluster) {
        Config config = configAsWritten(cluster);
        if (config.getClientKeyData() != null) {
            config.setClientKeyAlgo(KubeTls.keyAlgorithm(config.getClientKeyData()));
        }
        return config;
    }

    /**
     * {@link #config(Cluster)} with watches (and so informers) as streamed HTTP responses instead of
     * fabric8's default WebSocket upgrade, which Kubevisor does not serve yet
     * ({@code Fabric8ListWatchIT.watchOverWebSocket} shows that). Lets the watch semantics be tested.
     */
    public static Config httpWatchConfig(Cluster cluster) {
        Config config = config(cluster);
        config.setOnlyHttpWatches(true);
        return config;
    }

    /** The client configuration exactly as fabric8 reads the cluster's admin kubeconfig. */
    public static Config configAsWritten(Cluster cluster) {
        try {
            return Config.fromKubeconfig(Files.readString(cluster.kubeconfig()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A new admin client; the caller owns it and must close it. */
    public static KubernetesClient client(Cluster cluster) {
        return client(config(cluster));
    }

    /** A new client for {@code config}; the caller owns it and must close it. */
    public static KubernetesClient client(Config config) {
        return new KubernetesClientBuilder().withConfig(config).build();
    }
}
