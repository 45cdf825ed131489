package io.kubevisor.runtime.provider;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.DownwardAPIVolumeFile;
import io.fabric8.kubernetes.api.model.KeyToPath;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeProjection;
import io.kubevisor.node.provider.PodResources;

/**
 * The files of configMap, secret, downwardAPI and projected volumes, as the kubelet lays them out:
 * every key (or only {@code items}, at their paths), with the item's mode or the volume's
 * {@code defaultMode} (0644). A missing source fails the mount with the kubelet's words unless
 * the volume is optional. Stateless apart from the reader it is given.
 */
final class VolumeFiles {

    /** The kubelet's default file mode for these volumes. */
    static final int DEFAULT_MODE = 0644;

    /** One file to write: its bytes and permission bits. */
    record FileContent(byte[] data, int mode) {
        @Override
        public boolean equals(Object o) {
            return o instanceof FileContent f && f.mode == mode && java.util.Arrays.equals(f.data, data);
        }

        @Override
        public int hashCode() {
            return java.util.Arrays.hashCode(data) * 31 + mode;
        }
    }

    /** The mount of a volume failed (its pod waits in ContainerCreating; the message is the event's). */
    static final class MountException extends RuntimeException {
        MountException(String message) {
            super(message);
        }
    }

    private final PodResources resources;

    VolumeFiles(PodResources resources) {
        this.resources = resources;
    }

    /**
     * The payload of a volume of one of the four kinds (relative path → file).
     *
     * @throws MountException when a source is missing and not optional
     */
    Map<String, FileContent> payload(Pod pod, Volume v, FieldRefs.Context ctx) {
        String ns = pod.getMetadata().getNamespace();
        Map<String, FileContent> out = new LinkedHashMap<>();
        if (v.getConfigMap() != null) {
            var src = v.getConfigMap();
            int mode = src.getDefaultMode() == null ? DEFAULT_MODE : src.getDefaultMode();
            configMap(ns, src.getName(), src.getItems(), Boolean.TRUE.equals(src.getOptional()), mode, out);
        } else if (v.getSecret() != null) {
            var src = v.getSecret();
            int mode = src.getDefaultMode() == null ? DEFAULT_MODE : src.getDefaultMode();
            secret(ns, src.getSecretName(), src.getItems(), Boolean.TRUE.equals(src.getOptional()), mode, out);
        } else if (v.getDownwardAPI() != null) {
            var src = v.getDownwardAPI();
            int mode = src.getDefaultMode() == null ? DEFAULT_MODE : src.getDefaultMode();
            downward(pod, src.getItems(), mode, ctx, out);
        } else if (v.getProjected() != null) {
            var src = v.getProjected();
            int mode = src.getDefaultMode() == null ? DEFAULT_MODE : src.getDefaultMode();
            for (VolumeProjection p : FieldRefs.nz(src.getSources())) {
                if (p.getConfigMap() != null) {
                    var c = p.getConfigMap();
                    configMap(ns, c.getName(), c.getItems(), Boolean.TRUE.equals(c.getOptional()), mode, out);
                } else if (p.getSecret() != null) {
                    var s = p.getSecret();
                    secret(ns, s.getName(), s.getItems(), Boolean.TRUE.equals(s.getOptional()), mode, out);
                } else if (p.getDownwardAPI() != null) {
                    downward(pod, p.getDownwardAPI().getItems(), mode, ctx, out);
                }
                // serviceAccountToken and clusterTrustBundle sources need a token issuer: not written yet.
            }
        }
        return out;
    }

    /** Whether this volume's content comes from the API or the pod (and is refreshed on resync). */
    static boolean isProjectedKind(Volume v) {
        return v.getConfigMap() != null || v.getSecret() != null || v.getDownwardAPI() != null
                || v.getProjected() != null;
    }

    private void configMap(String ns, String name, List<KeyToPath> items, boolean optional, int mode,
                           Map<String, FileContent> out) {
        Optional<ConfigMap> cm = resources.configMap(ns, name);
        if (cm.isEmpty()) {
            if (optional) {
                return;
            }
            throw new MountException("configmap \"" + name + "\" not found");
        }
        Map<String, byte[]> data = new LinkedHashMap<>();
        if (cm.get().getData() != null) {
            cm.get().getData().forEach((k, val) -> data.put(k, val.getBytes(StandardCharsets.UTF_8)));
        }
        if (cm.get().getBinaryData() != null) {
            cm.get().getBinaryData().forEach((k, val) -> data.put(k, java.util.Base64.getDecoder().decode(val)));
        }
        keys(data, items, optional, mode, "configmap references non-existent config key: ", out);
    }

    private void secret(String ns, String name, List<KeyToPath> items, boolean optional, int mode,
                        Map<String, FileContent> out) {
        Optional<Secret> s = resources.secret(ns, name);
        if (s.isEmpty()) {
            if (optional) {
                return;
            }
            throw new MountException("secret \"" + name + "\" not found");
        }
        keys(EnvResolver.secretBytes(s.get()), items, optional, mode, "references non-existent secret key: ", out);
    }

    private static void keys(Map<String, byte[]> data, List<KeyToPath> items, boolean optional, int mode,
                             String missingKey, Map<String, FileContent> out) {
        if (items == null || items.isEmpty()) {
            data.forEach((k, b) -> out.put(k, new FileContent(b, mode)));
            return;
        }
        for (KeyToPath item : items) {
            byte[] b = data.get(item.getKey());
            if (b == null) {
                if (optional) {
                    continue;
                }
                throw new MountException(missingKey + item.getKey());
            }
            out.put(item.getPath(), new FileContent(b, item.getMode() == null ? mode : item.getMode()));
        }
    }

    private static void downward(Pod pod, List<DownwardAPIVolumeFile> items, int mode, FieldRefs.Context ctx,
                                 Map<String, FileContent> out) {
        for (DownwardAPIVolumeFile f : FieldRefs.nz(items)) {
            String value;
            try {
                if (f.getFieldRef() != null) {
                    value = FieldRefs.podField(pod, f.getFieldRef().getFieldPath(), ctx, true);
                } else if (f.getResourceFieldRef() != null) {
                    var r = f.getResourceFieldRef();
                    value = FieldRefs.resource(pod, r.getContainerName(), r.getResource(), r.getDivisor(), ctx);
                } else {
                    continue;
                }
            } catch (ContainerConfigException e) {
                throw new MountException(e.getMessage());
            }
            out.put(f.getPath(), new FileContent(value.getBytes(StandardCharsets.UTF_8),
                    f.getMode() == null ? mode : f.getMode()));
        }
    }
}
