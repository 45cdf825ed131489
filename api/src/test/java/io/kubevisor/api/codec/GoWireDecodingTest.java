package io.kubevisor.api.codec;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;

import io.kubernetes.client.proto.IntStr;
import io.kubernetes.client.proto.Meta;
import io.kubernetes.client.proto.Runtime;
import io.kubernetes.client.proto.V1;
import io.kubernetes.client.proto.V1Apps;
import io.kubevisor.api.GroupVersionKind;
import io.kubevisor.api.Json;
import io.kubevisor.api.schema.FieldSchema;
import tools.jackson.databind.JsonNode;

/**
 * Decodes messages built the way Kubernetes' Go protobuf writer builds them (every non-pointer
 * field on the wire, zero or not) and checks the JSON is what Go's encoding/json writes for the
 * same object.
 */
class GoWireDecodingTest {

    @Test
    void messagesWrittenLikeAGoClientDecodeToKubernetesJson() {
        // A gogo-style message: every non-pointer field written, zero or not.
        V1.Service service = V1.Service.newBuilder()
                .setMetadata(Meta.ObjectMeta.newBuilder().setName("svc").setNamespace("").setGenerateName("")
                        .setResourceVersion("").setGeneration(0)
                        .setCreationTimestamp(Meta.Time.newBuilder()))
                .setSpec(V1.ServiceSpec.newBuilder()
                        .setType("NodePort").setClusterIP("")
                        .addPorts(V1.ServicePort.newBuilder().setName("http").setProtocol("TCP").setPort(80)
                                .setNodePort(30080)
                                .setTargetPort(IntStr.IntOrString.newBuilder().setType(1).setStrVal("web")))
                        .addPorts(V1.ServicePort.newBuilder().setName("metrics").setProtocol("TCP").setPort(9090)
                                .setNodePort(0)
                                .setTargetPort(IntStr.IntOrString.newBuilder().setType(0).setIntVal(9090).setStrVal(""))))
                .build();
        byte[] body = envelope("v1", "Service", service.toByteString());

        JsonNode json = ProtobufCodec.decode(body).object();

        assertThat(json).isEqualTo(Json.parse("""
                {"kind":"Service","apiVersion":"v1","metadata":{"name":"svc","creationTimestamp":null},
                 "spec":{"ports":[{"name":"http","protocol":"TCP","port":80,"targetPort":"web","nodePort":30080},
                                  {"name":"metrics","protocol":"TCP","port":9090,"targetPort":9090}],
                         "type":"NodePort"},
                 "status":{"loadBalancer":{}}}"""));
    }

    @Test
    void zerosOfNonPointerFieldsGoAndZerosOfPointerFieldsStay() {
        // What kubectl create deployment puts on the wire, zero fields and all.
        V1.Container container = V1.Container.newBuilder().setName("nginx").setImage("nginx").setWorkingDir("")
                .setResources(V1.ResourceRequirements.newBuilder())
                .setTerminationMessagePath("").setImagePullPolicy("")
                .setStdin(false).setStdinOnce(false).setTty(false)
                .setSecurityContext(V1.SecurityContext.newBuilder().setAllowPrivilegeEscalation(false).setRunAsUser(0))
                .build();
        V1.PodSpec pod = V1.PodSpec.newBuilder().addContainers(container)
                .setRestartPolicy("").setDnsPolicy("").setServiceAccountName("").setServiceAccount("")
                .setNodeName("").setHostNetwork(false).setHostPID(false).setHostIPC(false).setHostname("")
                .setSubdomain("").setSchedulerName("").setPriorityClassName("")
                .build();
        Meta.ObjectMeta meta = Meta.ObjectMeta.newBuilder().setName("web").setGenerateName("").setNamespace("")
                .setSelfLink("").setUid("").setResourceVersion("").setGeneration(0)
                .setCreationTimestamp(Meta.Time.newBuilder()).putLabels("app", "web").build();
        V1Apps.Deployment deployment = V1Apps.Deployment.newBuilder()
                .setMetadata(meta)
                .setSpec(V1Apps.DeploymentSpec.newBuilder().setReplicas(0)
                        .setSelector(Meta.LabelSelector.newBuilder().putMatchLabels("app", "web"))
                        .setTemplate(V1.PodTemplateSpec.newBuilder()
                                .setMetadata(meta.toBuilder().setName("").clearUid())
                                .setSpec(pod))
                        .setStrategy(V1Apps.DeploymentStrategy.newBuilder().setType(""))
                        .setMinReadySeconds(0).setPaused(false))
                .setStatus(V1Apps.DeploymentStatus.newBuilder().setObservedGeneration(0).setReplicas(0)
                        .setUpdatedReplicas(0).setReadyReplicas(0).setAvailableReplicas(0).setUnavailableReplicas(0))
                .build();

        JsonNode json = ProtobufCodec.decode(envelope("apps/v1", "Deployment", deployment.toByteString())).object();

        assertThat(json).isEqualTo(Json.parse("""
                {"kind":"Deployment","apiVersion":"apps/v1",
                 "metadata":{"name":"web","creationTimestamp":null,"labels":{"app":"web"}},
                 "spec":{"replicas":0,"selector":{"matchLabels":{"app":"web"}},
                   "template":{"metadata":{"creationTimestamp":null,"labels":{"app":"web"}},
                     "spec":{"containers":[{"name":"nginx","image":"nginx","resources":{},
                       "securityContext":{"runAsUser":0,"allowPrivilegeEscalation":false}}]}},
                   "strategy":{}},
                 "status":{}}"""));
        assertThat(json.propertyNames()).containsExactly("kind", "apiVersion", "metadata", "spec", "status");
        assertThat(json.get("spec").propertyNames()).as("Go's declaration order")
                .containsExactly("replicas", "selector", "template", "strategy");
    }

