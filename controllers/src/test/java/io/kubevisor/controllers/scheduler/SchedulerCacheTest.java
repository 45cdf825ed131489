package io.kubevisor.controllers.scheduler;

import static io.kubevisor.controllers.scheduler.Fixtures.node;
import static io.kubevisor.controllers.scheduler.Fixtures.pod;
import static io.kubevisor.controllers.scheduler.Fixtures.spec;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;

class SchedulerCacheTest {

    private final AtomicLong nanos = new AtomicLong();
    private final SchedulerCache cache = new SchedulerCache(Duration.ofSeconds(30), nanos::get);

    @BeforeEach
    void nodes() {
        cache.putNode(node("b", "4", "8Gi").build());
        cache.putNode(node("a", "4", "8Gi").build());
    }

    private NodeInfo nodeA() {
        return cache.snapshot().stream().filter(n -> n.name().equals("a")).findFirst().orElseThrow();
    }

    @Test
    void snapshotListsNodesByNameWithWhatTheirPodsRequest() {
        cache.podChanged(pod("ns", "p1", "u1", "a", spec("cpu", "1")));
        cache.podChanged(pod("ns", "p2", "u2", "a", spec("cpu", "500m", "memory", "1Gi")));
        cache.podChanged(pod("ns", "pending", "u3", null, spec("cpu", "3")));
        assertThat(cache.snapshot()).extracting(NodeInfo::name).containsExactly("a", "b");
        assertThat(nodeA().requested().milliCpu()).isEqualTo(1500);
        assertThat(nodeA().requested().memory()).isEqualTo(1L << 30);
        assertThat(nodeA().pods()).isEqualTo(2);
        assertThat(nodeA().nonZeroRequested().memory()).as("p1 counts 200Mi for scoring")
                .isEqualTo((1L << 30) + 200L * 1024 * 1024);
    }

    @Test
    void finishedAndDeletedPodsFreeTheirRoom() {
        Pod p = pod("ns", "job", "u1", "a", spec("cpu", "2"));
        cache.podChanged(p);
        cache.podChanged(new PodBuilder(p).editStatus().withPhase("Succeeded").endStatus().build());
        assertThat(nodeA().pods()).isZero();
        Pod q = pod("ns", "web", "u2", "a", spec("cpu", "2"));
        cache.podChanged(q);
        cache.podDeleted(q);
        assertThat(nodeA().pods()).isZero();
    }

    @Test
    void anAssumedPodCountsAtOnceAndTheWatchConfirmsIt() {
        Pod pending = pod("ns", "p", "u1", null, spec("cpu", "3"));
        cache.assume(pending, "a");
        assertThat(nodeA().requested().milliCpu()).isEqualTo(3000);
        // A late event from before the binding does not drop it.
        cache.podChanged(pending);
        assertThat(nodeA().requested().milliCpu()).isEqualTo(3000);
        cache.podChanged(pod("ns", "p", "u1", "a", spec("cpu", "3")));
        nanos.addAndGet(Duration.ofMinutes(5).toNanos());
        assertThat(nodeA().requested().milliCpu()).as("confirmed pods never expire").isEqualTo(3000);
    }

    @Test
    void anAssumedPodTheWatchNeverShowsIsForgottenAfterItsTtl() {
        cache.assume(pod("ns", "p", "u1", null, spec("cpu", "3")), "a");
        nanos.addAndGet(Duration.ofSeconds(29).toNanos());
        assertThat(nodeA().pods()).isEqualTo(1);
        nanos.addAndGet(Duration.ofSeconds(2).toNanos());
        assertThat(nodeA().pods()).isZero();
    }

    @Test
    void theDeleteOfAnOldPodDoesNotDropANewPodOfTheSameName() {
        Pod old = pod("ns", "p", "old", "a", spec("cpu", "1"));
        cache.podChanged(old);
        cache.podChanged(pod("ns", "p", "new", "a", spec("cpu", "2")));
        cache.podDeleted(old);
        assertThat(nodeA().requested().milliCpu()).isEqualTo(2000);
    }

    @Test
    void podsOfAnUnknownNodeCountOnceItAppears() {
        cache.podChanged(pod("ns", "early", "u1", "c", spec("cpu", "1")));
        assertThat(cache.snapshot()).extracting(NodeInfo::name).containsExactly("a", "b");
        cache.putNode(node("c", "4", "8Gi").build());
        assertThat(cache.snapshot().get(2).pods()).isEqualTo(1);
        cache.removeNode("c");
        assertThat(cache.snapshot()).hasSize(2);
    }
}
