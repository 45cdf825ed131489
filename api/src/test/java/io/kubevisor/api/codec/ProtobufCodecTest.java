package io.kubevisor.api.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import com.google.protobuf.ByteString;

import io.kubernetes.client.proto.Meta;
import io.kubernetes.client.proto.Runtime;
import io.kubernetes.client.proto.V1;
import io.kubernetes.client.proto.V1Apps;
import io.kubevisor.api.ApiException;
import io.kubevisor.api.GroupVersionKind;
import io.kubevisor.api.Json;
import io.kubevisor.api.resource.BuiltinResources;
import io.kubevisor.api.resource.ResourceType;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

class ProtobufCodecTest {

    private static final GroupVersionKind DEPLOYMENT = new GroupVersionKind("apps", "v1", "Deployment");

    private static final String DEPLOYMENT_JSON = """
            {"kind":"Deployment","apiVersion":"apps/v1",
             "metadata":{"name":"web","namespace":"prod","uid":"6f1c0a52-1b7e-4c55-9d0e-3d2b1a0f9e11",
               "resourceVersion":"4711","generation":3,"creationTimestamp":"2024-01-02T03:04:05Z",
               "labels":{"app":"web","tier":"frontend"},
               "annotations":{"deployment.kubernetes.io/revision":"2","note":"a \\"quoted\\" value"},
               "ownerReferences":[{"apiVersion":"example.com/v1","kind":"App","name":"web-app",
                 "uid":"0b8a7c62-5d13-4f0e-9a5b-8c1d2e3f4a5b","controller":true,"blockOwnerDeletion":true}],
               "finalizers":["example.com/cleanup"],
               "managedFields":[{"manager":"kubectl-create","operation":"Update","apiVersion":"apps/v1",
                 "time":"2024-01-02T03:04:05Z","fieldsType":"FieldsV1",
                 "fieldsV1":{"f:metadata":{"f:labels":{".":{},"f:app":{}}}}}]},
             "spec":{"replicas":0,"selector":{"matchLabels":{"app":"web"},
                 "matchExpressions":[{"key":"tier","operator":"In","values":["frontend","edge"]}]},
               "template":{"metadata":{"creationTimestamp":null,"labels":{"app":"web"}},
                 "spec":{"containers":[{"name":"nginx","image":"nginx:1.27",
                   "ports":[{"name":"http","containerPort":8080,"protocol":"TCP"}],
                   "env":[{"name":"MODE","value":"prod"},
                          {"name":"POD_IP","valueFrom":{"fieldRef":{"apiVersion":"v1","fieldPath":"status.podIP"}}}],
                   "resources":{"limits":{"cpu":"1","memory":"512Mi"},"requests":{"cpu":"250m","memory":"128Mi"}},
                   "readinessProbe":{"httpGet":{"path":"/healthz","port":"http","scheme":"HTTP"},
                     "initialDelaySeconds":5,"periodSeconds":10},
                   "securityContext":{"runAsUser":0,"allowPrivilegeEscalation":false}}],
                   "volumes":[{"name":"scratch","emptyDir":{}}],
                   "terminationGracePeriodSeconds":30}},
               "strategy":{"type":"RollingUpdate","rollingUpdate":{"maxSurge":"25%","maxUnavailable":1}},
               "revisionHistoryLimit":10,"progressDeadlineSeconds":600},
             "status":{"observedGeneration":3,"replicas":2,"updatedReplicas":2,"readyReplicas":2,
               "availableReplicas":2,
               "conditions":[{"type":"Available","status":"True","lastUpdateTime":"2024-01-02T03:05:00Z",
                 "lastTransitionTime":"2024-01-02T03:05:00Z","reason":"MinimumReplicasAvailable",
                 "message":"Deployment has minimum availability."}]}}
            """;

