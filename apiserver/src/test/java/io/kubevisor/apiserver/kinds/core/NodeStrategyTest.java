package io.kubevisor.apiserver.kinds.core;

import static io.kubevisor.apiserver.kinds.Fixtures.created;
import static io.kubevisor.apiserver.kinds.Fixtures.createErrors;
import static io.kubevisor.apiserver.kinds.Fixtures.json;
import static io.kubevisor.apiserver.kinds.Fixtures.rendered;
import static io.kubevisor.apiserver.kinds.Fixtures.updateErrors;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import tools.jackson.databind.node.ObjectNode;

class NodeStrategyTest {

    private final NodeStrategy nodes = new NodeStrategy();

    private static final String NODE = """
            {"kind":"Node","apiVersion":"v1","metadata":{"name":"worker-1","labels":{"kubernetes.io/hostname":"worker-1"}},
             "spec":{"podCIDR":"10.244.1.0/24","unschedulable":false},
             "status":{"capacity":{"cpu":"4","memory":"8024084Ki","pods":"110"},
               "addresses":[{"type":"InternalIP","address":"192.168.1.10"}]}}""";

    @Test
    void defaults() {
        ObjectNode node = created(nodes, json(NODE));
        assertThat(node.get("spec")).isEqualTo(json("{\"podCIDR\":\"10.244.1.0/24\",\"podCIDRs\":[\"10.244.1.0/24\"]}"));
        assertThat(node.path("status").path("allocatable")).isEqualTo(node.path("status").path("capacity"));
        assertThat(createErrors(nodes, json(NODE), false)).isEmpty();
    }

    @Test
    void podCidrIsFixedOnceSet() {
        ObjectNode stored = created(nodes, json(NODE));
        ObjectNode next = stored.deepCopy();
        ((ObjectNode) next.get("spec")).put("podCIDR", "10.244.2.0/24").remove("podCIDRs");
        assertThat(rendered(updateErrors(nodes, stored, next))).containsExactly(
                "spec.podCIDRs: Forbidden: node updates may not change podCIDR except from \"\" to valid");
        ObjectNode fresh = created(nodes, json("{\"metadata\":{\"name\":\"n\"}}"));
        ObjectNode assigned = fresh.deepCopy();
        ((ObjectNode) assigned.get("spec")).put("podCIDR", "10.244.3.0/24");
        assertThat(updateErrors(nodes, fresh, assigned)).isEmpty();
    }

    @Test
    void taints() {
        assertThat(rendered(createErrors(nodes, json("""
                {"metadata":{"name":"n"},"spec":{"taints":[{"key":"gpu","effect":"NoSchedule"},{"key":"gpu","effect":"NoSchedule"},
                  {"key":"x","effect":"Never"},{"key":"y"}]}}"""), false))).containsExactly(
                "metadata.taints[1]: Duplicate value: core.Taint{Key:\"gpu\", Value:\"\", Effect:\"NoSchedule\", "
                        + "TimeAdded:(*v1.Time)(nil)}: taints must be unique by key and effect pair",
                "metadata.taints[2].effect: Unsupported value: \"Never\": supported values: \"NoSchedule\", "
                        + "\"PreferNoSchedule\", \"NoExecute\"",
                "metadata.taints[3].effect: Required value");
    }

    @Test
    void unschedulableIsSelectable() {
        ObjectNode node = created(nodes, json(NODE));
        assertThat(nodes.selectableFields(node)).containsEntry("spec.unschedulable", "false");
        ((ObjectNode) node.get("spec")).put("unschedulable", true);
        assertThat(nodes.selectableFields(node)).containsEntry("spec.unschedulable", "true");
    }
}