    @Test
    void inlinedObjectReferencesAndRenamedFieldsTakeTheirJsonNames() {
        V1.Container container = V1.Container.newBuilder().setName("app").setImage("app")
                .addEnv(V1.EnvVar.newBuilder().setName("A").setValueFrom(V1.EnvVarSource.newBuilder()
                        .setConfigMapKeyRef(V1.ConfigMapKeySelector.newBuilder().setKey("a")
                                .setLocalObjectReference(V1.LocalObjectReference.newBuilder().setName("cm")))))
                .addEnvFrom(V1.EnvFromSource.newBuilder().setSecretRef(V1.SecretEnvSource.newBuilder()
                        .setLocalObjectReference(V1.LocalObjectReference.newBuilder().setName("s"))))
                .build();
        V1.Pod pod = V1.Pod.newBuilder().setMetadata(Meta.ObjectMeta.newBuilder().setName("p"))
                .setSpec(V1.PodSpec.newBuilder().addContainers(container)
                        .addVolumes(V1.Volume.newBuilder().setName("v").setVolumeSource(V1.VolumeSource.newBuilder()
                                .setConfigMap(V1.ConfigMapVolumeSource.newBuilder()
                                        .setLocalObjectReference(V1.LocalObjectReference.newBuilder().setName("cm"))))))
                .build();

        JsonNode json = ProtobufCodec.decode(envelope("v1", "Pod", pod.toByteString())).object();

        assertThat(json.at("/spec/containers/0/env/0/valueFrom/configMapKeyRef"))
                .isEqualTo(Json.parse("{\"name\":\"cm\",\"key\":\"a\"}"));
        assertThat(json.at("/spec/containers/0/envFrom/0/secretRef")).isEqualTo(Json.parse("{\"name\":\"s\"}"));
        assertThat(json.at("/spec/volumes/0/configMap")).isEqualTo(Json.parse("{\"name\":\"cm\"}"));
        assertThat(ProtobufCodec.decode(ProtobufCodec.encode(new GroupVersionKind("", "v1", "Pod"), json)).object())
                .isEqualTo(json);

        JsonNode token = Json.parse("""
                {"kind":"TokenRequest","apiVersion":"authentication.k8s.io/v1",
                 "metadata":{"name":"sa","namespace":"default","creationTimestamp":null},
                 "spec":{"audiences":null,"expirationSeconds":600,
                   "boundObjectRef":{"kind":"Pod","apiVersion":"v1","name":"p","uid":"u-1"}},
                 "status":{"token":"","expirationTimestamp":null}}""");
        GroupVersionKind tokenRequest = new GroupVersionKind("authentication.k8s.io", "v1", "TokenRequest");
        assertThat(ProtobufCodec.decode(ProtobufCodec.encode(tokenRequest, token)).object()).isEqualTo(token);
    }

