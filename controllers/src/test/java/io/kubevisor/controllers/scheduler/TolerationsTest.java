package io.kubevisor.controllers.scheduler;

import static io.kubevisor.controllers.scheduler.Fixtures.taint;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.TolerationBuilder;

class TolerationsTest {

    private static Toleration tol(String key, String op, String value, String effect) {
        return new TolerationBuilder().withKey(key).withOperator(op).withValue(value).withEffect(effect).build();
    }

    @Test
    void equalNeedsTheSameKeyValueAndEffect() {
        var gpu = taint("dedicated", "gpu", "NoSchedule");
        assertThat(Tolerations.tolerates(tol("dedicated", "Equal", "gpu", "NoSchedule"), gpu)).isTrue();
        assertThat(Tolerations.tolerates(tol("dedicated", null, "gpu", null), gpu))
                .as("operator defaults to Equal, no effect means any").isTrue();
        assertThat(Tolerations.tolerates(tol("dedicated", "Equal", "cpu", "NoSchedule"), gpu)).isFalse();
        assertThat(Tolerations.tolerates(tol("dedicated", "Equal", "gpu", "NoExecute"), gpu)).isFalse();
        assertThat(Tolerations.tolerates(tol("other", "Equal", "gpu", "NoSchedule"), gpu)).isFalse();
    }

    @Test
    void existsIgnoresTheValueAndAnEmptyKeyMatchesEveryTaint() {
        var t = taint("node.kubernetes.io/unreachable", null, "NoExecute");
        assertThat(Tolerations.tolerates(tol("node.kubernetes.io/unreachable", "Exists", null, "NoExecute"), t)).isTrue();
        assertThat(Tolerations.tolerates(tol(null, "Exists", null, null), t)).isTrue();
        assertThat(Tolerations.tolerates(tol(null, "Exists", null, "NoSchedule"), t)).isFalse();
        assertThat(Tolerations.tolerates(tol("x", "Bogus", null, null), taint("x", null, "NoSchedule"))).isFalse();
    }

    @Test
    void theFirstUntoleratedBlockingTaintIsReportedAndPreferNoScheduleNeverBlocks() {
        var taints = List.of(taint("soft", "", "PreferNoSchedule"), taint("a", "1", "NoSchedule"),
                taint("b", "2", "NoExecute"));
        assertThat(Tolerations.firstUntoleratedBlocking(taints, List.of())).get()
                .extracting(t -> t.getKey()).isEqualTo("a");
        assertThat(Tolerations.firstUntoleratedBlocking(taints, List.of(tol("a", "Exists", null, null))))
                .get().extracting(t -> t.getKey()).isEqualTo("b");
        assertThat(Tolerations.firstUntoleratedBlocking(taints,
                List.of(tol("a", "Exists", null, null), tol("b", "Equal", "2", "NoExecute")))).isEmpty();
    }

    @Test
    void preferNoScheduleTaintsAreCountedUnlessToleratedForThatEffect() {
        var taints = List.of(taint("x", "", "PreferNoSchedule"), taint("y", "", "PreferNoSchedule"),
                taint("z", "", "NoSchedule"));
        assertThat(Tolerations.untoleratedPreferNoSchedule(taints, null)).isEqualTo(2);
        assertThat(Tolerations.untoleratedPreferNoSchedule(taints, List.of(tol("x", "Exists", null, null))))
                .isEqualTo(1);
        assertThat(Tolerations.untoleratedPreferNoSchedule(taints, List.of(tol("x", "Exists", null, "NoSchedule"))))
                .as("a toleration for another effect does not count").isEqualTo(2);
    }
}