    @Test
    void deploymentRoundTripsAndMatchesTheGeneratedClasses() throws Exception {
        JsonNode json = Json.parse(DEPLOYMENT_JSON);
        byte[] wire = ProtobufCodec.encode(DEPLOYMENT, json);

        ProtobufCodec.Decoded decoded = ProtobufCodec.decode(wire);
        assertThat(decoded.gvk()).isEqualTo(DEPLOYMENT);
        assertThat(decoded.object()).isEqualTo(json);
        assertThat(decoded.object().propertyNames().iterator().next()).isEqualTo("kind");

        // The bytes are what Kubernetes' own generated types read.
        Runtime.Unknown envelope = Runtime.Unknown.parseFrom(Arrays.copyOfRange(wire, 4, wire.length));
        assertThat(envelope.getTypeMeta().getApiVersion()).isEqualTo("apps/v1");
        V1Apps.Deployment typed = V1Apps.Deployment.parseFrom(envelope.getRaw());
        assertThat(typed.getMetadata().getCreationTimestamp().getSeconds()).isEqualTo(1704164645L);
        assertThat(typed.getSpec().hasReplicas()).isTrue();
        assertThat(typed.getSpec().getReplicas()).isZero();
        assertThat(typed.getSpec().getStrategy().getRollingUpdate().getMaxSurge().getStrVal()).isEqualTo("25%");
        assertThat(typed.getSpec().getStrategy().getRollingUpdate().getMaxUnavailable().getIntVal()).isEqualTo(1);
        V1.Container c = typed.getSpec().getTemplate().getSpec().getContainers(0);
        assertThat(c.getResources().getLimitsMap().get("memory").getString()).isEqualTo("512Mi");
        assertThat(c.getReadinessProbe().getHandler().getHttpGet().getPort().getStrVal())
                .as("probe handler is inline in JSON but a field in proto").isEqualTo("http");
        assertThat(typed.getSpec().getTemplate().getSpec().getVolumes(0).getVolumeSource().hasEmptyDir()).isTrue();
        assertThat(typed.getMetadata().getManagedFields(0).getFieldsV1().getRaw().toStringUtf8())
                .isEqualTo("{\"f:metadata\":{\"f:labels\":{\".\":{},\"f:app\":{}}}}");
    }

    @Test
    void numbersStayNumbersAndSpecialTypesTakeTheirJsonForms() {
        ObjectNode d = ProtobufCodec.decode(ProtobufCodec.encode(DEPLOYMENT, Json.parse(DEPLOYMENT_JSON))).object();
        assertThat(d.at("/metadata/generation").isIntegralNumber()).isTrue();
        assertThat(d.at("/spec/progressDeadlineSeconds").isInt()).isTrue();
        assertThat(d.at("/spec/template/spec/terminationGracePeriodSeconds").longValue()).isEqualTo(30L);
        assertThat(d.at("/spec/strategy/rollingUpdate/maxUnavailable").isInt()).isTrue();
        assertThat(d.at("/spec/strategy/rollingUpdate/maxSurge").asString()).isEqualTo("25%");
        assertThat(d.at("/spec/template/spec/containers/0/resources/requests/cpu").asString()).isEqualTo("250m");
        assertThat(d.at("/metadata/managedFields/0/fieldsV1").isObject()).isTrue();
        assertThat(d.at("/spec/template/spec/volumes/0/emptyDir").isObject()).isTrue();
        assertThat(d.at("/spec/template/spec/containers/0/securityContext/runAsUser").intValue()).isZero();

        JsonNode job = Json.parse("{\"kind\":\"Job\",\"apiVersion\":\"batch/v1\",\"metadata\":{\"name\":\"j\"},"
                + "\"spec\":{\"activeDeadlineSeconds\":5000000000,\"template\":{\"spec\":{\"restartPolicy\":\"Never\"}}}}");
        JsonNode back = ProtobufCodec.decode(ProtobufCodec.encode(new GroupVersionKind("batch", "v1", "Job"), job))
                .object();
        assertThat(back.at("/spec/activeDeadlineSeconds").isNumber()).as("int64 is a JSON number").isTrue();
        assertThat(back.at("/spec/activeDeadlineSeconds").longValue()).isEqualTo(5_000_000_000L);
    }

