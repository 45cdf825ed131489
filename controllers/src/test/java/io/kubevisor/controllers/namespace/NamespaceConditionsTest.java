package io.kubevisor.controllers.namespace;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.NamespaceCondition;
import io.fabric8.kubernetes.api.model.NamespaceConditionBuilder;
import io.fabric8.kubernetes.api.model.NamespaceStatus;

class NamespaceConditionsTest {

    private static final Instant T1 = Instant.parse("2025-01-02T03:04:05.678Z");
    private static final Instant T2 = Instant.parse("2025-01-02T03:09:00Z");

    private static Sweep clean() {
        return new Sweep(null, null, List.of(), new TreeMap<>(), new TreeMap<>(), 0);
    }

    private static String line(NamespaceCondition c) {
        return c.getType() + "|" + c.getStatus() + "|" + c.getReason() + "|" + c.getMessage();
    }

    @Test
    void aCleanSweepSetsAllFiveConditionsFalseWithKubernetesAllClearTexts() {
        List<NamespaceCondition> cs = NamespaceConditions.of(clean(), T1);
        assertThat(cs).extracting(NamespaceConditionsTest::line).containsExactly(
                "NamespaceDeletionDiscoveryFailure|False|ResourcesDiscovered|All resources successfully discovered",
                "NamespaceDeletionGroupVersionParsingFailure|False|ParsedGroupVersions|All legacy kube types successfully parsed",
                "NamespaceDeletionContentFailure|False|ContentDeleted|All content successfully deleted, may be waiting on finalization",
                "NamespaceContentRemaining|False|ContentRemoved|All content successfully removed",
                "NamespaceFinalizersRemaining|False|ContentHasNoFinalizers|All content-preserving finalizers finished");
        assertThat(cs).extracting(NamespaceCondition::getLastTransitionTime).containsOnly("2025-01-02T03:04:05Z");
    }

    @Test
    void remainingContentAndFinalizersAreCountedAndSortedAsKubernetesWritesThem() {
        var sweep = new Sweep(null, null, List.of(),
                new TreeMap<>(Map.of("pods.", 2, "configmaps.", 1, "deployments.apps", 3)),
                new TreeMap<>(Map.of("example.com/b", 1, "example.com/a", 4)), 15);
        List<NamespaceCondition> cs = NamespaceConditions.of(sweep, T1);
        assertThat(line(cs.get(3))).isEqualTo("NamespaceContentRemaining|True|SomeResourcesRemain|Some resources are "
                + "remaining: configmaps. has 1 resource instances, deployments.apps has 3 resource instances, "
                + "pods. has 2 resource instances");
        assertThat(line(cs.get(4))).isEqualTo("NamespaceFinalizersRemaining|True|SomeFinalizersRemain|Some content in "
                + "the namespace has finalizers remaining: example.com/a in 4 resource instances, "
                + "example.com/b in 1 resource instances");
        assertThat(cs.get(2).getStatus()).isEqualTo("False");
    }

    @Test
    void deletionAndDiscoveryErrorsBecomeTrueConditions() {
        var sweep = new Sweep("Discovery failed for some groups, 1 failing: x", null,
                List.of("zeta is forbidden", "alpha failed"), new TreeMap<>(), new TreeMap<>(), 0);
        List<NamespaceCondition> cs = NamespaceConditions.of(sweep, T1);
        assertThat(line(cs.get(0))).isEqualTo("NamespaceDeletionDiscoveryFailure|True|DiscoveryFailed|"
                + "Discovery failed for some groups, 1 failing: x");
        assertThat(line(cs.get(2))).isEqualTo("NamespaceDeletionContentFailure|True|ContentDeletionFailed|"
                + "Failed to delete all resource types, 2 remaining: alpha failed, zeta is forbidden");
        assertThat(sweep.failed()).isTrue();
        assertThat(clean().failed()).isFalse();
    }

    @Test
    void mergeAddsMissingTypesAndReportsNoChangeWhenNothingChanged() {
        var status = new NamespaceStatus();
        status.setPhase("Terminating");
        status.setConditions(List.of(new NamespaceConditionBuilder().withType("SomethingElse").withStatus("True").build()));
        assertThat(NamespaceConditions.merge(status, NamespaceConditions.of(clean(), T1))).isTrue();
        assertThat(status.getConditions()).extracting(NamespaceCondition::getType).containsExactly("SomethingElse",
                "NamespaceDeletionDiscoveryFailure", "NamespaceDeletionGroupVersionParsingFailure",
                "NamespaceDeletionContentFailure", "NamespaceContentRemaining", "NamespaceFinalizersRemaining");
        assertThat(NamespaceConditions.merge(status, NamespaceConditions.of(clean(), T2))).isFalse();
        assertThat(status.getConditions().get(1).getLastTransitionTime()).isEqualTo("2025-01-02T03:04:05Z");
    }

    @Test
    void theTransitionTimeMovesOnlyWhenTheStatusFlips() {
        var status = new NamespaceStatus();
        var held = new Sweep(null, null, List.of(), new TreeMap<>(Map.of("configmaps.", 1)),
                new TreeMap<>(Map.of("example.com/hold", 1)), 15);
        NamespaceConditions.merge(status, NamespaceConditions.of(held, T1));
        var moreHeld = new Sweep(null, null, List.of(), new TreeMap<>(Map.of("configmaps.", 2)),
                new TreeMap<>(Map.of("example.com/hold", 2)), 15);
        assertThat(NamespaceConditions.merge(status, NamespaceConditions.of(moreHeld, T2))).isTrue();
        NamespaceCondition remaining = status.getConditions().get(3);
        assertThat(remaining.getMessage()).contains("configmaps. has 2 resource instances");
        assertThat(remaining.getLastTransitionTime()).isEqualTo("2025-01-02T03:04:05Z");

        assertThat(NamespaceConditions.merge(status, NamespaceConditions.of(clean(), T2))).isTrue();
        assertThat(line(status.getConditions().get(3))).isEqualTo(
                "NamespaceContentRemaining|False|ContentRemoved|All content successfully removed");
        assertThat(status.getConditions().get(3).getLastTransitionTime()).isEqualTo("2025-01-02T03:09:00Z");
    }
}
