package io.kubevisor.apiserver.kinds.apps;

import static io.kubevisor.apiserver.kinds.Fixtures.created;
import static io.kubevisor.apiserver.kinds.Fixtures.createErrors;
import static io.kubevisor.apiserver.kinds.Fixtures.json;
import static io.kubevisor.apiserver.kinds.Fixtures.rendered;
import static io.kubevisor.apiserver.kinds.Fixtures.updateErrors;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

import tools.jackson.databind.node.ObjectNode;

class DeploymentStrategyTest {

    private final DeploymentStrategy deployments = new DeploymentStrategy();

    /** kubectl create deployment nginx --image=nginx, as JSON. */
    static final String CREATE = """
            {"kind":"Deployment","apiVersion":"apps/v1","metadata":{"name":"nginx","namespace":"default",
              "labels":{"app":"nginx"}},
             "spec":{"replicas":1,"selector":{"matchLabels":{"app":"nginx"}},
               "template":{"metadata":{"labels":{"app":"nginx"}},
                 "spec":{"containers":[{"name":"nginx","image":"nginx","resources":{}}]}},"strategy":{}},
             "status":{}}""";

    /** The same, as kubectl 1.32's protobuf body decodes. */
    static final String CREATE_PROTOBUF = """
            {"kind":"Deployment","apiVersion":"apps/v1","metadata":{"name":"nginx","namespace":"default",
              "labels":{"app":"nginx"}},
             "spec":{"replicas":1,"selector":{"matchLabels":{"app":"nginx"}},
               "template":{"metadata":{"labels":{"app":"nginx"}},
                 "spec":{"containers":[{"name":"nginx","image":"nginx","resources":{},"stdin":false,"stdinOnce":false,
                   "tty":false}],"hostNetwork":false,"hostPID":false,"hostIPC":false}},
               "strategy":{},"minReadySeconds":0,"paused":false},
             "status":{}}""";

    static final String EXPECTED = """
            {"kind":"Deployment","apiVersion":"apps/v1",
             "metadata":{"name":"nginx","namespace":"default","labels":{"app":"nginx"},
               "uid":"0a1b2c3d-0000-4000-8000-00000000000a","creationTimestamp":"2025-01-02T03:04:05Z"},
             "spec":{"replicas":1,"selector":{"matchLabels":{"app":"nginx"}},
               "template":{"metadata":{"creationTimestamp":null,"labels":{"app":"nginx"}},
                 "spec":{"containers":[{"name":"nginx","image":"nginx","resources":{},
                   "terminationMessagePath":"/dev/termination-log","terminationMessagePolicy":"File",
                   "imagePullPolicy":"Always"}],
                   "restartPolicy":"Always","terminationGracePeriodSeconds":30,"dnsPolicy":"ClusterFirst",
                   "securityContext":{},"schedulerName":"default-scheduler"}},
               "strategy":{"type":"RollingUpdate","rollingUpdate":{"maxUnavailable":"25%","maxSurge":"25%"}},
               "revisionHistoryLimit":10,"progressDeadlineSeconds":600},
             "status":{}}""";

    @Test
    void kubectlCreateDeploymentGetsKubernetesDefaults() {
        assertThat(created(deployments, json(CREATE))).isEqualTo(json(EXPECTED));
        assertThat(createErrors(deployments, json(CREATE), true)).isEmpty();
    }

    @Test
    void protobufBodiesDefaultTheSame() {
        assertThat(created(deployments, json(CREATE_PROTOBUF))).isEqualTo(json(EXPECTED));
    }

    @Test
    void templatesDoNotGetPodOnlyDefaults() {
        ObjectNode spec = (ObjectNode) created(deployments, json(CREATE)).path("spec").path("template").path("spec");
        assertThat(spec.has("enableServiceLinks")).isFalse();
        assertThat(spec.has("tolerations")).isFalse();
        assertThat(spec.has("serviceAccountName")).isFalse();
    }

    @Test
    void selectorMustMatchTheTemplate() {
        ObjectNode d = json(CREATE);
        ((ObjectNode) d.path("spec").path("template").path("metadata").path("labels")).put("app", "web");
        assertThat(rendered(createErrors(deployments, d, true))).containsExactly(
                "spec.template.metadata.labels: Invalid value: map[string]string{\"app\":\"web\"}: `selector` does "
                        + "not match template `labels`");
    }

