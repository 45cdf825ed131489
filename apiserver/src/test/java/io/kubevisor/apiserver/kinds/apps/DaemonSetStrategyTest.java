package io.kubevisor.apiserver.kinds.apps;

import static io.kubevisor.apiserver.kinds.Fixtures.created;
import static io.kubevisor.apiserver.kinds.Fixtures.createErrors;
import static io.kubevisor.apiserver.kinds.Fixtures.json;
import static io.kubevisor.apiserver.kinds.Fixtures.rendered;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import tools.jackson.databind.node.ObjectNode;

class DaemonSetStrategyTest {

    private final DaemonSetStrategy daemons = new DaemonSetStrategy();

    private static final String AGENT = """
            {"kind":"DaemonSet","apiVersion":"apps/v1","metadata":{"name":"agent","namespace":"kube-system"},
             "spec":{"selector":{"matchLabels":{"app":"agent"}},
               "template":{"metadata":{"labels":{"app":"agent"}},"spec":{"containers":[{"name":"a","image":"agent:1"}]}}}}""";

    @Test
    void defaults() {
        ObjectNode ds = created(daemons, json(AGENT));
        assertThat(ds.path("spec").path("updateStrategy")).isEqualTo(json("""
                {"type":"RollingUpdate","rollingUpdate":{"maxUnavailable":1,"maxSurge":0}}"""));
        assertThat(ds.path("spec").path("revisionHistoryLimit").asInt()).isEqualTo(10);
        assertThat(ds.path("status")).isEqualTo(json("""
                {"currentNumberScheduled":0,"numberMisscheduled":0,"desiredNumberScheduled":0,"numberReady":0}"""));
        assertThat(createErrors(daemons, json(AGENT), true)).isEmpty();
    }

    @Test
    void rollingUpdateNeedsExactlyOneOfSurgeAndUnavailable() {
        ObjectNode both = json(AGENT);
        ((ObjectNode) both.get("spec")).set("updateStrategy", json("{\"rollingUpdate\":{\"maxUnavailable\":1,\"maxSurge\":\"10%\"}}"));
        assertThat(rendered(createErrors(daemons, both, true))).containsExactly(
                "spec.updateStrategy.rollingUpdate.maxSurge: Invalid value: intstr.IntOrString{Type:1, IntVal:0, "
                        + "StrVal:\"10%\"}: may not be set when maxUnavailable is non-zero");
        ObjectNode neither = json(AGENT);
        ((ObjectNode) neither.get("spec")).set("updateStrategy", json("{\"rollingUpdate\":{\"maxUnavailable\":0,\"maxSurge\":0}}"));
        assertThat(rendered(createErrors(daemons, neither, true))).containsExactly(
                "spec.updateStrategy.rollingUpdate.maxUnavailable: Required value: cannot be 0 when maxSurge is 0");
    }

    @Test
    void selectorAndTemplate() {
        ObjectNode ds = json(AGENT);
        ((ObjectNode) ds.path("spec").path("template").path("metadata").path("labels")).put("app", "other");
        ((ObjectNode) ds.path("spec").path("template").path("spec")).put("restartPolicy", "OnFailure");
        assertThat(rendered(createErrors(daemons, ds, true))).containsExactly(
                "spec.template.metadata.labels: Invalid value: map[string]string{\"app\":\"other\"}: `selector` does not "
                        + "match template `labels`",
                "spec.template.spec.restartPolicy: Unsupported value: \"OnFailure\": supported values: \"Always\"");
    }
}
