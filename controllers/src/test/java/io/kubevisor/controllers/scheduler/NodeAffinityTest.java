package io.kubevisor.controllers.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirement;
import io.fabric8.kubernetes.api.model.NodeSelectorTerm;
import io.fabric8.kubernetes.api.model.NodeSelectorTermBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;

class NodeAffinityTest {

    private static final Node NODE = Fixtures.node("worker-1", "4", "8Gi").editMetadata()
            .withLabels(Map.of("zone", "a", "disk", "ssd", "cores", "16")).endMetadata().build();

    private static NodeSelectorRequirement req(String key, String op, String... values) {
        return new NodeSelectorRequirement(key, op, values.length == 0 ? null : List.of(values));
    }

    private static PodSpec required(NodeSelectorTerm... terms) {
        return new PodSpecBuilder(Fixtures.spec()).withNewAffinity().withNewNodeAffinity()
                .withNewRequiredDuringSchedulingIgnoredDuringExecution().withNodeSelectorTerms(terms)
                .endRequiredDuringSchedulingIgnoredDuringExecution()
                .endNodeAffinity().endAffinity().build();
    }

    private static NodeSelectorTerm exprs(NodeSelectorRequirement... r) {
        return new NodeSelectorTermBuilder().withMatchExpressions(r).build();
    }

    private static boolean matches(NodeSelectorRequirement r) {
        return NodeAffinity.required(required(exprs(r)), NODE);
    }

    @Test
    void nodeSelectorNeedsEveryPair() {
        assertThat(NodeAffinity.required(new PodSpecBuilder().withNodeSelector(Map.of("zone", "a")).build(), NODE)).isTrue();
        assertThat(NodeAffinity.required(new PodSpecBuilder().withNodeSelector(Map.of("zone", "a", "disk", "hdd"))
                .build(), NODE)).isFalse();
        assertThat(NodeAffinity.required(new PodSpecBuilder().withNodeSelector(Map.of("gpu", "")).build(), NODE))
                .as("a missing label does not equal the empty string").isFalse();
        assertThat(NodeAffinity.required(new PodSpec(), NODE)).as("no constraints").isTrue();
    }

    @Test
    void setOperators() {
        assertThat(matches(req("zone", "In", "b", "a"))).isTrue();
        assertThat(matches(req("zone", "In", "b"))).isFalse();
        assertThat(matches(req("zone", "NotIn", "b"))).isTrue();
        assertThat(matches(req("zone", "NotIn", "a"))).isFalse();
        assertThat(matches(req("gpu", "NotIn", "x"))).as("NotIn holds for a missing label").isTrue();
        assertThat(matches(req("disk", "Exists"))).isTrue();
        assertThat(matches(req("gpu", "Exists"))).isFalse();
        assertThat(matches(req("gpu", "DoesNotExist"))).isTrue();
        assertThat(matches(req("disk", "DoesNotExist"))).isFalse();
    }

    @Test
    void gtAndLtCompareIntegers() {
        assertThat(matches(req("cores", "Gt", "8"))).isTrue();
        assertThat(matches(req("cores", "Gt", "16"))).isFalse();
        assertThat(matches(req("cores", "Lt", "100"))).as("16 < 100 as numbers, not as strings").isTrue();
        assertThat(matches(req("cores", "Lt", "16"))).isFalse();
        assertThat(matches(req("zone", "Gt", "1"))).as("a non-numeric label never matches").isFalse();
        assertThat(matches(req("gpu", "Lt", "1"))).isFalse();
    }

    @Test
    void expressionsInATermAreAndedAndTermsAreOred() {
        assertThat(NodeAffinity.required(required(exprs(req("zone", "In", "a"), req("disk", "In", "hdd"))), NODE))
                .isFalse();
        assertThat(NodeAffinity.required(required(exprs(req("zone", "In", "b")), exprs(req("disk", "In", "ssd"))),
                NODE)).isTrue();
        assertThat(NodeAffinity.required(required(new NodeSelectorTerm()), NODE)).as("an empty term matches nothing")
                .isFalse();
    }

    @Test
    void matchFieldsSelectByNodeName() {
        var byName = new NodeSelectorTermBuilder().withMatchFields(req("metadata.name", "In", "worker-1")).build();
        assertThat(NodeAffinity.required(required(byName), NODE)).isTrue();
        var notByName = new NodeSelectorTermBuilder().withMatchFields(req("metadata.name", "NotIn", "worker-1")).build();
        assertThat(NodeAffinity.required(required(notByName), NODE)).isFalse();
        var otherField = new NodeSelectorTermBuilder().withMatchFields(req("spec.podCIDR", "In", "x")).build();
        assertThat(NodeAffinity.required(required(otherField), NODE)).isFalse();
    }

    @Test
    void nodeSelectorAndAffinityMustBothHold() {
        PodSpec spec = new PodSpecBuilder(required(exprs(req("disk", "In", "ssd")))).withNodeSelector(Map.of("zone", "b"))
                .build();
        assertThat(NodeAffinity.required(spec, NODE)).isFalse();
    }

    @Test
    void preferredTermsAddTheirWeights() {
        PodSpec spec = new PodSpecBuilder().withNewAffinity().withNewNodeAffinity()
                .addNewPreferredDuringSchedulingIgnoredDuringExecution().withWeight(10)
                .withPreference(exprs(req("zone", "In", "a"))).endPreferredDuringSchedulingIgnoredDuringExecution()
                .addNewPreferredDuringSchedulingIgnoredDuringExecution().withWeight(5)
                .withPreference(exprs(req("disk", "In", "ssd"))).endPreferredDuringSchedulingIgnoredDuringExecution()
                .addNewPreferredDuringSchedulingIgnoredDuringExecution().withWeight(50)
                .withPreference(exprs(req("zone", "In", "b"))).endPreferredDuringSchedulingIgnoredDuringExecution()
                .endNodeAffinity().endAffinity().build();
        assertThat(NodeAffinity.preferredWeight(spec, NODE)).isEqualTo(15);
    }
}
