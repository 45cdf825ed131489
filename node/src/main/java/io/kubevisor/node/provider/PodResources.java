package io.kubevisor.node.provider;

import java.util.List;
import java.util.Optional;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;

/**
 * What a provider may read about a pod's surroundings: the ConfigMaps and Secrets its volumes
 * and environment refer to, and the Services its environment lists (a kubelet reads them through
 * its API client; providers never hold one). Thread-safe; returned objects belong to the caller.
 */
public interface PodResources {

    Optional<ConfigMap> configMap(String namespace, String name);

    Optional<Secret> secret(String namespace, String name);

    /**
     * The Services of a namespace, for the service environment variables the kubelet gives
     * containers ({@code enableServiceLinks}, and the {@code kubernetes} service of
     * {@code default}). Called on every container start, so implementations read a cache.
     */
    List<Service> services(String namespace);
}
