package io.kubevisor.apiserver.kinds.apps;

import static io.kubevisor.apiserver.kinds.Fixtures.created;
import static io.kubevisor.apiserver.kinds.Fixtures.createErrors;
import static io.kubevisor.apiserver.kinds.Fixtures.json;
import static io.kubevisor.apiserver.kinds.Fixtures.rendered;
import static io.kubevisor.apiserver.kinds.Fixtures.updateErrors;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import tools.jackson.databind.node.ObjectNode;

class ReplicaSetStrategyTest {

    private final ReplicaSetStrategy sets = new ReplicaSetStrategy();

    private static final String RS = """
            {"kind":"ReplicaSet","apiVersion":"apps/v1","metadata":{"name":"web-7d4b9","namespace":"default"},
             "spec":{"selector":{"matchExpressions":[{"key":"app","operator":"In","values":["web"]}]},
               "template":{"metadata":{"labels":{"app":"web"}},"spec":{"containers":[{"name":"a","image":"web:1"}]}}}}""";

    @Test
    void defaultsAndStatus() {
        ObjectNode rs = created(sets, json(RS));
        assertThat(rs.path("spec").path("replicas").asInt()).isEqualTo(1);
        assertThat(rs.path("status")).isEqualTo(json("{\"replicas\":0}"));
        assertThat(createErrors(sets, json(RS), true)).isEmpty();
    }

    @Test
    void selectorExpressionsAreChecked() {
        ObjectNode rs = json(RS);
        ((ObjectNode) rs.path("spec").path("selector").path("matchExpressions").get(0)).put("operator", "Exists");
        assertThat(rendered(createErrors(sets, rs, true))).containsExactly(
                "spec.selector.matchExpressions[0].values: Forbidden: may not be specified when `operator` is 'Exists' "
                        + "or 'DoesNotExist'");
    }

    @Test
    void selectorIsImmutableAndStatusReplicasSelectable() {
        ObjectNode stored = created(sets, json(RS));
        ObjectNode next = stored.deepCopy();
        ((ObjectNode) next.path("spec").path("selector").path("matchExpressions").get(0)).putArray("values")
                .add("web").add("api");
        assertThat(rendered(updateErrors(sets, stored, next))).containsExactly(
                "spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string(nil), MatchExpressions:"
                        + "[]v1.LabelSelectorRequirement{v1.LabelSelectorRequirement{Key:\"app\", Operator:\"In\", "
                        + "Values:[]string{\"web\", \"api\"}}}}: field is immutable");
        ((ObjectNode) stored.get("status")).put("replicas", 3);
        assertThat(sets.selectableFields(stored)).containsEntry("status.replicas", "3");
    }
}
