package io.kubevisor.controllers.nodelifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.TaintBuilder;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.TolerationBuilder;

class TaintEvictionTest {

    private static final Instant SINCE = Instant.parse("2025-01-01T00:00:00Z");
    private static final Taint UNREACHABLE = new TaintBuilder().withKey("node.kubernetes.io/unreachable")
            .withEffect("NoExecute").build();
    private static final Taint CUSTOM = new TaintBuilder().withKey("maintenance").withValue("now")
            .withEffect("NoExecute").build();

    private static Toleration tolerate(String key, Long seconds) {
        return new TolerationBuilder().withKey(key).withOperator("Exists").withEffect("NoExecute")
                .withTolerationSeconds(seconds).build();
    }

    @Test
    void withoutNoExecuteTaintsPodsStay() {
        assertThat(TaintEviction.plan(List.of(), List.of(), SINCE)).isInstanceOf(TaintEviction.Plan.Keep.class);
    }

    @Test
    void aPodThatDoesNotTolerateEveryTaintGoesAtOnce() {
        assertThat(TaintEviction.plan(List.of(UNREACHABLE), null, SINCE)).isEqualTo(new TaintEviction.Plan.EvictAt(SINCE));
        assertThat(TaintEviction.plan(List.of(UNREACHABLE, CUSTOM),
                List.of(tolerate("node.kubernetes.io/unreachable", 300L)), SINCE))
                .isEqualTo(new TaintEviction.Plan.EvictAt(SINCE));
    }

    @Test
    void theDefaultTolerationKeepsAPodForFiveMinutes() {
        assertThat(TaintEviction.plan(List.of(UNREACHABLE), List.of(tolerate("node.kubernetes.io/not-ready", 300L),
                tolerate("node.kubernetes.io/unreachable", 300L)), SINCE))
                .isEqualTo(new TaintEviction.Plan.EvictAt(SINCE.plusSeconds(300)));
    }

    @Test
    void theShortestLimitOfTheTolerationsUsedWinsAndNoLimitMeansForever() {
        assertThat(TaintEviction.plan(List.of(UNREACHABLE, CUSTOM), List.of(tolerate("node.kubernetes.io/unreachable",
                300L), tolerate("maintenance", 20L)), SINCE))
                .isEqualTo(new TaintEviction.Plan.EvictAt(SINCE.plusSeconds(20)));
        assertThat(TaintEviction.plan(List.of(UNREACHABLE), List.of(tolerate("node.kubernetes.io/unreachable", null)),
                SINCE)).isInstanceOf(TaintEviction.Plan.Keep.class);
        assertThat(TaintEviction.plan(List.of(UNREACHABLE), List.of(tolerate("node.kubernetes.io/unreachable", -5L)),
                SINCE)).as("negative seconds mean at once").isEqualTo(new TaintEviction.Plan.EvictAt(SINCE));
    }

    @Test
    void onlyTheFirstMatchingTolerationOfEachTaintCounts() {
        // Kubernetes takes the first toleration that matches a taint; a later, shorter one is not used.
        assertThat(TaintEviction.plan(List.of(UNREACHABLE), List.of(tolerate("node.kubernetes.io/unreachable", 600L),
                tolerate(null, 10L)), SINCE)).isEqualTo(new TaintEviction.Plan.EvictAt(SINCE.plusSeconds(600)));
    }
}
