package io.kubevisor.controllers.scheduler;

import static io.kubevisor.controllers.scheduler.Fixtures.info;
import static io.kubevisor.controllers.scheduler.Fixtures.list;
import static io.kubevisor.controllers.scheduler.Fixtures.node;
import static io.kubevisor.controllers.scheduler.Fixtures.spec;
import static io.kubevisor.controllers.scheduler.Fixtures.taint;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.TolerationBuilder;

class SchedulingAlgorithmTest {

    private final SchedulingAlgorithm algorithm = new SchedulingAlgorithm();

    private static NodeInfo empty(Node n) {
        return NodeInfo.empty(n);
    }

    private Decision schedule(PodSpec spec, NodeInfo... nodes) {
        return algorithm.schedule(spec, List.of(nodes));
    }

    private static String message(Decision d) {
        assertThat(d).isInstanceOf(Decision.Unschedulable.class);
        return ((Decision.Unschedulable) d).message();
    }

    @Test
    void aPodGoesToTheOnlyNodeWithRoomForItsRequests() {
        var small = empty(node("small", "1", "2Gi").build());
        var big = empty(node("big", "8", "32Gi").build());
        assertThat(schedule(spec("cpu", "2"), small, big)).isEqualTo(new Decision.Bind("big"));
        assertThat(schedule(spec("memory", "3Gi"), small, big)).isEqualTo(new Decision.Bind("big"));
    }

    @Test
    void podsAlreadyOnANodeUseUpItsRoom() {
        var n = info(node("n", "2", "4Gi").build(), List.of(spec("cpu", "1500m")));
        assertThat(message(schedule(spec("cpu", "600m"), n))).isEqualTo("0/1 nodes are available: 1 Insufficient cpu. "
                + "preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod.");
        assertThat(schedule(spec("cpu", "500m"), n)).isEqualTo(new Decision.Bind("n"));
    }

    @Test
    void everyShortResourceIsReportedAndPodSlotsCount() {
        Node full = node("full", "1", "1Gi").editStatus()
                .withAllocatable(list("cpu", "1", "memory", "1Gi", "pods", "1", "example.com/gpu", "1")).endStatus()
                .build();
        var n = info(full, List.of(spec()));
        String msg = message(schedule(spec("cpu", "2", "memory", "2Gi", "example.com/gpu", "2"), n));
        assertThat(msg).isEqualTo("0/1 nodes are available: 1 Insufficient cpu, 1 Insufficient example.com/gpu, "
                + "1 Insufficient memory, 1 Too many pods. preemption: 0/1 nodes are available: "
                + "1 No preemption victims found for incoming pod.");
    }

    @Test
    void aNodeWithoutAllocatablePodsTakesNoPods() {
        Node n = node("bare", "4", "4Gi").editStatus().withAllocatable(list("cpu", "4", "memory", "4Gi")).endStatus()
                .build();
        assertThat(message(schedule(spec(), empty(n)))).startsWith("0/1 nodes are available: 1 Too many pods.");
    }

    @Test
    void theMessageCountsReasonsOverAllNodesSortedAsStringsAsKubernetesDoes() {
        List<NodeInfo> nodes = new ArrayList<>();
        nodes.add(empty(node("a1", "16", "8Gi").build()));
        nodes.add(empty(node("a2", "16", "8Gi").build()));
        for (int i = 0; i < 10; i++) {
            nodes.add(empty(node("z" + i, "8", "8Gi").editMetadata().withLabels(Map.of("zone", "z")).endMetadata()
                    .build()));
        }
        nodes.add(empty(node("t", "16", "8Gi").editSpec().withTaints(taint("dedicated", "gpu", "NoSchedule"))
                .endSpec().build()));
        nodes.add(empty(node("c", "16", "8Gi").editSpec().withUnschedulable(true).endSpec().build()));
        nodes.add(empty(node("down", "16", "8Gi").editStatus().editFirstCondition().withStatus("Unknown")
                .endCondition().endStatus().build()));
        PodSpec pod = new PodSpecBuilder(spec("cpu", "9")).withNodeSelector(Map.of("zone", "z")).build();
        // As strings "10 ..." sorts before "2 ...", as in kube-scheduler's sort.Strings.
        assertThat(message(algorithm.schedule(pod, nodes))).isEqualTo("0/15 nodes are available: "
                + "1 node(s) had untolerated taint {dedicated: gpu}, "
                + "1 node(s) were not ready, "
                + "1 node(s) were unschedulable, "
                + "10 Insufficient cpu, "
                + "2 node(s) didn't match Pod's node affinity/selector. "
                + "preemption: 0/15 nodes are available: 10 No preemption victims found for incoming pod, "
                + "5 Preemption is not helpful for scheduling.");
    }

