package io.kubevisor.controllers.scheduler;

import static io.kubevisor.controllers.scheduler.Fixtures.node;
import static io.kubevisor.controllers.scheduler.Fixtures.pod;
import static io.kubevisor.controllers.scheduler.Fixtures.spec;
import static io.kubevisor.controllers.scheduler.Fixtures.taint;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.InstantSource;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodCondition;

class SchedulerTest {

    private final Scheduler scheduler = new Scheduler(Scheduler.Options.defaults(),
            InstantSource.fixed(Instant.parse("2025-01-01T00:00:00Z")));

    @Test
    void onlyUnboundPodsForThisSchedulerThatAreNotGoneOrGatedAreScheduled() {
        Pod pending = pod("ns", "p", "u", null, spec());
        assertThat(scheduler.waitingFor(pending)).isTrue();
        assertThat(scheduler.waitingFor(new PodBuilder(pending).editSpec().withSchedulerName("default-scheduler")
                .endSpec().build())).isTrue();
        assertThat(scheduler.waitingFor(new PodBuilder(pending).editSpec().withSchedulerName("other").endSpec()
                .build())).isFalse();
        assertThat(scheduler.waitingFor(pod("ns", "p", "u", "node-1", spec()))).isFalse();
        assertThat(scheduler.waitingFor(new PodBuilder(pending).editMetadata()
                .withDeletionTimestamp("2025-01-01T00:00:00Z").endMetadata().build())).isFalse();
        assertThat(scheduler.waitingFor(new PodBuilder(pending).editStatus().withPhase("Failed").endStatus().build()))
                .isFalse();
        assertThat(scheduler.waitingFor(new PodBuilder(pending).editSpec().addNewSchedulingGate().withName("hold")
                .endSchedulingGate().endSpec().build())).isFalse();
    }

    @Test
    void heartbeatsDoNotRetryUnschedulablePodsButSchedulingRelevantChangesDo() {
        Node n = node("n", "4", "8Gi").editStatus().editFirstCondition().withLastHeartbeatTime("2025-01-01T00:00:00Z")
                .endCondition().endStatus().build();
        Node beat = new NodeBuilder(n).editStatus().editFirstCondition().withLastHeartbeatTime("2025-01-01T00:00:10Z")
                .endCondition().endStatus().build();
        assertThat(Scheduler.mayHelp(n, beat)).isFalse();
        assertThat(Scheduler.mayHelp(n, new NodeBuilder(n).editMetadata().withLabels(Map.of("a", "b")).endMetadata()
                .build())).isTrue();
        assertThat(Scheduler.mayHelp(n, new NodeBuilder(n).editSpec().withTaints(taint("k", "v", "NoSchedule"))
                .endSpec().build())).isTrue();
        assertThat(Scheduler.mayHelp(n, new NodeBuilder(n).editSpec().withUnschedulable(true).endSpec().build()))
                .isTrue();
        assertThat(Scheduler.mayHelp(n, new NodeBuilder(n).editStatus().editFirstCondition().withStatus("False")
                .endCondition().endStatus().build())).isTrue();
        assertThat(Scheduler.mayHelp(n, new NodeBuilder(n).editStatus().addToAllocatable("cpu",
                new io.fabric8.kubernetes.api.model.Quantity("8")).endStatus().build())).isTrue();
    }

    @Test
    void theUnschedulableConditionIsWrittenOnlyWhenItChanges() {
        Pod pending = pod("ns", "p", "u", null, spec());
        Pod first = PodWriter.withCondition(pending, "0/1 nodes are available: x.", "2025-01-01T00:00:00Z");
        PodCondition c = first.getStatus().getConditions().getFirst();
        assertThat(c.getType() + "|" + c.getStatus() + "|" + c.getReason() + "|" + c.getMessage() + "|"
                + c.getLastTransitionTime())
                .isEqualTo("PodScheduled|False|Unschedulable|0/1 nodes are available: x.|2025-01-01T00:00:00Z");
        assertThat(PodWriter.withCondition(first, "0/1 nodes are available: x.", "2025-01-01T00:05:00Z")).isNull();
        Pod second = PodWriter.withCondition(first, "0/2 nodes are available: y.", "2025-01-01T00:05:00Z");
        assertThat(second.getStatus().getConditions()).hasSize(1);
        assertThat(second.getStatus().getConditions().getFirst().getLastTransitionTime())
                .as("still False: the transition time stays").isEqualTo("2025-01-01T00:00:00Z");
        assertThat(second.getStatus().getConditions().getFirst().getMessage()).isEqualTo("0/2 nodes are available: y.");
    }
}
