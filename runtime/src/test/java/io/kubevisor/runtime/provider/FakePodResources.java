package io.kubevisor.runtime.provider;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.kubevisor.node.provider.PodResources;

/** ConfigMaps and Secrets held in memory, for tests without an API server. Thread-safe. */
final class FakePodResources implements PodResources {

    private final Map<String, ConfigMap> configMaps = new ConcurrentHashMap<>();
    private final Map<String, Secret> secrets = new ConcurrentHashMap<>();
    private final List<Service> services = new java.util.concurrent.CopyOnWriteArrayList<>();

    void putConfigMap(String ns, String name, Map<String, String> data) {
        configMaps.put(ns + "/" + name, new ConfigMapBuilder().withNewMetadata().withNamespace(ns).withName(name)
                .endMetadata().withData(data).build());
    }

    /** @param data already base64-encoded values, as the API stores them */
    void putSecret(String ns, String name, Map<String, String> data) {
        secrets.put(ns + "/" + name, new SecretBuilder().withNewMetadata().withNamespace(ns).withName(name)
                .endMetadata().withData(data).build());
    }

    @Override
    public Optional<ConfigMap> configMap(String namespace, String name) {
        return Optional.ofNullable(configMaps.get(namespace + "/" + name)).map(c -> new ConfigMapBuilder(c).build());
    }

    @Override
    public Optional<Secret> secret(String namespace, String name) {
        return Optional.ofNullable(secrets.get(namespace + "/" + name)).map(s -> new SecretBuilder(s).build());
    }

    void putService(Service s) {
        services.add(new ServiceBuilder(s).build());
    }

    @Override
    public List<Service> services(String namespace) {
        return services.stream().filter(s -> namespace.equals(s.getMetadata().getNamespace()))
                .map(s -> new ServiceBuilder(s).build()).toList();
    }
}
