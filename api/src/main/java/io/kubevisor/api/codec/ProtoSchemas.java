package io.kubevisor.api.codec;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FileDescriptor;

import io.kubernetes.client.proto.Meta;
import io.kubernetes.client.proto.V1;
import io.kubernetes.client.proto.V1Apps;
import io.kubernetes.client.proto.V1Authentication;
import io.kubernetes.client.proto.V1Authorization;
import io.kubernetes.client.proto.V1Autoscaling;
import io.kubernetes.client.proto.V1Batch;
import io.kubernetes.client.proto.V1Policy;
import io.kubernetes.client.proto.V1Rbac;
import io.kubevisor.api.GroupVersionKind;
import io.kubevisor.api.resource.BuiltinResources;
import io.kubevisor.api.resource.ResourceType;
import io.kubevisor.api.schema.BuiltinSchemas;
import io.kubevisor.api.schema.FieldSchema;

/**
 * Which protobuf message carries each kind we accept in protobuf. Immutable after construction
 * and safe to share between threads.
 */
final class ProtoSchemas {

    /** Kinds that travel as request bodies without being stored resources of their own. */
    private static final Set<GroupVersionKind> EXTRA_KINDS = Set.of(
            new GroupVersionKind("", "v1", "Binding"),
            new GroupVersionKind("policy", "v1", "Eviction"),
            new GroupVersionKind("autoscaling", "v1", "Scale"),
            new GroupVersionKind("authentication.k8s.io", "v1", "TokenRequest"),
            new GroupVersionKind("authentication.k8s.io", "v1", "TokenReview"),
            new GroupVersionKind("authentication.k8s.io", "v1", "SelfSubjectReview"),
            new GroupVersionKind("meta.k8s.io", "v1", "DeleteOptions"));

    private final Map<String, FileDescriptor> filesByGroupVersion = new LinkedHashMap<>();
    private final Map<GroupVersionKind, Descriptor> byKind = new LinkedHashMap<>();
    private final Set<GroupVersionKind> missing = new LinkedHashSet<>();
    private final BuiltinSchemas jsonSchemas = BuiltinSchemas.load();

    ProtoSchemas() {
        filesByGroupVersion.put("v1", V1.getDescriptor());
        filesByGroupVersion.put("apps/v1", V1Apps.getDescriptor());
        filesByGroupVersion.put("batch/v1", V1Batch.getDescriptor());
        filesByGroupVersion.put("rbac.authorization.k8s.io/v1", V1Rbac.getDescriptor());
        filesByGroupVersion.put("authorization.k8s.io/v1", V1Authorization.getDescriptor());
        filesByGroupVersion.put("authentication.k8s.io/v1", V1Authentication.getDescriptor());
        filesByGroupVersion.put("policy/v1", V1Policy.getDescriptor());
        filesByGroupVersion.put("autoscaling/v1", V1Autoscaling.getDescriptor());
        filesByGroupVersion.put("meta.k8s.io/v1", Meta.getDescriptor());
        for (FileDescriptor f : ExtraProtos.build()) {
            String group = switch (f.getPackage()) {
                case "k8s.io.api.coordination.v1" -> "coordination.k8s.io/v1";
                case "k8s.io.api.discovery.v1" -> "discovery.k8s.io/v1";
                case "k8s.io.api.events.v1" -> "events.k8s.io/v1";
                default -> throw new IllegalStateException("unexpected package " + f.getPackage());
            };
            filesByGroupVersion.put(group, f);
        }
        Set<GroupVersionKind> wanted = new LinkedHashSet<>();
        for (ResourceType r : BuiltinResources.list()) {
            wanted.add(r.gvk());
        }
        wanted.addAll(EXTRA_KINDS);
        for (GroupVersionKind gvk : wanted) {
            FileDescriptor file = filesByGroupVersion.get(gvk.apiVersion());
            Descriptor d = file == null ? null : file.findMessageTypeByName(gvk.kind());
            if (d == null) {
                missing.add(gvk);
            } else {
                byKind.put(gvk, d);
            }
        }
    }

    /**
     * The message for a kind. DeleteOptions is accepted in every served group version, as
     * Kubernetes registers it in each.
     */
    Optional<Descriptor> find(GroupVersionKind gvk) {
        Descriptor d = byKind.get(gvk);
        if (d == null && gvk.kind().equals("DeleteOptions") && filesByGroupVersion.containsKey(gvk.apiVersion())) {
            d = Meta.DeleteOptions.getDescriptor();
        }
        return Optional.ofNullable(d);
    }

    /**
     * The JSON schema of a Kubernetes message, found by Kubernetes' naming: proto package
     * {@code k8s.io.api.core.v1} holds what definitions name {@code io.k8s.api.core.v1}.
     */
    Optional<FieldSchema> jsonSchema(Descriptor type) {
        String name = type.getFullName();
        String prefix = "k8s.io.";
        return name.startsWith(prefix)
                ? jsonSchemas.definition("io.k8s." + name.substring(prefix.length()))
                : Optional.empty();
    }

    /** Every kind with a protobuf schema. */
    Set<GroupVersionKind> supported() {
        return Set.copyOf(byKind.keySet());
    }

    /** Served kinds that have no protobuf schema (so protobuf bodies for them are refused). */
    Set<GroupVersionKind> missing() {
        return Set.copyOf(missing);
    }
}