    @Test
    void theBriefsExampleMessage() {
        var tight = empty(node("tight", "1", "4Gi").editMetadata().withLabels(Map.of("disk", "ssd")).endMetadata()
                .build());
        var other1 = empty(node("o1", "8", "8Gi").build());
        var other2 = empty(node("o2", "8", "8Gi").build());
        PodSpec pod = new PodSpecBuilder(spec("cpu", "2")).withNodeSelector(Map.of("disk", "ssd")).build();
        assertThat(message(schedule(pod, tight, other1, other2))).isEqualTo("0/3 nodes are available: "
                + "1 Insufficient cpu, 2 node(s) didn't match Pod's node affinity/selector. preemption: 0/3 nodes are "
                + "available: 1 No preemption victims found for incoming pod, 2 Preemption is not helpful for "
                + "scheduling.");
    }

    @Test
    void filtersStopAtTheFirstFailureInKubernetesOrder() {
        // Cordoned, tainted, not ready, wrong labels and too small: only "unschedulable" is reported.
        Node everything = node("x", "1", "1Gi").editSpec().withUnschedulable(true)
                .withTaints(taint("k", "v", "NoExecute")).endSpec().editStatus().editFirstCondition()
                .withStatus("False").endCondition().endStatus().build();
        PodSpec pod = new PodSpecBuilder(spec("cpu", "4")).withNodeSelector(Map.of("a", "b")).build();
        assertThat(message(schedule(pod, empty(everything)))).startsWith(
                "0/1 nodes are available: 1 node(s) were unschedulable.");
    }

    @Test
    void tolerationsOpenTaintedAndCordonedNodes() {
        var tainted = empty(node("gpu", "4", "4Gi").editSpec().withTaints(taint("dedicated", "gpu", "NoSchedule"))
                .endSpec().build());
        PodSpec plain = spec();
        assertThat(message(schedule(plain, tainted))).isEqualTo("0/1 nodes are available: 1 node(s) had untolerated "
                + "taint {dedicated: gpu}. preemption: 0/1 nodes are available: 1 Preemption is not helpful for "
                + "scheduling.");
        PodSpec tolerant = new PodSpecBuilder(plain).withTolerations(new TolerationBuilder().withKey("dedicated")
                .withOperator("Equal").withValue("gpu").withEffect("NoSchedule").build()).build();
        assertThat(schedule(tolerant, tainted)).isEqualTo(new Decision.Bind("gpu"));

        var cordoned = empty(node("c", "4", "4Gi").editSpec().withUnschedulable(true).endSpec().build());
        PodSpec toleratesCordon = new PodSpecBuilder(plain).withTolerations(new TolerationBuilder()
                .withKey("node.kubernetes.io/unschedulable").withOperator("Exists").withEffect("NoSchedule").build())
                .build();
        assertThat(schedule(toleratesCordon, cordoned)).isEqualTo(new Decision.Bind("c"));
    }

    @Test
    void unreachableNodesAreReportedByTheirTaint() {
        var unreachable = empty(node("gone", "4", "4Gi").editSpec()
                .withTaints(taint("node.kubernetes.io/unreachable", null, "NoSchedule"),
                        taint("node.kubernetes.io/unreachable", null, "NoExecute"))
                .endSpec().editStatus().editFirstCondition().withStatus("Unknown").endCondition().endStatus().build());
        assertThat(message(schedule(spec(), unreachable))).startsWith("0/1 nodes are available: 1 node(s) had "
                + "untolerated taint {node.kubernetes.io/unreachable: }.");
    }

