package io.kubevisor.apiserver.auth.node;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import io.kubevisor.apiserver.kinds.support.Nodes;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The secrets, config maps, claims and service account a pod refers to, found where Kubernetes'
 * node graph finds them: image pull secrets; every container's (init, ephemeral, regular)
 * {@code env[].valueFrom} and {@code envFrom[]}; volumes of kind secret, configMap, projected
 * (secret and configMap sources), persistentVolumeClaim, ephemeral (the claim
 * {@code <pod>-<volume>}), csi and the plug-in volumes that carry a {@code secretRef}; and
 * {@code spec.serviceAccountName}. Stateless.
 */
public final class PodReferences {

    /** Volume kinds whose secret is {@code secretRef.name}, as in Kubernetes' pod secret visitor. */
    private static final List<String> SECRET_REF_VOLUMES = List.of("cephfs", "cinder", "flexVolume", "rbd", "scaleIO",
            "iscsi", "storageos");

    private PodReferences() {
    }

    /** What the pod refers to, in its own namespace; empty for a pod without a spec. */
    public static Set<ObjectRef> of(JsonNode pod) {
        String ns = Nodes.text(pod.path("metadata"), "namespace");
        String podName = Nodes.text(pod.path("metadata"), "name");
        ObjectNode spec = Nodes.objectOrNull(pod, "spec");
        Set<ObjectRef> out = new LinkedHashSet<>();
        if (spec == null) {
            return out;
        }
        Refs refs = new Refs(ns, out);
        refs.add(ObjectRef.Kind.SERVICEACCOUNT, Nodes.text(spec, "serviceAccountName"));
        for (ObjectNode s : Nodes.objects(spec, "imagePullSecrets")) {
            refs.add(ObjectRef.Kind.SECRET, Nodes.text(s, "name"));
        }
        for (String list : List.of("initContainers", "containers", "ephemeralContainers")) {
            for (ObjectNode c : Nodes.objects(spec, list)) {
                container(c, refs);
            }
        }
        for (ObjectNode v : Nodes.objects(spec, "volumes")) {
            volume(podName, v, refs);
        }
        return out;
    }

    private static void container(ObjectNode c, Refs refs) {
        for (ObjectNode from : Nodes.objects(c, "envFrom")) {
            refs.add(ObjectRef.Kind.SECRET, Nodes.text(from.path("secretRef"), "name"));
            refs.add(ObjectRef.Kind.CONFIGMAP, Nodes.text(from.path("configMapRef"), "name"));
        }
        for (ObjectNode env : Nodes.objects(c, "env")) {
            JsonNode valueFrom = env.path("valueFrom");
            refs.add(ObjectRef.Kind.SECRET, Nodes.text(valueFrom.path("secretKeyRef"), "name"));
            refs.add(ObjectRef.Kind.CONFIGMAP, Nodes.text(valueFrom.path("configMapKeyRef"), "name"));
        }
    }

    private static void volume(String podName, ObjectNode v, Refs refs) {
        refs.add(ObjectRef.Kind.SECRET, Nodes.text(v.path("secret"), "secretName"));
        refs.add(ObjectRef.Kind.CONFIGMAP, Nodes.text(v.path("configMap"), "name"));
        refs.add(ObjectRef.Kind.SECRET, Nodes.text(v.path("azureFile"), "secretName"));
        refs.add(ObjectRef.Kind.SECRET, Nodes.text(v.path("csi").path("nodePublishSecretRef"), "name"));
        for (String kind : SECRET_REF_VOLUMES) {
            refs.add(ObjectRef.Kind.SECRET, Nodes.text(v.path(kind).path("secretRef"), "name"));
        }
        for (ObjectNode source : Nodes.objects(v.path("projected"), "sources")) {
            refs.add(ObjectRef.Kind.SECRET, Nodes.text(source.path("secret"), "name"));
            refs.add(ObjectRef.Kind.CONFIGMAP, Nodes.text(source.path("configMap"), "name"));
        }
        refs.add(ObjectRef.Kind.PERSISTENTVOLUMECLAIM, Nodes.text(v.path("persistentVolumeClaim"), "claimName"));
        if (Nodes.objectOrNull(v, "ephemeral") != null) {
            // The claim Kubernetes' ephemeral volume controller creates for this volume.
            refs.add(ObjectRef.Kind.PERSISTENTVOLUMECLAIM, podName + "-" + Nodes.text(v, "name"));
        }
    }

    /** Collects references in one namespace, skipping empty names. */
    private record Refs(String namespace, Set<ObjectRef> out) {
        void add(ObjectRef.Kind kind, String name) {
            if (!name.isEmpty()) {
                out.add(new ObjectRef(kind, namespace, name));
            }
        }
    }
}
