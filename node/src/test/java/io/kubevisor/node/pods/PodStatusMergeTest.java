package io.kubevisor.node.pods;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;

import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;

class PodStatusMergeTest {

    final Instant now = Instant.parse("2025-03-01T10:00:00Z");

    @Test
    void conditionsMergeByTypeAndKeepTheirTransitionTimeWhileUnchanged() {
        PodStatus api = new PodStatusBuilder().withPhase("Running").withStartTime("2025-03-01T09:00:00Z")
                .addNewCondition().withType("PodScheduled").withStatus("True").withLastTransitionTime("2025-03-01T08:59:00Z").endCondition()
                .addNewCondition().withType("Ready").withStatus("True").withLastTransitionTime("2025-03-01T09:00:05Z").endCondition()
                .addNewCondition().withType("ContainersReady").withStatus("True").withLastTransitionTime("2025-03-01T09:00:05Z").endCondition()
                .build();
        PodStatus provider = new PodStatusBuilder().withPhase("Running").withStartTime("2025-03-01T09:30:00Z")
                .addNewCondition().withType("Ready").withStatus("True").endCondition()
                .addNewCondition().withType("ContainersReady").withStatus("False").withReason("ContainersNotReady").endCondition()
                .addNewCondition().withType("Initialized").withStatus("True").endCondition()
                .build();

        PodStatus merged = PodStatusMerge.merge(api, provider, "10.0.0.1", now);

        assertThat(merged.getConditions()).extracting("type")
                .containsExactly("PodScheduled", "Ready", "ContainersReady", "Initialized");
        assertThat(merged.getConditions()).extracting("lastTransitionTime")
                .containsExactly("2025-03-01T08:59:00Z", "2025-03-01T09:00:05Z", "2025-03-01T10:00:00Z",
                        "2025-03-01T10:00:00Z");
        assertThat(merged.getStartTime()).as("startTime is set once").isEqualTo("2025-03-01T09:00:00Z");
        assertThat(merged.getHostIP()).isEqualTo("10.0.0.1");
        assertThat(provider.getHostIP()).as("the provider's object is not modified").isNull();
    }

    @Test
    void theProvidersHostIpWins() {
        PodStatus merged = PodStatusMerge.merge(null, new PodStatusBuilder().withHostIP("10.9.9.9").build(), "10.0.0.1",
                now);
        assertThat(merged.getHostIP()).isEqualTo("10.9.9.9");
        assertThat(merged.getHostIPs()).extracting("ip").containsExactly("10.9.9.9");
        assertThat(merged.getStartTime()).isEqualTo("2025-03-01T10:00:00Z");
    }
}
