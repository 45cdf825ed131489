package io.kubevisor.apiserver.patch;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.kubevisor.api.schema.FieldSchema;

/**
 * Hand-built schemas of a few Kubernetes 1.32 types with their real patch metadata (from
 * k8s.io/api types.go): {@code patchStrategy}/{@code patchMergeKey} tags and the
 * {@code listType}/{@code listMapKey}/{@code mapType}/{@code structType} markers. Test-only
 * stand-in for the OpenAPI-backed schemas.
 */
public final class TestSchemas {

    private TestSchemas() {
    }

    /** An immutable {@link FieldSchema}; copies are made by the {@code with*} methods. */
    public record S(Type type, String definitionName, Map<String, FieldSchema> properties, List<String> required,
                    FieldSchema items, ListType listType, List<String> listMapKeys, boolean atomic,
                    String patchStrategy, String patchMergeKey) implements FieldSchema {

        @Override
        public String description() {
            return "";
        }

        @Override
        public Optional<String> definition() {
            return Optional.ofNullable(definitionName);
        }

        @Override
        public String format() {
            return "";
        }

        @Override
        public List<String> enumValues() {
            return List.of();
        }

        public S patch(String strategy, String mergeKey) {
            return new S(type, definitionName, properties, required, items, listType, listMapKeys, atomic,
                    strategy, mergeKey);
        }

        public S required(String... names) {
            return new S(type, definitionName, properties, List.of(names), items, listType, listMapKeys, atomic,
                    patchStrategy, patchMergeKey);
        }

        public S atomicType() {
            return new S(type, definitionName, properties, required, items, listType, listMapKeys, true,
                    patchStrategy, patchMergeKey);
        }
    }

    private static S scalar(FieldSchema.Type t) {
        return new S(t, null, Map.of(), List.of(), null, FieldSchema.ListType.ATOMIC, List.of(), false, "", "");
    }

    public static S string() {
        return scalar(FieldSchema.Type.STRING);
    }

    public static S integer() {
        return scalar(FieldSchema.Type.INTEGER);
    }

    public static S bool() {
        return scalar(FieldSchema.Type.BOOLEAN);
    }

    public static S intOrString() {
        return scalar(FieldSchema.Type.INT_OR_STRING);
    }

    public static S any() {
        return scalar(FieldSchema.Type.ANY);
    }

    /** A struct; {@code props} alternates names and schemas, in declaration order. */
    public static S object(String definition, Object... props) {
        Map<String, FieldSchema> m = new LinkedHashMap<>();
        for (int i = 0; i < props.length; i += 2) {
            m.put((String) props[i], (FieldSchema) props[i + 1]);
        }
        return new S(FieldSchema.Type.OBJECT, definition, m, List.of(), null, FieldSchema.ListType.ATOMIC, List.of(),
                false, "", "");
    }

    public static S map(FieldSchema values) {
        return new S(FieldSchema.Type.MAP, null, Map.of(), List.of(), values, FieldSchema.ListType.ATOMIC, List.of(),
                false, "", "");
    }

    /** {@code +listType=atomic} (the default). */
    public static S list(FieldSchema items) {
        return new S(FieldSchema.Type.LIST, null, Map.of(), List.of(), items, FieldSchema.ListType.ATOMIC, List.of(),
                false, "", "");
    }

    /** {@code +listType=set}. */
    public static S set(FieldSchema items) {
        return new S(FieldSchema.Type.LIST, null, Map.of(), List.of(), items, FieldSchema.ListType.SET, List.of(),
                false, "", "");
    }

    /** {@code +listType=map} with {@code +listMapKey}s. */
    public static S mapList(FieldSchema items, String... keys) {
        return new S(FieldSchema.Type.LIST, null, Map.of(), List.of(), items, FieldSchema.ListType.MAP, List.of(keys),
                false, "", "");
    }

    private static final String CORE = "io.k8s.api.core.v1.";
    private static final String APPS = "io.k8s.api.apps.v1.";
    private static final String META = "io.k8s.apimachinery.pkg.apis.meta.v1.";

    public static S ownerReference() {
        return object(META + "OwnerReference", "apiVersion", string(), "kind", string(), "name", string(),
                "uid", string(), "controller", bool(), "blockOwnerDeletion", bool())
                .required("apiVersion", "kind", "name", "uid").atomicType();
    }

    public static S objectMeta() {
        return object(META + "ObjectMeta",
                "name", string(), "generateName", string(), "namespace", string(), "uid", string(),
                "resourceVersion", string(), "generation", integer(), "creationTimestamp", string(),
                "deletionTimestamp", string(),
                "labels", map(string()), "annotations", map(string()),
                "ownerReferences", mapList(ownerReference(), "uid").patch("merge", "uid"),
                "finalizers", set(string()).patch("merge", ""),
                "managedFields", list(any()));
    }

    public static S labelSelector() {
        return object(META + "LabelSelector", "matchLabels", map(string()),
                "matchExpressions", list(object(META + "LabelSelectorRequirement", "key", string(),
                        "operator", string(), "values", list(string())))).atomicType();
    }

    public static S containerPort() {
        return object(CORE + "ContainerPort", "name", string(), "hostPort", integer(), "containerPort", integer(),
                "protocol", string(), "hostIP", string()).required("containerPort");
    }

