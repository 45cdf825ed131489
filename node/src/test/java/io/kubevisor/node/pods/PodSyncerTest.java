package io.kubevisor.node.pods;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.kubevisor.node.FakeProvider;
import io.kubevisor.node.provider.PodRef;
import io.kubevisor.node.provider.ProviderException;

class PodSyncerTest {

    static final String NODE = "node-a";
    final FakeProvider provider = new FakeProvider();
    final FakePodApi api = new FakePodApi();
    final RunningPods running = new RunningPods();
    final Clock clock = Clock.fixed(Instant.parse("2025-03-01T10:00:00Z"), ZoneOffset.UTC);
    final PodSyncer syncer = new PodSyncer(api, provider, running, () -> "192.168.5.5", clock);

    static Pod pod(String name, String uid, String image) {
        return new PodBuilder()
                .withNewMetadata().withNamespace("default").withName(name).withUid(uid).endMetadata()
                .withNewSpec().withNodeName(NODE).addNewContainer().withName("c").withImage(image).endContainer()
                .withTerminationGracePeriodSeconds(30L).endSpec()
                .withNewStatus().withPhase("Pending").withQosClass("BestEffort")
                .addNewCondition().withType("PodScheduled").withStatus("True")
                .withLastTransitionTime("2025-03-01T09:59:00Z").endCondition()
                .endStatus()
                .build();
    }

    static PodKey key(String name) {
        return new PodKey("default", name);
    }

    @Test
    void aNewPodIsCreatedOnceAndItsStatusWrittenWithHostIpAndTheSchedulersCondition() {
        api.put(pod("web", "u1", "nginx:1"));

        syncer.reconcile(key("web"));
        syncer.reconcile(key("web"));

        assertThat(provider.calls).containsExactly("create default/web");
        Pod stored = api.server.get(key("web"));
        assertThat(stored.getStatus().getPhase()).isEqualTo("Running");
        assertThat(stored.getStatus().getPodIP()).isEqualTo("10.88.0.7");
        assertThat(stored.getStatus().getHostIP()).isEqualTo("192.168.5.5");
        assertThat(stored.getStatus().getHostIPs()).extracting("ip").containsExactly("192.168.5.5");
        assertThat(stored.getStatus().getStartTime()).isEqualTo("2025-03-01T10:00:00Z");
        assertThat(stored.getStatus().getQosClass()).isEqualTo("BestEffort");
        assertThat(stored.getStatus().getConditions()).extracting("type").containsExactly("PodScheduled", "Ready");
        // The second sync found nothing to change: no second write.
        assertThat(api.statusWrites).hasValue(1);
        assertThat(running.find("default", "web")).contains(new PodRef("default", "web", "u1"));
    }

