package io.kubevisor.node.pods;

import static io.kubevisor.node.pods.PodSyncerTest.pod;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.PodBuilder;
import io.kubevisor.node.FakeProvider;
import io.kubevisor.node.provider.PodRef;

/** After a restart: what the provider still runs is adopted, deleted as an orphan, or left to be created. */
class AdoptionTest {

    final PodRef kept = new PodRef("default", "kept", "u1");
    final PodRef gone = new PodRef("default", "gone", "u2");
    final PodRef replaced = new PodRef("default", "replaced", "old-uid");
    final PodRef elsewhere = new PodRef("default", "elsewhere", "u4");

    @Test
    void runningPodsAreAdoptedOrDeletedAndMissingOnesCreated() {
        FakeProvider provider = new FakeProvider().alreadyRunning(kept, gone, replaced, elsewhere);
        FakePodApi api = new FakePodApi();
        api.put(pod("kept", "u1", "nginx"));
        api.put(pod("replaced", "new-uid", "nginx"));
        api.put(new PodBuilder(pod("elsewhere", "u4", "nginx")).editSpec().withNodeName("node-b").endSpec().build());
        api.put(pod("fresh", "u5", "nginx"));
        RunningPods running = new RunningPods();
        PodSyncer syncer = new PodSyncer(api, provider, running, () -> null, Clock.systemUTC());

        Adoption.Plan plan = syncer.adopt(PodSyncerTest.NODE);

        assertThat(plan.adopt()).containsOnlyKeys(kept);
        assertThat(plan.orphans()).containsExactlyInAnyOrder(gone, replaced, elsewhere);
        assertThat(provider.calls).containsExactlyInAnyOrder("delete default/gone uid=u2 grace=0s",
                "delete default/replaced uid=old-uid grace=0s", "delete default/elsewhere uid=u4 grace=0s");

        provider.calls.clear();
        for (String name : List.of("kept", "replaced", "fresh")) {
            syncer.reconcile(new PodKey("default", name));
        }
        // The adopted pod is not created again, but its status is refreshed.
        assertThat(provider.calls).containsExactly("create default/replaced", "create default/fresh");
        assertThat(api.server.get(new PodKey("default", "kept")).getStatus().getPhase()).isEqualTo("Running");
    }

    @Test
    void aRunningPodWithoutUidIsNeverAdopted() {
        Adoption.Plan plan = Adoption.plan(List.of(new PodRef("default", "kept", null)),
                List.of(pod("kept", "u1", "nginx")), PodSyncerTest.NODE);
        assertThat(plan.adopt()).isEmpty();
        assertThat(plan.orphans()).hasSize(1);
    }
}
