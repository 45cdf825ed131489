package io.kubevisor.runtime.provider;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.regex.Pattern;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.kubevisor.node.provider.PodResources;

/**
 * A container's environment as the kubelet makes it: {@code envFrom} sources first (with their
 * prefix; keys that are no valid variable names are skipped and reported), then {@code env} in
 * order, each value {@code $(VAR)}-expanded against what came before, {@code valueFrom} read from
 * the downward API, ConfigMaps and Secrets; then the variables of the Services the pod sees
 * ({@link ServiceEnv}) where the container set none. A missing non-optional source fails with the
 * kubelet's words (e.g. {@code configmap "x" not found}). Each resolution reads its sources once.
 * Stateless apart from the reader it is given.
 */
final class EnvResolver {

    private static final Pattern ENV_NAME = Pattern.compile("[-._a-zA-Z][-._a-zA-Z0-9]*");

    private final PodResources resources;

    EnvResolver(PodResources resources) {
        this.resources = resources;
    }

    /**
     * @param invalidKeys told the keys of envFrom sources that were skipped (for an event)
     * @return the variables, in order, later ones overriding earlier ones of the same name
     * @throws ContainerConfigException when a referenced source or key is missing
     */
    LinkedHashMap<String, String> resolve(Pod pod, Container c, FieldRefs.Context ctx, Consumer<List<String>> invalidKeys) {
        String ns = pod.getMetadata().getNamespace();
        Map<String, String> services = serviceEnv(pod);
        Map<String, Optional<ConfigMap>> configMaps = new HashMap<>();
        Map<String, Optional<Secret>> secrets = new HashMap<>();
        LinkedHashMap<String, String> env = new LinkedHashMap<>();
        List<String> invalid = new ArrayList<>();
        for (EnvFromSource from : FieldRefs.nz(c.getEnvFrom())) {
            String prefix = from.getPrefix() == null ? "" : from.getPrefix();
            if (from.getConfigMapRef() != null) {
                var ref = from.getConfigMapRef();
                Optional<ConfigMap> cm = configMaps.computeIfAbsent(ref.getName(), n -> resources.configMap(ns, n));
                if (cm.isEmpty()) {
                    if (Boolean.TRUE.equals(ref.getOptional())) {
                        continue;
                    }
                    throw new ContainerConfigException("configmap \"" + ref.getName() + "\" not found");
                }
                putAll(env, prefix, cm.get().getData(), invalid);
            } else if (from.getSecretRef() != null) {
                var ref = from.getSecretRef();
                Optional<Secret> s = secrets.computeIfAbsent(ref.getName(), n -> resources.secret(ns, n));
                if (s.isEmpty()) {
                    if (Boolean.TRUE.equals(ref.getOptional())) {
                        continue;
                    }
                    throw new ContainerConfigException("secret \"" + ref.getName() + "\" not found");
                }
                putAll(env, prefix, secretData(s.get()), invalid);
            }
        }
        if (!invalid.isEmpty()) {
            invalidKeys.accept(invalid);
        }
        for (EnvVar v : FieldRefs.nz(c.getEnv())) {
            String value;
            var from = v.getValueFrom();
            if (from == null) {
                value = Expansion.expand(v.getValue() == null ? "" : v.getValue(), withServices(env, services));
            } else if (from.getFieldRef() != null) {
                value = FieldRefs.podField(pod, from.getFieldRef().getFieldPath(), ctx, false);
            } else if (from.getResourceFieldRef() != null) {
                var r = from.getResourceFieldRef();
                String container = r.getContainerName() == null || r.getContainerName().isEmpty()
                        ? c.getName() : r.getContainerName();
                value = FieldRefs.resource(pod, container, r.getResource(), r.getDivisor(), ctx);
            } else if (from.getConfigMapKeyRef() != null) {
                var ref = from.getConfigMapKeyRef();
                boolean optional = Boolean.TRUE.equals(ref.getOptional());
                Optional<ConfigMap> cm = configMaps.computeIfAbsent(ref.getName(), n -> resources.configMap(ns, n));
                if (cm.isEmpty()) {
                    if (optional) {
                        continue;
                    }
                    throw new ContainerConfigException("configmap \"" + ref.getName() + "\" not found");
                }
                Map<String, String> data = cm.get().getData();
                value = data == null ? null : data.get(ref.getKey());
                if (value == null) {
                    if (optional) {
                        continue;
                    }
                    throw new ContainerConfigException("couldn't find key " + ref.getKey() + " in ConfigMap " + ns
                            + "/" + ref.getName());
                }
            } else if (from.getSecretKeyRef() != null) {
                var ref = from.getSecretKeyRef();
                boolean optional = Boolean.TRUE.equals(ref.getOptional());
                Optional<Secret> s = secrets.computeIfAbsent(ref.getName(), n -> resources.secret(ns, n));
                if (s.isEmpty()) {
                    if (optional) {
                        continue;
                    }
                    throw new ContainerConfigException("secret \"" + ref.getName() + "\" not found");
                }
                value = secretData(s.get()).get(ref.getKey());
                if (value == null) {
                    if (optional) {
                        continue;
                    }
                    throw new ContainerConfigException("couldn't find key " + ref.getKey() + " in Secret " + ns
                            + "/" + ref.getName());
                }
            } else {
                value = "";
            }
            env.put(v.getName(), value);
        }
        services.forEach(env::putIfAbsent);
        return env;
    }

