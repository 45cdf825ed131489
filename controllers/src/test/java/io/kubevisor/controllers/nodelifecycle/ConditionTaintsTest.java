package io.kubevisor.controllers.nodelifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.TaintBuilder;

class ConditionTaintsTest {

    private static final String NOW = "2025-01-01T00:00:00Z";

    private static Node node(String ready, boolean cordoned, String memoryPressure) {
        return new NodeBuilder().withNewMetadata().withName("n").endMetadata()
                .withNewSpec().withUnschedulable(cordoned ? true : null).endSpec()
                .withNewStatus()
                .addNewCondition().withType("Ready").withStatus(ready).endCondition()
                .addNewCondition().withType("MemoryPressure").withStatus(memoryPressure).endCondition()
                .endStatus().build();
    }

    private static List<String> keys(List<Taint> taints) {
        return taints.stream().map(t -> t.getKey() + ":" + t.getEffect() + (t.getTimeAdded() == null ? "" : "@"
                + t.getTimeAdded())).toList();
    }

    private static Taint taint(String key, String effect) {
        return new TaintBuilder().withKey(key).withEffect(effect).build();
    }

    @Test
    void conditionsMapToTheTaintsKubernetesUses() {
        assertThat(keys(ConditionTaints.desired(node("True", false, "False")))).isEmpty();
        assertThat(keys(ConditionTaints.desired(node("Unknown", false, "False")))).containsExactly(
                "node.kubernetes.io/unreachable:NoSchedule", "node.kubernetes.io/unreachable:NoExecute");
        assertThat(keys(ConditionTaints.desired(node("False", true, "True")))).containsExactly(
                "node.kubernetes.io/not-ready:NoSchedule", "node.kubernetes.io/not-ready:NoExecute",
                "node.kubernetes.io/memory-pressure:NoSchedule", "node.kubernetes.io/unschedulable:NoSchedule");
    }

    @Test
    void unreachableTaintsAreAddedWithTheirTimeAndOtherTaintsStay() {
        List<Taint> current = List.of(taint("dedicated", "NoSchedule"), taint("node.kubernetes.io/not-ready",
                "NoSchedule"));
        List<Taint> next = ConditionTaints.reconcile(current, ConditionTaints.desired(node("Unknown", false, "False")),
                NOW).orElseThrow();
        assertThat(keys(next)).containsExactly("dedicated:NoSchedule", "node.kubernetes.io/unreachable:NoSchedule",
                "node.kubernetes.io/unreachable:NoExecute@" + NOW);
    }

    @Test
    void whenTheNodeIsReadyAgainItsConditionTaintsGo() {
        List<Taint> current = List.of(taint("node.kubernetes.io/unreachable", "NoSchedule"),
                new TaintBuilder(taint("node.kubernetes.io/unreachable", "NoExecute")).withTimeAdded(NOW).build(),
                taint("example.com/keep", "NoExecute"), taint("node.kubernetes.io/unreachable", "PreferNoSchedule"));
        List<Taint> next = ConditionTaints.reconcile(current, ConditionTaints.desired(node("True", false, "False")),
                NOW).orElseThrow();
        assertThat(keys(next)).as("a taint with a managed key but an effect we never set is someone else's")
                .containsExactly("example.com/keep:NoExecute", "node.kubernetes.io/unreachable:PreferNoSchedule");
    }

    @Test
    void taintsThatAgreeAreLeftAloneKeepingTheirTimes() {
        List<Taint> current = List.of(taint("node.kubernetes.io/unreachable", "NoSchedule"),
                new TaintBuilder(taint("node.kubernetes.io/unreachable", "NoExecute")).withTimeAdded("earlier").build());
        assertThat(ConditionTaints.reconcile(current, ConditionTaints.desired(node("Unknown", false, "False")), NOW))
                .isEmpty();
    }
}