    @Test
    void secretBinaryDataIsBase64() {
        byte[] binary = {0, 1, 2, (byte) 0xff, (byte) 0xfe, 'k', '8', 's'};
        V1.Secret secret = V1.Secret.newBuilder()
                .setMetadata(Meta.ObjectMeta.newBuilder().setName("tls"))
                .setType("kubernetes.io/tls")
                .putData("tls.key", ByteString.copyFrom(binary))
                .putData("empty", ByteString.EMPTY)
                .putStringData("plain", "text")
                .build();

        JsonNode json = ProtobufCodec.decode(envelope("v1", "Secret", secret.toByteString())).object();

        assertThat(json.at("/data/tls.key").asString()).isEqualTo("AAEC//5rOHM=");
        assertThat(json.at("/data/empty").asString()).isEmpty();
        assertThat(json.at("/stringData/plain").asString()).isEqualTo("text");
        assertThat(json.path("type").asString()).isEqualTo("kubernetes.io/tls");
        assertThat(ProtobufCodec.decode(ProtobufCodec.encode(new GroupVersionKind("", "v1", "Secret"), json))
                .object()).isEqualTo(json);
    }

    @Test
    void quantityMapsRoundTrip() {
        JsonNode quota = Json.parse("""
                {"kind":"ResourceQuota","apiVersion":"v1","metadata":{"name":"q","creationTimestamp":null},
                 "spec":{"hard":{"pods":"10","requests.cpu":"2","limits.memory":"4Gi"}},
                 "status":{"hard":{"pods":"10"},"used":{"pods":"3"}}}""");
        GroupVersionKind gvk = new GroupVersionKind("", "v1", "ResourceQuota");
        assertThat(ProtobufCodec.decode(ProtobufCodec.encode(gvk, quota)).object()).isEqualTo(quota);
    }

    @Test
    void selfSubjectAccessReviewRoundTrips() {
        JsonNode ssar = Json.parse("""
                {"kind":"SelfSubjectAccessReview","apiVersion":"authorization.k8s.io/v1",
                 "metadata":{"creationTimestamp":null},
                 "spec":{"resourceAttributes":{"namespace":"default","verb":"create","group":"apps",
                   "resource":"deployments","subresource":"scale","name":"web"}},
                 "status":{"allowed":false}}""");
        GroupVersionKind gvk = new GroupVersionKind("authorization.k8s.io", "v1", "SelfSubjectAccessReview");
        assertThat(ProtobufCodec.decode(ProtobufCodec.encode(gvk, ssar)).object()).isEqualTo(ssar);
    }

    @Test
    void subjectAccessReviewExtraIsAMapOfStringLists() {
        JsonNode sar = Json.parse("""
                {"kind":"SubjectAccessReview","apiVersion":"authorization.k8s.io/v1",
                 "metadata":{"creationTimestamp":null},
                 "spec":{"nonResourceAttributes":{"path":"/healthz","verb":"get"},"user":"alice",
                   "groups":["devs"],"extra":{"scopes":["a","b"]},"uid":"42"},"status":{"allowed":true}}""");
        GroupVersionKind gvk = new GroupVersionKind("authorization.k8s.io", "v1", "SubjectAccessReview");
        assertThat(ProtobufCodec.decode(ProtobufCodec.encode(gvk, sar)).object()).isEqualTo(sar);
    }