    /**
     * The kubelet's service variables: those of the {@code kubernetes} Service in {@code default}
     * always, and with {@code enableServiceLinks} (the default) those of every Service in the
     * pod's namespace. The container's own variables win over them.
     */
    private Map<String, String> serviceEnv(Pod pod) {
        String ns = pod.getMetadata().getNamespace();
        List<Service> visible = new ArrayList<>();
        if (!Boolean.FALSE.equals(pod.getSpec().getEnableServiceLinks())) {
            visible.addAll(resources.services(ns));
        }
        if (!"default".equals(ns) || Boolean.FALSE.equals(pod.getSpec().getEnableServiceLinks())) {
            resources.services("default").stream().filter(s -> "kubernetes".equals(s.getMetadata().getName()))
                    .forEach(visible::add);
        }
        return ServiceEnv.of(visible);
    }

    /** What {@code $(VAR)} sees: the variables so far, then the services'. */
    private static Map<String, String> withServices(Map<String, String> env, Map<String, String> services) {
        if (services.isEmpty()) {
            return env;
        }
        Map<String, String> all = new LinkedHashMap<>(services);
        all.putAll(env);
        return all;
    }

    private static void putAll(Map<String, String> env, String prefix, Map<String, String> data, List<String> invalid) {
        if (data == null) {
            return;
        }
        for (var e : new java.util.TreeMap<>(data).entrySet()) {
            String name = prefix + e.getKey();
            if (!ENV_NAME.matcher(name).matches()) {
                invalid.add(name);
                continue;
            }
            env.put(name, e.getValue());
        }
    }

    /** A Secret's data decoded (stringData merged, as the API server stores it). */
    static Map<String, String> secretData(Secret s) {
        Map<String, String> out = new LinkedHashMap<>();
        if (s.getData() != null) {
            s.getData().forEach((k, v) -> out.put(k, new String(Base64.getDecoder().decode(v == null ? "" : v),
                    StandardCharsets.UTF_8)));
        }
        if (s.getStringData() != null) {
            out.putAll(s.getStringData());
        }
        return out;
    }

    /** A Secret's data as bytes (for volumes). */
    static Map<String, byte[]> secretBytes(Secret s) {
        Map<String, byte[]> out = new LinkedHashMap<>();
        if (s.getData() != null) {
            s.getData().forEach((k, v) -> out.put(k, Base64.getDecoder().decode(v == null ? "" : v)));
        }
        if (s.getStringData() != null) {
            s.getStringData().forEach((k, v) -> out.put(k, v.getBytes(StandardCharsets.UTF_8)));
        }
        return out;
    }
}