    public static S envVar() {
        return object(CORE + "EnvVar", "name", string(), "value", string(),
                "valueFrom", object(CORE + "EnvVarSource",
                        "fieldRef", object(CORE + "ObjectFieldSelector", "apiVersion", string(), "fieldPath", string())
                                .required("fieldPath").atomicType(),
                        "configMapKeyRef", object(CORE + "ConfigMapKeySelector", "name", string(), "key", string(),
                                "optional", bool()).required("key").atomicType()))
                .required("name");
    }

    public static S volumeMount() {
        return object(CORE + "VolumeMount", "name", string(), "readOnly", bool(), "mountPath", string(),
                "subPath", string()).required("name", "mountPath");
    }

    public static S resources() {
        return object(CORE + "ResourceRequirements", "limits", map(intOrString()), "requests", map(intOrString()));
    }

    public static S container() {
        return object(CORE + "Container", "name", string(), "image", string(),
                "command", list(string()), "args", list(string()), "workingDir", string(),
                "ports", mapList(containerPort(), "containerPort", "protocol").patch("merge", "containerPort"),
                "env", mapList(envVar(), "name").patch("merge", "name"),
                "resources", resources(),
                "volumeMounts", mapList(volumeMount(), "mountPath").patch("merge", "mountPath"),
                "imagePullPolicy", string(), "terminationMessagePath", string(),
                "terminationMessagePolicy", string(),
                "securityContext", object(CORE + "SecurityContext", "privileged", bool(), "runAsUser", integer()))
                .required("name");
    }

    public static S volume() {
        return object(CORE + "Volume", "name", string(),
                "hostPath", object(CORE + "HostPathVolumeSource", "path", string(), "type", string()).required("path"),
                "emptyDir", object(CORE + "EmptyDirVolumeSource", "medium", string(), "sizeLimit", intOrString()),
                "secret", object(CORE + "SecretVolumeSource", "secretName", string(), "defaultMode", integer()),
                "configMap", object(CORE + "ConfigMapVolumeSource", "name", string(), "defaultMode", integer(),
                        "items", list(object(CORE + "KeyToPath", "key", string(), "path", string()))),
                "persistentVolumeClaim", object(CORE + "PersistentVolumeClaimVolumeSource", "claimName", string(),
                        "readOnly", bool()))
                .required("name");
    }

    public static S podSpec() {
        return object(CORE + "PodSpec",
                "volumes", mapList(volume(), "name").patch("merge,retainKeys", "name"),
                "initContainers", mapList(container(), "name").patch("merge", "name"),
                "containers", mapList(container(), "name").patch("merge", "name"),
                "restartPolicy", string(), "terminationGracePeriodSeconds", integer(), "dnsPolicy", string(),
                "nodeSelector", map(string()).atomicType(), "serviceAccountName", string(), "nodeName", string(),
                "schedulerName", string(),
                "securityContext", object(CORE + "PodSecurityContext", "runAsUser", integer(), "fsGroup", integer()),
                "imagePullSecrets", mapList(object(CORE + "LocalObjectReference", "name", string()), "name")
                        .patch("merge", "name"),
                "tolerations", list(object(CORE + "Toleration", "key", string(), "operator", string(),
                        "value", string(), "effect", string())))
                .required("containers");
    }

    public static S podStatus() {
        return object(CORE + "PodStatus", "phase", string(),
                "conditions", mapList(object(CORE + "PodCondition", "type", string(), "status", string(),
                        "reason", string()).required("type", "status"), "type").patch("merge", "type"),
                "podIP", string(), "hostIP", string());
    }

    public static S pod() {
        return object(CORE + "Pod", "apiVersion", string(), "kind", string(), "metadata", objectMeta(),
                "spec", podSpec(), "status", podStatus());
    }

    public static S podTemplateSpec() {
        return object(CORE + "PodTemplateSpec", "metadata", objectMeta(), "spec", podSpec());
    }

    public static S deploymentStrategy() {
        return object(APPS + "DeploymentStrategy", "type", string(),
                "rollingUpdate", object(APPS + "RollingUpdateDeployment", "maxUnavailable", intOrString(),
                        "maxSurge", intOrString()))
                .patch("retainKeys", "");
    }

    public static S deployment() {
        return object(APPS + "Deployment", "apiVersion", string(), "kind", string(), "metadata", objectMeta(),
                "spec", object(APPS + "DeploymentSpec", "replicas", integer(), "selector", labelSelector(),
                        "template", podTemplateSpec(), "strategy", deploymentStrategy(), "minReadySeconds", integer(),
                        "revisionHistoryLimit", integer(), "paused", bool(), "progressDeadlineSeconds", integer())
                        .required("selector", "template"),
                "status", object(APPS + "DeploymentStatus", "replicas", integer(), "readyReplicas", integer()));
    }

    public static S service() {
        return object(CORE + "Service", "apiVersion", string(), "kind", string(), "metadata", objectMeta(),
                "spec", object(CORE + "ServiceSpec",
                        "ports", mapList(object(CORE + "ServicePort", "name", string(), "protocol", string(),
                                "port", integer(), "targetPort", intOrString(), "nodePort", integer())
                                .required("port"), "port", "protocol").patch("merge", "port"),
                        "selector", map(string()).atomicType(), "clusterIP", string(), "type", string()),
                "status", object(CORE + "ServiceStatus", "loadBalancer", object(CORE + "LoadBalancerStatus")));
    }

    public static S configMap() {
        return object(CORE + "ConfigMap", "apiVersion", string(), "kind", string(), "metadata", objectMeta(),
                "data", map(string()), "binaryData", map(string()), "immutable", bool());
    }
}
