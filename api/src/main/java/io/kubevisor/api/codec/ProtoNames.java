package io.kubevisor.api.codec;

import java.util.Set;

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
            "k8s.io.api.networking.v1.IngressRule.ingressRuleValue");

    /** Pointer strings where "" is a value, not "unset" ("" storage class = no provisioning). */
    static final Set<String> KEEP_EMPTY_STRING = Set.of(
            "k8s.io.api.core.v1.PersistentVolumeClaimSpec.storageClassName");

    /** Non-pointer numbers whose zero only means "unset", which validation must not see as set. */
    static final Set<String> DROP_ZERO = Set.of(
            "k8s.io.api.core.v1.ServicePort.nodePort",
            "k8s.io.api.core.v1.ServiceSpec.healthCheckNodePort",
            "k8s.io.api.core.v1.ContainerPort.hostPort",
            "k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta.generation");

    private ProtoNames() {
    }
}
