package io.kubevisor.apiserver.kinds.apps;

import static io.kubevisor.apiserver.kinds.Fixtures.created;
import static io.kubevisor.apiserver.kinds.Fixtures.createErrors;
import static io.kubevisor.apiserver.kinds.Fixtures.json;
import static io.kubevisor.apiserver.kinds.Fixtures.rendered;
import static io.kubevisor.apiserver.kinds.Fixtures.updateErrors;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import tools.jackson.databind.node.ObjectNode;

class StatefulSetStrategyTest {

    private final StatefulSetStrategy sets = new StatefulSetStrategy();

    private static final String WEB = """
            {"kind":"StatefulSet","apiVersion":"apps/v1","metadata":{"name":"web","namespace":"default"},
             "spec":{"serviceName":"web","selector":{"matchLabels":{"app":"web"}},
               "template":{"metadata":{"labels":{"app":"web"}},"spec":{"containers":[{"name":"nginx",
                 "image":"nginx:1.27","volumeMounts":[{"name":"www","mountPath":"/usr/share/nginx/html"}]}]}},
               "volumeClaimTemplates":[{"metadata":{"name":"www"},"spec":{"accessModes":["ReadWriteOnce"],
                 "resources":{"requests":{"storage":"1024Mi"}}}}]}}""";

    @Test
    void defaultsIncludeClaimTemplatesAndStatusCounters() {
        ObjectNode sts = created(sets, json(WEB));
        ObjectNode spec = (ObjectNode) sts.get("spec");
        assertThat(spec.path("replicas").asInt()).isEqualTo(1);
        assertThat(spec.path("podManagementPolicy").asString()).isEqualTo("OrderedReady");
        assertThat(spec.path("revisionHistoryLimit").asInt()).isEqualTo(10);
        assertThat(spec.path("updateStrategy")).isEqualTo(json("{\"type\":\"RollingUpdate\",\"rollingUpdate\":{\"partition\":0}}"));
        assertThat(spec.path("persistentVolumeClaimRetentionPolicy"))
                .isEqualTo(json("{\"whenDeleted\":\"Retain\",\"whenScaled\":\"Retain\"}"));
        assertThat(spec.path("volumeClaimTemplates").get(0)).isEqualTo(json("""
                {"metadata":{"name":"www","creationTimestamp":null},
                 "spec":{"accessModes":["ReadWriteOnce"],"resources":{"requests":{"storage":"1Gi"}},
                   "volumeMode":"Filesystem"},
                 "status":{"phase":"Pending"}}"""));
        assertThat(sts.path("status")).isEqualTo(json("{\"replicas\":0,\"availableReplicas\":0}"));
        assertThat(createErrors(sets, json(WEB), true)).isEmpty();
    }

    @Test
    void anExplicitRollingUpdateWithoutDetailsStaysBare() {
        ObjectNode input = json(WEB);
        ((ObjectNode) input.get("spec")).set("updateStrategy", json("{\"type\":\"RollingUpdate\"}"));
        assertThat(created(sets, input).path("spec").path("updateStrategy")).isEqualTo(json("{\"type\":\"RollingUpdate\"}"));
    }

    @Test
    void validation() {
        ObjectNode input = json(WEB);
        ObjectNode spec = (ObjectNode) input.get("spec");
        spec.put("podManagementPolicy", "Fast");
        spec.set("updateStrategy", json("{\"type\":\"Sometimes\"}"));
        ((ObjectNode) spec.path("template").path("spec").path("containers").get(0).path("volumeMounts").get(0))
                .put("name", "nope");
        assertThat(rendered(createErrors(sets, input, true))).containsExactly(
                "spec.podManagementPolicy: Invalid value: \"Fast\": must be 'OrderedReady' or 'Parallel'",
                "spec.updateStrategy: Invalid value: apps.StatefulSetUpdateStrategy{Type:\"Sometimes\", "
                        + "RollingUpdate:(*apps.RollingUpdateStatefulSetStrategy)(nil)}: must be 'RollingUpdate' or 'OnDelete'",
                "spec.template.spec.containers[0].volumeMounts[0].name: Not found: \"nope\"");
    }

    @Test
    void onlySomeSpecFieldsMayChange() {
        ObjectNode stored = created(sets, json(WEB));
        ObjectNode scaled = stored.deepCopy();
        ((ObjectNode) scaled.get("spec")).put("replicas", 3).put("minReadySeconds", 5);
        assertThat(updateErrors(sets, stored, scaled)).isEmpty();
        ObjectNode renamed = stored.deepCopy();
        ((ObjectNode) renamed.get("spec")).put("serviceName", "other");
        assertThat(rendered(updateErrors(sets, stored, renamed))).containsExactly(
                "spec: Forbidden: updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', "
                        + "'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden");
    }
}
