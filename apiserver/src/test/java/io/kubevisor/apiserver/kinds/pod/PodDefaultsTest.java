package io.kubevisor.apiserver.kinds.pod;

import static io.kubevisor.apiserver.kinds.Fixtures.created;
import static io.kubevisor.apiserver.kinds.Fixtures.json;
import static io.kubevisor.apiserver.kinds.Fixtures.node;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

import io.kubevisor.api.ApiException;
import tools.jackson.databind.node.ObjectNode;

class PodDefaultsTest {

    private final PodStrategy pods = new PodStrategy();

    /** What kubectl run nginx --image=nginx sends. */
    private static final String RUN = """
            {"kind":"Pod","apiVersion":"v1","metadata":{"name":"nginx","namespace":"default","creationTimestamp":null,
             "labels":{"run":"nginx"}},
             "spec":{"containers":[{"name":"nginx","image":"nginx","resources":{}}],"restartPolicy":"Always",
             "dnsPolicy":"ClusterFirst"},"status":{}}""";

    /** The same pod as a protobuf body decodes: Go's zero values written out. */
    private static final String RUN_PROTOBUF = """
            {"kind":"Pod","apiVersion":"v1","metadata":{"name":"nginx","namespace":"default","labels":{"run":"nginx"}},
             "spec":{"containers":[{"name":"nginx","image":"nginx","resources":{},"stdin":false,"stdinOnce":false,
               "tty":false}],"restartPolicy":"Always","dnsPolicy":"ClusterFirst","hostNetwork":false,"hostPID":false,
               "hostIPC":false},"status":{}}""";

    private static final String EXPECTED = """
            {"kind":"Pod","apiVersion":"v1",
             "metadata":{"name":"nginx","namespace":"default","labels":{"run":"nginx"},
               "uid":"0a1b2c3d-0000-4000-8000-00000000000a","creationTimestamp":"2025-01-02T03:04:05Z"},
             "spec":{"containers":[{"name":"nginx","image":"nginx","resources":{},
                 "terminationMessagePath":"/dev/termination-log","terminationMessagePolicy":"File",
                 "imagePullPolicy":"Always"}],
               "restartPolicy":"Always","terminationGracePeriodSeconds":30,"dnsPolicy":"ClusterFirst",
               "serviceAccountName":"default","serviceAccount":"default","securityContext":{},
               "schedulerName":"default-scheduler",
               "tolerations":[
                 {"key":"node.kubernetes.io/not-ready","operator":"Exists","effect":"NoExecute","tolerationSeconds":300},
                 {"key":"node.kubernetes.io/unreachable","operator":"Exists","effect":"NoExecute","tolerationSeconds":300}],
               "priority":0,"enableServiceLinks":true,"preemptionPolicy":"PreemptLowerPriority"},
             "status":{"phase":"Pending","qosClass":"BestEffort"}}""";

    @Test
    void kubectlRunPodGetsWhatARealClusterShows() {
        assertThat(created(pods, json(RUN))).isEqualTo(json(EXPECTED));
    }

    @Test
    void protobufZeroValuesAreTreatedAsUnset() {
        assertThat(created(pods, json(RUN_PROTOBUF))).isEqualTo(json(EXPECTED));
    }

    @Test
    void containerAndProbeDefaults() {
        ObjectNode pod = created(pods, json("""
                {"metadata":{"name":"p","namespace":"default"},"spec":{"containers":[{"name":"app",
                  "image":"registry.example.com:5000/team/app:1.2","ports":[{"containerPort":8080}],
                  "env":[{"name":"NODE","valueFrom":{"fieldRef":{"fieldPath":"spec.nodeName"}}},
                         {"name":"MEM","valueFrom":{"resourceFieldRef":{"resource":"limits.memory"}}}],
                  "livenessProbe":{"httpGet":{"port":8080},"initialDelaySeconds":0,"timeoutSeconds":0},
                  "readinessProbe":{"grpc":{"port":9090}},
                  "lifecycle":{"preStop":{"httpGet":{"port":"http"}}}}]}}"""));
        ObjectNode c = (ObjectNode) pod.path("spec").path("containers").get(0);
        assertThat(c.path("imagePullPolicy").asString()).isEqualTo("IfNotPresent");
        assertThat(c.path("ports").get(0)).isEqualTo(json("{\"containerPort\":8080,\"protocol\":\"TCP\"}"));
        assertThat(c.path("env").get(0).path("valueFrom").path("fieldRef"))
                .isEqualTo(json("{\"apiVersion\":\"v1\",\"fieldPath\":\"spec.nodeName\"}"));
        assertThat(c.path("env").get(1).path("valueFrom").path("resourceFieldRef"))
                .isEqualTo(json("{\"resource\":\"limits.memory\",\"divisor\":\"0\"}"));
        assertThat(c.path("livenessProbe")).isEqualTo(json("""
                {"httpGet":{"port":8080,"path":"/","scheme":"HTTP"},"timeoutSeconds":1,"periodSeconds":10,
                 "successThreshold":1,"failureThreshold":3}"""));
        assertThat(c.path("readinessProbe").path("grpc")).isEqualTo(json("{\"port\":9090,\"service\":\"\"}"));
        assertThat(c.path("lifecycle").path("preStop").path("httpGet"))
                .isEqualTo(json("{\"port\":\"http\",\"path\":\"/\",\"scheme\":\"HTTP\"}"));
    }