    @Test
    void preemptionPolicyNeverChangesThePreemptionPart() {
        PodSpec never = new PodSpecBuilder(spec("cpu", "100")).withPreemptionPolicy("Never").build();
        assertThat(message(schedule(never, empty(node("n", "1", "1Gi").build())))).isEqualTo(
                "0/1 nodes are available: 1 Insufficient cpu. preemption: not eligible due to preemptionPolicy=Never.");
    }

    @Test
    void noNodesAtAll() {
        assertThat(message(algorithm.schedule(spec(), List.of()))).isEqualTo("no nodes available to schedule pods");
    }

    @Test
    void theLeastAllocatedNodeWins() {
        var busy = info(node("busy", "4", "8Gi").build(), List.of(spec("cpu", "3", "memory", "6Gi")));
        var idle = info(node("idle", "4", "8Gi").build(), List.of(spec("cpu", "1", "memory", "1Gi")));
        assertThat(schedule(spec("cpu", "500m", "memory", "1Gi"), busy, idle)).isEqualTo(new Decision.Bind("idle"));
        // A bigger node with the same usage has more left, relatively.
        var bigger = info(node("bigger", "16", "32Gi").build(), List.of(spec("cpu", "3", "memory", "6Gi")));
        assertThat(schedule(spec("cpu", "500m"), busy, bigger)).isEqualTo(new Decision.Bind("bigger"));
    }

    @Test
    void podsWithoutRequestsStillSpreadOverEqualNodes() {
        Node a = node("a", "2", "4Gi").build();
        Node b = node("b", "2", "4Gi").build();
        List<PodSpec> onA = new ArrayList<>();
        List<PodSpec> onB = new ArrayList<>();
        List<String> placed = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            var d = (Decision.Bind) algorithm.schedule(spec(), List.of(info(a, onA), info(b, onB)));
            placed.add(d.node());
            (d.node().equals("a") ? onA : onB).add(spec());
        }
        assertThat(placed).containsExactly("a", "b", "a", "b", "a", "b");
    }

    @Test
    void equalNodesTakeTurnsEvenWhenScoresCannotTellThemApart() {
        // Huge nodes: one small pod does not move the integer score, so the tie-break decides.
        Node a = node("a", "100000", "1000Ti").build();
        Node b = node("b", "100000", "1000Ti").build();
        Node c = node("c", "100000", "1000Ti").build();
        assertThat(List.of(schedule(spec(), empty(a), empty(b), empty(c)), schedule(spec(), empty(a), empty(b), empty(c)),
                schedule(spec(), empty(a), empty(b), empty(c)))).extracting(d -> ((Decision.Bind) d).node())
                .containsExactly("a", "b", "c");
    }

    @Test
    void preferNoScheduleTaintsAndPreferredAffinityOnlySteerTheChoice() {
        var soft = empty(node("soft", "4", "8Gi").editSpec().withTaints(taint("spot", "true", "PreferNoSchedule"))
                .endSpec().build());
        var plain = info(node("plain", "4", "8Gi").build(), List.of(spec("cpu", "2", "memory", "4Gi")));
        assertThat(schedule(spec(), soft, plain)).as("the tainted node is emptier but avoided")
                .isEqualTo(new Decision.Bind("plain"));
        assertThat(schedule(spec(), soft)).as("but used when it is the only one").isEqualTo(new Decision.Bind("soft"));

        var ssd = empty(node("ssd", "4", "8Gi").editMetadata().withLabels(Map.of("disk", "ssd")).endMetadata().build());
        var hdd = empty(node("hdd", "4", "8Gi").build());
        PodSpec prefersSsd = new PodSpecBuilder(spec()).withNewAffinity().withNewNodeAffinity()
                .addNewPreferredDuringSchedulingIgnoredDuringExecution().withWeight(1).withNewPreference()
                .addNewMatchExpression().withKey("disk").withOperator("In").withValues("ssd").endMatchExpression()
                .endPreference().endPreferredDuringSchedulingIgnoredDuringExecution().endNodeAffinity().endAffinity()
                .build();
        assertThat(schedule(prefersSsd, hdd, ssd)).isEqualTo(new Decision.Bind("ssd"));
    }
}