    @Test
    void leaseAndEndpointSliceAndEventsV1UseTheirOwnSchemas() {
        JsonNode lease = Json.parse("""
                {"kind":"Lease","apiVersion":"coordination.k8s.io/v1",
                 "metadata":{"name":"node-1","namespace":"kube-node-lease","creationTimestamp":null},
                 "spec":{"holderIdentity":"node-1","leaseDurationSeconds":40,
                   "renewTime":"2024-01-02T03:04:05.123456Z","leaseTransitions":0}}""");
        JsonNode slice = Json.parse("""
                {"kind":"EndpointSlice","apiVersion":"discovery.k8s.io/v1",
                 "metadata":{"name":"web-abc","creationTimestamp":null,"labels":{"kubernetes.io/service-name":"web"}},
                 "addressType":"IPv4",
                 "endpoints":[{"addresses":["10.0.0.5"],"conditions":{"ready":true,"serving":true,"terminating":false},
                   "targetRef":{"kind":"Pod","namespace":"default","name":"web-1"},"nodeName":"n1",
                   "deprecatedTopology":{"zone":"a"}}],
                 "ports":[{"name":"http","protocol":"TCP","port":8080}]}""");
        JsonNode event = Json.parse("""
                {"kind":"Event","apiVersion":"events.k8s.io/v1","metadata":{"name":"web.17a","creationTimestamp":null},
                 "eventTime":"2024-01-02T03:04:05.000001Z","series":{"count":3,"lastObservedTime":"2024-01-02T03:09:05.000000Z"},
                 "reportingController":"kubevisor.io/scheduler","reportingInstance":"host-1","action":"Binding",
                 "reason":"Scheduled","regarding":{"kind":"Pod","namespace":"default","name":"web-1"},
                 "note":"Successfully assigned","type":"Normal",
                 "deprecatedSource":{},"deprecatedFirstTimestamp":null,"deprecatedLastTimestamp":null}""");
        for (JsonNode obj : new JsonNode[] {lease, slice, event}) {
            GroupVersionKind gvk = GroupVersionKind.of(obj.path("apiVersion").asString(), obj.path("kind").asString());
            assertThat(ProtobufCodec.decode(ProtobufCodec.encode(gvk, obj)).object()).isEqualTo(obj);
        }
    }

    static Stream<GroupVersionKind> servedKinds() {
        // metrics.k8s.io kinds are measurements read from nodes, never sent in a request body
        return BuiltinResources.list().stream().filter(r -> r.serving() != ResourceType.Serving.METRICS)
                .map(ResourceType::gvk);
    }

    @ParameterizedTest
    @MethodSource("servedKinds")
    void everyServedKindRoundTrips(GroupVersionKind gvk) {
        assertThat(ProtobufCodec.supports(gvk)).isTrue();
        ObjectNode obj = Json.object();
        obj.put("kind", gvk.kind());
        obj.put("apiVersion", gvk.apiVersion());
        obj.putObject("metadata").put("name", "sample").putObject("labels").put("k", "v");

        ObjectNode decoded = ProtobufCodec.decode(ProtobufCodec.encode(gvk, obj)).object();

        assertThat(decoded.get("metadata")).isEqualTo(Json.parse(
                "{\"name\":\"sample\",\"creationTimestamp\":null,\"labels\":{\"k\":\"v\"}}"));
        // Go's JSON of what Go decodes from that JSON is a fixed point.
        assertThat(ProtobufCodec.decode(ProtobufCodec.encode(gvk, decoded)).object()).isEqualTo(decoded);
    }

    @Test
    void bodiesForRequestsAroundObjectsDecode() {
        JsonNode eviction = Json.parse("""
                {"kind":"Eviction","apiVersion":"policy/v1",
                 "metadata":{"name":"web-1","namespace":"default","creationTimestamp":null},
                 "deleteOptions":{"gracePeriodSeconds":0,"propagationPolicy":"Foreground","dryRun":["All"],
                   "preconditions":{"uid":"u1"}}}""");
        JsonNode scale = Json.parse("""
                {"kind":"Scale","apiVersion":"autoscaling/v1","metadata":{"name":"web","creationTimestamp":null},
                 "spec":{"replicas":5},"status":{"replicas":2,"selector":"app=web"}}""");
        JsonNode deleteOptions = Json.parse("""
                {"kind":"DeleteOptions","apiVersion":"meta.k8s.io/v1","propagationPolicy":"Background"}""");
        for (JsonNode obj : new JsonNode[] {eviction, scale, deleteOptions}) {
            GroupVersionKind gvk = GroupVersionKind.of(obj.path("apiVersion").asString(), obj.path("kind").asString());
            assertThat(ProtobufCodec.decode(ProtobufCodec.encode(gvk, obj)).object()).isEqualTo(obj);
        }
        assertThat(ProtobufCodec.supports(new GroupVersionKind("apps", "v1", "DeleteOptions"))).isTrue();
    }