    @Test
    void aStartHoldsBackItsEventsUntilItsStatusIsWrittenAlsoWhenItFails() throws Exception {
        var gate = new StatusFirst();
        List<Boolean> heldDuringCreate = new ArrayList<>();
        var gated = new FakeProvider() {
            @Override
            public void createPod(Pod pod) {
                try {
                    heldDuringCreate.add(!gate.awaitFree(Duration.ZERO));
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
                super.createPod(pod);
            }
        };
        var s = new PodSyncer(api, gated, running, () -> null, clock, gate);
        api.put(pod("web", "u1", "nginx:1"));
        s.reconcile(key("web"));
        assertThat(api.statusWrites).hasValue(1);
        assertThat(gate.awaitFree(Duration.ZERO)).as("released once the status is written").isTrue();

        gated.failCreates.set(1);
        api.put(pod("db", "u2", "postgres:16"));
        assertThatThrownBy(() -> s.reconcile(key("db"))).isInstanceOf(ProviderException.class);
        assertThat(heldDuringCreate).containsExactly(true, true);
        assertThat(gate.awaitFree(Duration.ZERO)).as("released after a failed start").isTrue();
    }

    @Test
    void aChangedImageUpdatesTheRunningPodInsteadOfRecreatingIt() {
        api.put(pod("web", "u1", "nginx:1"));
        syncer.reconcile(key("web"));
        Pod current = api.server.get(key("web"));
        api.put(new PodBuilder(current).editSpec().editFirstContainer().withImage("nginx:2").endContainer().endSpec()
                .build());

        syncer.reconcile(key("web"));
        syncer.reconcile(key("web"));

        assertThat(provider.calls).containsExactly("create default/web", "update default/web image=nginx:2");
    }

    @Test
    void aPodBeingDeletedIsStoppedWithItsGracePeriodThenItsObjectDeletedWithItsUid() {
        api.put(pod("web", "u1", "nginx:1"));
        syncer.reconcile(key("web"));
        Pod current = api.server.get(key("web"));
        api.put(new PodBuilder(current).editMetadata().withDeletionTimestamp("2025-03-01T10:00:12Z")
                .withDeletionGracePeriodSeconds(12L).endMetadata().build());

        syncer.reconcile(key("web"));

        assertThat(provider.calls).containsExactly("create default/web", "delete default/web uid=u1 grace=12s");
        assertThat(api.deletes).containsExactly("default/web uid=u1");
        assertThat(api.server).doesNotContainKey(key("web"));
        assertThat(running.size()).isZero();
        // The watch then reports it gone: nothing more to do.
        syncer.reconcile(key("web"));
        assertThat(provider.calls).hasSize(2);
    }

    @Test
    void furtherEventsForAPodBeingDeletedDoNotStopItTwice() {
        Pod deleting = pod("web", "u1", "nginx:1");
        deleting.getMetadata().setDeletionTimestamp("2025-03-01T10:00:30Z");
        deleting.getMetadata().setDeletionGracePeriodSeconds(30L);
        api.put(deleting);
        syncer.reconcile(key("web"));
        // The server marks it again with grace 0 before removing it; the watch reports that.
        deleting.getMetadata().setDeletionGracePeriodSeconds(0L);
        api.put(deleting);

        syncer.reconcile(key("web"));

        assertThat(provider.calls).containsExactly("delete default/web uid=u1 grace=30s");
        assertThat(api.deletes).containsExactly("default/web uid=u1", "default/web uid=u1");
    }

    @Test
    void aPodThatVanishedFromTheApiIsStoppedWithTheGraceOfItsLastState() {
        api.put(pod("web", "u1", "nginx:1"));
        syncer.reconcile(key("web"));
        Pod last = api.server.remove(key("web"));
        // Force deletion: the watch's last state carries grace period 0.
        syncer.sawDeleted(new PodBuilder(last).editMetadata().withDeletionGracePeriodSeconds(0L)
                .withDeletionTimestamp("2025-03-01T10:00:00Z").endMetadata().build());

        syncer.reconcile(key("web"));

        assertThat(provider.calls).containsExactly("create default/web", "delete default/web uid=u1 grace=0s");
        assertThat(running.size()).isZero();
    }

    @Test
    void aPodRecreatedUnderTheSameNameStopsTheOldIncarnationAndStartsTheNewOne() {
        api.put(pod("web", "u1", "nginx:1"));
        syncer.reconcile(key("web"));
        api.put(pod("web", "u2", "nginx:1"));

        syncer.reconcile(key("web"));

        assertThat(provider.calls).containsExactly("create default/web", "delete default/web uid=u1 grace=30s",
                "create default/web");
        assertThat(running.find("default", "web")).contains(new PodRef("default", "web", "u2"));
    }

    @Test
    void aProviderFailureIsRecordedAsAnEventAndRethrownForBackoff() {
        api.put(pod("web", "u1", "nginx:1"));
        provider.failCreates.set(1);

        assertThatThrownBy(() -> syncer.reconcile(key("web"))).isInstanceOf(ProviderException.class);
        assertThat(api.events).containsExactly(
                "Warning FailedCreatePodSandBox Failed to create pod sandbox: sandbox runtime unavailable");
        assertThat(running.size()).isZero();

        syncer.reconcile(key("web"));
        assertThat(provider.running).containsKey(new PodRef("default", "web", "u1"));
        assertThat(api.server.get(key("web")).getStatus().getPhase()).isEqualTo("Running");
    }

    @Test
    void aStatusWriteThatConflictsIsRetriedOnAFreshRead() {
        api.put(pod("web", "u1", "nginx:1"));
        api.conflicts.set(2);

        syncer.reconcile(key("web"));

        assertThat(api.statusWrites).hasValue(1);
        assertThat(api.server.get(key("web")).getStatus().getPhase()).isEqualTo("Running");
    }

    @Test
    void aStatusChangeIsWrittenFromTheWatchCacheWithoutReadingTheServer() {
        api.put(pod("web", "u1", "nginx:1"));

        syncer.reconcile(key("web"));

        assertThat(api.statusWrites).hasValue(1);
        assertThat(api.freshReads).hasValue(0);
    }

    @Test
    void aSyncWithNothingToWriteNeitherWritesNorReadsTheServer() {
        api.put(pod("web", "u1", "nginx:1"));
        syncer.reconcile(key("web"));
        assertThat(api.statusWrites).hasValue(1);

        // The provider's "changed" and the watch's event of that write each sync the pod again.
        syncer.reconcile(key("web"));
        syncer.reconcile(key("web"));

        assertThat(api.statusWrites).hasValue(1);
        assertThat(api.freshReads).as("no GET to confirm that nothing changed").hasValue(0);
    }

    @Test
    void aWatchCacheBehindTheServerCostsARead() {
        Pod old = api.put(pod("web", "u1", "nginx:1"));
        api.put(old);
        api.lagging.put(key("web"), old);

        syncer.reconcile(key("web"));

        assertThat(api.statusWrites).hasValue(1);
        assertThat(api.freshReads).hasValue(1);
        assertThat(api.server.get(key("web")).getStatus().getPhase()).isEqualTo("Running");
    }

    /** A provider whose container's restart count the test moves, to make a second status change. */
    static final class RestartingProvider extends FakeProvider {
        final AtomicInteger restarts = new AtomicInteger();

        @Override
        public Optional<PodStatus> podStatus(PodRef pod) {
            return super.podStatus(pod).map(st -> {
                st.getContainerStatuses().getFirst().setRestartCount(restarts.get());
                return st;
            });
        }
    }

    @Test
    void aChangeRightAfterAWriteStartsFromThatWritesAnswerWhileTheWatchLags() {
        var changing = new RestartingProvider();
        var s = new PodSyncer(api, changing, running, () -> null, clock);
        Pod created = api.put(pod("web", "u1", "nginx:1"));
        s.reconcile(key("web"));
        api.lagging.put(key("web"), created);
        changing.restarts.set(1);

        s.reconcile(key("web"));

        assertThat(api.statusWrites).hasValue(2);
        assertThat(api.conflicted).as("no conflict from the watch's stale copy").hasValue(0);
        assertThat(api.freshReads).hasValue(0);
        assertThat(api.server.get(key("web")).getStatus().getContainerStatuses().getFirst().getRestartCount())
                .isEqualTo(1);
    }

    @Test
    void aWriteOfSomeoneElseAfterOursIsSeenThroughTheWatch() {
        var changing = new RestartingProvider();
        var s = new PodSyncer(api, changing, running, () -> null, clock);
        api.put(pod("web", "u1", "nginx:1"));
        s.reconcile(key("web"));
        api.put(api.server.get(key("web")));
        changing.restarts.set(1);

        s.reconcile(key("web"));

        assertThat(api.statusWrites).hasValue(2);
        assertThat(api.conflicted).as("the watch's copy is newer than our last answer").hasValue(0);
    }

    @Test
    void aFinishedPodIsNotStartedAgain() {
        Pod done = pod("job", "u9", "busybox");
        done.getStatus().setPhase("Succeeded");
        api.put(done);

        syncer.reconcile(key("job"));

        assertThat(provider.calls).isEmpty();
    }
}