    @Test
    void timesFollowKubernetesFormats() {
        V1.Event event = V1.Event.newBuilder()
                .setMetadata(Meta.ObjectMeta.newBuilder().setName("e1")
                        .setCreationTimestamp(Meta.Time.newBuilder().setSeconds(1704164645L).setNanos(999_000_000)))
                .setEventTime(Meta.MicroTime.newBuilder().setSeconds(1704164645L).setNanos(123_456_789))
                .setFirstTimestamp(Meta.Time.newBuilder())
                .setLastTimestamp(Meta.Time.newBuilder().setSeconds(0))
                .setCount(0)
                .build();

        JsonNode json = ProtobufCodec.decode(envelope("v1", "Event", event.toByteString())).object();

        assertThat(json.at("/metadata/creationTimestamp").asString())
                .as("Time drops the fraction").isEqualTo("2024-01-02T03:04:05Z");
        assertThat(json.path("eventTime").asString())
                .as("MicroTime truncates to six digits").isEqualTo("2024-01-02T03:04:05.123456Z");
        assertThat(json.get("firstTimestamp").isNull()).as("a zero Time is null, omitempty or not").isTrue();
        assertThat(json.path("lastTimestamp").asString()).as("seconds: 0 is the epoch").isEqualTo("1970-01-01T00:00:00Z");
        assertThat(json.has("count")).as("int32 count with omitempty").isFalse();
        assertThat(json.get("reportingComponent").asString()).as("string without omitempty").isEmpty();
    }

    @Test
    void everyProtobufKindHasAJsonSchemaNamingEachOfItsFields() {
        ProtoSchemas schemas = new ProtoSchemas();
        List<String> unmatched = new ArrayList<>();
        for (GroupVersionKind gvk : ProtobufCodec.supportedKinds()) {
            Descriptor message = schemas.find(gvk).orElseThrow();
            FieldSchema schema = schemas.jsonSchema(message).orElseThrow(() -> new AssertionError("no schema: " + gvk));
            // The normalizer matches protobuf field names to JSON property names; a mismatch
            // would leave zeros in and add a second, zero-valued field.
            unmatched(message, schema, new HashSet<>(), unmatched);
        }
        assertThat(unmatched).isEmpty();
        assertThat(schemas.jsonSchema(schemas.find(new GroupVersionKind("apps", "v1", "DeleteOptions")).orElseThrow()))
                .isPresent();
    }

    /** Fields the protobuf schemas know from releases after 1.32, which the JSON schemas describe. */
    private static final Set<String> NEWER_THAN_SCHEMA = Set.of("k8s.io.api.discovery.v1.EndpointHints.forNodes");

    private static void unmatched(Descriptor message, FieldSchema schema, Set<String> seen, List<String> out) {
        if (schema.type() != FieldSchema.Type.OBJECT || !seen.add(message.getFullName() + "@" + schema)) {
            return;
        }
        for (FieldDescriptor f : message.getFields()) {
            if (ProtoNames.INLINE.contains(message.getFullName() + "." + f.getName())) {
                unmatched(f.getMessageType(), schema, seen, out);
                continue;
            }
            FieldSchema p = schema.properties().get(ProtoNames.jsonName(f));
            if (p == null && !NEWER_THAN_SCHEMA.contains(message.getFullName() + "." + f.getName())) {
                out.add(message.getFullName() + "." + f.getName());
                continue;
            }
            if (p == null || f.getJavaType() != FieldDescriptor.JavaType.MESSAGE) {
                continue;
            }
            Descriptor sub = f.getMessageType();
            if (f.isMapField()) {
                FieldDescriptor value = sub.findFieldByNumber(2);
                if (value.getJavaType() == FieldDescriptor.JavaType.MESSAGE && p.items() != null) {
                    unmatched(value.getMessageType(), p.items(), seen, out);
                }
            } else {
                unmatched(sub, f.isRepeated() && p.items() != null ? p.items() : p, seen, out);
            }
        }
    }

    private static byte[] envelope(String apiVersion, String kind, ByteString raw) {
        Runtime.Unknown u = Runtime.Unknown.newBuilder()
                .setTypeMeta(Runtime.TypeMeta.newBuilder().setApiVersion(apiVersion).setKind(kind))
                .setRaw(raw).setContentEncoding("").setContentType("").build();
        return ByteString.copyFrom(new byte[] {'k', '8', 's', 0}).concat(u.toByteString()).toByteArray();
    }
}