    @Test
    void malformedBodiesAreBadRequests() {
        assertThatThrownBy(() -> ProtobufCodec.decode("{\"kind\":\"Pod\"}".getBytes()))
                .isInstanceOf(ApiException.BadRequest.class)
                .hasMessageContaining("unable to decode protobuf body");
        assertThatThrownBy(() -> ProtobufCodec.decode(new byte[] {'k', '8', 's', 0, (byte) 0xff, (byte) 0xff}))
                .isInstanceOf(ApiException.BadRequest.class)
                .hasMessageStartingWith("unable to decode protobuf body");
        assertThatThrownBy(() -> ProtobufCodec.decode(new byte[0]))
                .isInstanceOf(ApiException.BadRequest.class);
        byte[] truncated = ProtobufCodec.encode(DEPLOYMENT, Json.parse(DEPLOYMENT_JSON));
        assertThatThrownBy(() -> ProtobufCodec.decode(Arrays.copyOf(truncated, truncated.length - 7)))
                .isInstanceOf(ApiException.BadRequest.class)
                .hasMessageContaining("unable to decode protobuf body");
    }

    @Test
    void unknownKindsAskForJson() {
        byte[] body = envelope("networking.k8s.io/v1", "Ingress", ByteString.EMPTY);
        assertThatThrownBy(() -> ProtobufCodec.decode(body))
                .isInstanceOf(ApiException.BadRequest.class)
                .hasMessage("protobuf is not supported for networking.k8s.io/v1, Kind=Ingress, send JSON");
        assertThat(ProtobufCodec.supports(new GroupVersionKind("apps", "v1", "ControllerRevision"))).isFalse();
        ApiException e = catchBadRequest(envelope("", "", ByteString.EMPTY));
        assertThat(e.code()).isEqualTo(400);
    }

    @Test
    void encodeRejectsFieldsWithoutAProtobufForm() {
        JsonNode pod = Json.parse("{\"kind\":\"Pod\",\"apiVersion\":\"v1\",\"metadata\":{\"name\":\"p\"},"
                + "\"spec\":{\"bogus\":1}}");
        assertThatThrownBy(() -> ProtobufCodec.encode(new GroupVersionKind("", "v1", "Pod"), pod))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("spec: field \"bogus\"");
    }

    @Test
    void quantitiesMayBeJsonNumbers() {
        JsonNode limits = Json.parse("""
                {"kind":"LimitRange","apiVersion":"v1","metadata":{"name":"l"},
                 "spec":{"limits":[{"type":"Container","max":{"cpu":2},"default":{"memory":"1Gi"}}]}}""");
        JsonNode back = ProtobufCodec.decode(ProtobufCodec.encode(new GroupVersionKind("", "v1", "LimitRange"), limits))
                .object();
        assertThat(back.at("/spec/limits/0/max/cpu").asString()).isEqualTo("2");
        assertThat(back.at("/spec/limits/0/default/memory").asString()).isEqualTo("1Gi");
    }

    private static ApiException catchBadRequest(byte[] body) {
        try {
            ProtobufCodec.decode(body);
        } catch (ApiException e) {
            assertThat(e).isInstanceOf(ApiException.BadRequest.class);
            return e;
        }
        throw new AssertionError("expected a BadRequest");
    }

    private static byte[] envelope(String apiVersion, String kind, ByteString raw) {
        Runtime.Unknown u = Runtime.Unknown.newBuilder()
                .setTypeMeta(Runtime.TypeMeta.newBuilder().setApiVersion(apiVersion).setKind(kind))
                .setRaw(raw).setContentEncoding("").setContentType("").build();
        return ByteString.copyFrom(new byte[] {'k', '8', 's', 0}).concat(u.toByteString()).toByteArray();
    }
}