    @Test
    void selectorIsRequiredAndMayNotBeEmpty() {
        ObjectNode missing = json(CREATE);
        ((ObjectNode) missing.get("spec")).remove("selector");
        assertThat(rendered(createErrors(deployments, missing, true))).containsExactly("spec.selector: Required value");
        ObjectNode empty = json(CREATE);
        ((ObjectNode) empty.get("spec")).putObject("selector");
        assertThat(rendered(createErrors(deployments, empty, true))).containsExactly(
                "spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string(nil), "
                        + "MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: empty selector is invalid for deployment");
    }

    @Test
    void strategyRules() {
        ObjectNode bothZero = json(CREATE);
        ((ObjectNode) bothZero.get("spec")).set("strategy", json("""
                {"type":"RollingUpdate","rollingUpdate":{"maxSurge":0,"maxUnavailable":0}}"""));
        assertThat(rendered(createErrors(deployments, bothZero, true))).containsExactly(
                "spec.strategy.rollingUpdate.maxUnavailable: Invalid value: intstr.IntOrString{Type:0, IntVal:0, "
                        + "StrVal:\"\"}: may not be 0 when `maxSurge` is 0");
        ObjectNode badPercent = json(CREATE);
        ((ObjectNode) badPercent.get("spec")).set("strategy", json("""
                {"rollingUpdate":{"maxSurge":"20 percent","maxUnavailable":"110%"}}"""));
        assertThat(rendered(createErrors(deployments, badPercent, true))).containsExactly(
                "spec.strategy.rollingUpdate.maxSurge: Invalid value: intstr.IntOrString{Type:1, IntVal:0, "
                        + "StrVal:\"20 percent\"}: a valid percent string must be a numeric string followed by an ending "
                        + "'%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')",
                "spec.strategy.rollingUpdate.maxUnavailable: Invalid value: intstr.IntOrString{Type:1, IntVal:0, "
                        + "StrVal:\"110%\"}: must not be greater than 100%");
        ObjectNode recreate = json(CREATE);
        ((ObjectNode) recreate.get("spec")).set("strategy", json("""
                {"type":"Recreate","rollingUpdate":{"maxSurge":1}}"""));
        assertThat(rendered(createErrors(deployments, recreate, true))).containsExactly(
                "spec.strategy.rollingUpdate: Forbidden: may not be specified when strategy `type` is 'Recreate'");
        ObjectNode recreateClean = json(CREATE);
        ((ObjectNode) recreateClean.get("spec")).set("strategy", json("{\"type\":\"Recreate\"}"));
        assertThat(created(deployments, recreateClean).path("spec").path("strategy")).isEqualTo(json("{\"type\":\"Recreate\"}"));
    }

    @Test
    void countsAndTemplate() {
        ObjectNode d = json(CREATE);
        ObjectNode spec = (ObjectNode) d.get("spec");
        spec.put("replicas", -1).put("minReadySeconds", 30).put("progressDeadlineSeconds", 10);
        ((ObjectNode) spec.path("template").path("spec")).put("restartPolicy", "Never");
        assertThat(rendered(createErrors(deployments, d, true))).containsExactly(
                "spec.replicas: Invalid value: -1: must be greater than or equal to 0",
                "spec.template.spec.restartPolicy: Unsupported value: \"Never\": supported values: \"Always\"",
                "spec.progressDeadlineSeconds: Invalid value: 10: must be greater than minReadySeconds");
    }

    @Test
    void selectorIsImmutable() {
        ObjectNode stored = created(deployments, json(CREATE));
        ObjectNode next = stored.deepCopy();
        ((ObjectNode) next.path("spec").path("selector").path("matchLabels")).put("tier", "web");
        ((ObjectNode) next.path("spec").path("template").path("metadata").path("labels")).put("tier", "web");
        List<String> errs = rendered(updateErrors(deployments, stored, next));
        assertThat(errs).containsExactly("spec.selector: Invalid value: v1.LabelSelector{MatchLabels:"
                + "map[string]string{\"app\":\"nginx\", \"tier\":\"web\"}, MatchExpressions:"
                + "[]v1.LabelSelectorRequirement(nil)}: field is immutable");
        ObjectNode scaled = stored.deepCopy();
        ((ObjectNode) scaled.get("spec")).put("replicas", 3);
        assertThat(updateErrors(deployments, stored, scaled)).isEmpty();
    }

    @Test
    void tracksGenerationButNotReturnsObjectsOnDelete() {
        assertThat(deployments.tracksGeneration()).isTrue();
        assertThat(deployments.allowCreateOnUpdate()).isFalse();
        assertThat(deployments.returnDeletedObject()).isFalse();
    }
}