    @Test
    void pullPolicyFollowsTheTag() {
        assertThat(ImageNames.defaultPullPolicy("nginx")).isEqualTo("Always");
        assertThat(ImageNames.defaultPullPolicy("nginx:latest")).isEqualTo("Always");
        assertThat(ImageNames.defaultPullPolicy("nginx:1.27")).isEqualTo("IfNotPresent");
        assertThat(ImageNames.defaultPullPolicy("localhost:5000/nginx")).isEqualTo("Always");
        assertThat(ImageNames.defaultPullPolicy("nginx@sha256:" + "a".repeat(64))).isEqualTo("IfNotPresent");
        assertThat(ImageNames.defaultPullPolicy("nginx:latest@sha256:" + "a".repeat(64))).isEqualTo("Always");
        assertThat(ImageNames.defaultPullPolicy("NGINX")).isEqualTo("IfNotPresent");
    }

    @Test
    void volumeDefaults() {
        ObjectNode pod = created(pods, json("""
                {"metadata":{"name":"p","namespace":"default"},"spec":{"containers":[{"name":"a","image":"busybox"}],
                  "volumes":[{"name":"scratch"},{"name":"cfg","configMap":{"name":"settings"}},
                    {"name":"s","secret":{"secretName":"creds"}},{"name":"host","hostPath":{"path":"/var/log"}},
                    {"name":"info","downwardAPI":{"items":[{"path":"labels","fieldRef":{"fieldPath":"metadata.labels"}}]}},
                    {"name":"token","projected":{"sources":[{"serviceAccountToken":{"path":"token"}}]}},
                    {"name":"tmp","emptyDir":{"medium":"","sizeLimit":"1024Mi"}}]}}"""));
        assertThat(pod.path("spec").path("volumes")).isEqualTo(node("""
                [{"name":"scratch","emptyDir":{}},
                 {"name":"cfg","configMap":{"name":"settings","defaultMode":420}},
                 {"name":"s","secret":{"secretName":"creds","defaultMode":420}},
                 {"name":"host","hostPath":{"path":"/var/log","type":""}},
                 {"name":"info","downwardAPI":{"items":[{"path":"labels","fieldRef":{"fieldPath":"metadata.labels",
                   "apiVersion":"v1"}}],"defaultMode":420}},
                 {"name":"token","projected":{"sources":[{"serviceAccountToken":{"path":"token",
                   "expirationSeconds":3600}}],"defaultMode":420}},
                 {"name":"tmp","emptyDir":{"sizeLimit":"1Gi"}}]"""));
    }

    @Test
    void requestsDefaultToLimitsAndQuantitiesAreCanonical() {
        ObjectNode pod = created(pods, json("""
                {"metadata":{"name":"p","namespace":"default"},"spec":{"containers":[{"name":"a","image":"busybox",
                  "resources":{"limits":{"cpu":0.5,"memory":"1024Mi"},"requests":{"cpu":"250m"}}}]}}"""));
        assertThat(pod.path("spec").path("containers").get(0).path("resources")).isEqualTo(json("""
                {"limits":{"cpu":"500m","memory":"1Gi"},"requests":{"cpu":"250m","memory":"1Gi"}}"""));
        assertThat(pod.path("status").path("qosClass").asString()).isEqualTo("Burstable");
    }

    @Test
    void hostNetworkPodsPublishContainerPortsOnTheHost() {
        ObjectNode pod = created(pods, json("""
                {"metadata":{"name":"p","namespace":"default"},"spec":{"hostNetwork":true,
                  "containers":[{"name":"a","image":"busybox","ports":[{"containerPort":53,"protocol":"UDP"}]}]}}"""));
        assertThat(pod.path("spec").path("containers").get(0).path("ports").get(0))
                .isEqualTo(json("{\"containerPort\":53,\"protocol\":\"UDP\",\"hostPort\":53}"));
    }

    @Test
    void admissionKeepsWhatTheUserChose() {
        ObjectNode pod = created(pods, json("""
                {"metadata":{"name":"p","namespace":"default"},"spec":{"serviceAccount":"builder",
                  "priorityClassName":"system-node-critical",
                  "tolerations":[{"operator":"Exists"}],"containers":[{"name":"a","image":"busybox"}]}}"""));
        assertThat(pod.path("spec").path("serviceAccountName").asString()).isEqualTo("builder");
        assertThat(pod.path("spec").path("serviceAccount").asString()).isEqualTo("builder");
        assertThat(pod.path("spec").path("priority").asLong()).isEqualTo(2000001000L);
        assertThat(pod.path("spec").path("tolerations")).hasSize(1);
    }

    @Test
    void schedulingGatesShowInTheStatus() {
        ObjectNode pod = created(pods, json("""
                {"metadata":{"name":"p","namespace":"default"},"spec":{"schedulingGates":[{"name":"wait"}],
                  "containers":[{"name":"a","image":"busybox"}]}}"""));
        assertThat(pod.path("status").path("conditions")).isEqualTo(node("""
                [{"type":"PodScheduled","status":"False","lastProbeTime":null,"lastTransitionTime":null,
                  "reason":"SchedulingGated","message":"Scheduling is blocked due to non-empty scheduling gates"}]"""));
    }

    @Test
    void malformedQuantitiesAreRejectedLikeTheDecoderDoes() {
        assertThatThrownBy(() -> created(pods, json("""
                {"kind":"Pod","apiVersion":"v1","metadata":{"name":"p","namespace":"default"},
                 "spec":{"containers":[{"name":"a","image":"busybox","resources":{"limits":{"cpu":"two"}}}]}}""")))
                .isInstanceOf(ApiException.BadRequest.class)
                .hasMessage("Pod in version \"v1\" cannot be handled as a Pod: quantities must match the regular "
                        + "expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'");
    }
}
