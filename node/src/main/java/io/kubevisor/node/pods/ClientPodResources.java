package io.kubevisor.node.pods;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.kubevisor.node.provider.PodResources;

/**
 * {@link PodResources} over the agent's client: ConfigMaps and Secrets read fresh on every read
 * (the Node authorizer lets a node get only those its pods refer to, so it cannot watch them),
 * Services from a watch of all namespaces started with this object, as the kubelet's service
 * lister does. Close it before its client.
 */
public final class ClientPodResources implements PodResources, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ClientPodResources.class);
    /** How long a container start waits for the first list of Services. */
    private static final long SYNC_WAIT_MS = 2000;

    private final KubernetesClient client;
    private final SharedIndexInformer<Service> services;
    private final CompletableFuture<Void> synced;

    public ClientPodResources(KubernetesClient client) {
        this.client = client;
        this.services = client.services().inAnyNamespace().runnableInformer(0);
        this.synced = services.start().toCompletableFuture();
    }

    @Override
    public Optional<ConfigMap> configMap(String namespace, String name) {
        return Optional.ofNullable(client.configMaps().inNamespace(namespace).withName(name).get());
    }

    @Override
    public Optional<Secret> secret(String namespace, String name) {
        return Optional.ofNullable(client.secrets().inNamespace(namespace).withName(name).get());
    }

    /** {@inheritDoc} Empty, with a warning, while the watch has not listed them yet (or may not). */
    @Override
    public List<Service> services(String namespace) {
        try {
            synced.get(SYNC_WAIT_MS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return List.of();
        } catch (ExecutionException | TimeoutException e) {
            LOG.warn("event=services_unknown namespace={} cause=\"{}\"", namespace, e.getMessage());
            return List.of();
        }
        return services.getIndexer().byIndex(Cache.NAMESPACE_INDEX, namespace).stream()
                .map(s -> new ServiceBuilder(s).build()).toList();
    }

    @Override
    public void close() {
        services.close();
    }
}
