package io.kubevisor.api.codec;

import java.util.Map;
import java.util.Set;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;

/**
 * Names of the Kubernetes proto types and fields whose JSON form differs from the plain
 * field-by-field mapping. Field keys are {@code <message full name>.<field name>}.
 */
final class ProtoNames {

    static final String TIME = "k8s.io.apimachinery.pkg.apis.meta.v1.Time";
    static final String MICRO_TIME = "k8s.io.apimachinery.pkg.apis.meta.v1.MicroTime";
    static final String DURATION = "k8s.io.apimachinery.pkg.apis.meta.v1.Duration";
    static final String FIELDS_V1 = "k8s.io.apimachinery.pkg.apis.meta.v1.FieldsV1";
    static final String QUANTITY = "k8s.io.apimachinery.pkg.api.resource.Quantity";
    static final String QUANTITY_VALUE = "k8s.io.apimachinery.pkg.api.resource.QuantityValue";
    static final String INT_OR_STRING = "k8s.io.apimachinery.pkg.util.intstr.IntOrString";
    static final String RAW_EXTENSION = "k8s.io.apimachinery.pkg.runtime.RawExtension";

    /** Go named slice types ({@code type ExtraValue []string}) wrapped in a message for proto. */
    static final Set<String> STRING_LISTS = Set.of(
            "k8s.io.api.authorization.v1.ExtraValue",
            "k8s.io.api.authentication.v1.ExtraValue",
            "k8s.io.api.certificates.v1.ExtraValue",
            "k8s.io.apimachinery.pkg.apis.meta.v1.Verbs");

    /** Go structs embedded with {@code json:",inline"}: their fields sit in the parent object. */
    static final Set<String> INLINE = Set.of(
            "k8s.io.api.core.v1.Probe.handler",
            "k8s.io.api.core.v1.Volume.volumeSource",
            "k8s.io.api.core.v1.PersistentVolumeSpec.persistentVolumeSource",
            "k8s.io.api.core.v1.EphemeralContainer.ephemeralContainerCommon",
            "k8s.io.api.networking.v1.IngressRule.ingressRuleValue",
            "k8s.io.api.core.v1.ConfigMapEnvSource.localObjectReference",
            "k8s.io.api.core.v1.ConfigMapKeySelector.localObjectReference",
            "k8s.io.api.core.v1.ConfigMapProjection.localObjectReference",
            "k8s.io.api.core.v1.ConfigMapVolumeSource.localObjectReference",
            "k8s.io.api.core.v1.SecretEnvSource.localObjectReference",
            "k8s.io.api.core.v1.SecretKeySelector.localObjectReference",
            "k8s.io.api.core.v1.SecretProjection.localObjectReference",
            // ClaimSource was inlined into PodResourceClaim until Kubernetes 1.31.
            "k8s.io.api.core.v1.PodResourceClaim.source");

    /** Fields whose protobuf name is not their JSON name. */
    private static final Map<String, String> JSON_NAMES = Map.of(
            "k8s.io.api.authentication.v1.BoundObjectReference.uID", "uid");
    private static final Map<String, String> PROTO_NAMES = Map.of(
            "k8s.io.api.authentication.v1.BoundObjectReference.uid", "uID");

    private ProtoNames() {
    }

    /** The JSON property name of a protobuf field. */
    static String jsonName(FieldDescriptor f) {
        return JSON_NAMES.getOrDefault(f.getContainingType().getFullName() + "." + f.getName(), f.getName());
    }

    /** The protobuf field behind a JSON property of a message, or null. */
    static FieldDescriptor field(Descriptor type, String jsonName) {
        return type.findFieldByName(PROTO_NAMES.getOrDefault(type.getFullName() + "." + jsonName, jsonName));
    }
}
