package io.kubevisor.node.provider;

import java.util.Optional;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Secret;

/**
 * What a provider may read about a pod's surroundings: the ConfigMaps and Secrets its volumes
 * and environment refer to (a kubelet reads them through its API client; providers never hold
 * one). Thread-safe; returned objects belong to the caller.
 */
public interface PodResources {

    Optional<ConfigMap> configMap(String namespace, String name);

    Optional<Secret> secret(String namespace, String name);
}
