package io.kubevisor.e2e.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.kubevisor.e2e.support.Cluster;
import io.kubevisor.e2e.support.Fabric8;
import io.kubevisor.node.pods.Fabric8PodApi;

/**
 * The node agent's status write against a real API server: it sends only what changed (a merge
 * patch of {@code pods/status}) pinned to the resourceVersion it read, and the server ends up with
 * exactly the status written, fields that went away included; a stale read or a deleted pod is a
 * refusal the caller retries from, never a write over someone else's.
 */
class PodStatusWriteIT {

    @TempDir
    static Path tmp;
    static Cluster cluster;
    static KubernetesClient admin;
    static SharedIndexInformer<Pod> informer;
    static Fabric8PodApi api;

    @BeforeAll
    static void up() throws Exception {
        cluster = Cluster.start(tmp.resolve("kv"));
        admin = Fabric8.client(cluster);
        informer = admin.pods().inNamespace("default").inform();
        api = new Fabric8PodApi(admin, informer.getStore(), "no-node", Clock.systemUTC());
    }

    @AfterAll
    static void down() throws Exception {
        if (informer != null) {
            informer.close();
        }
        if (admin != null) {
            admin.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void theServerKeepsExactlyTheStatusWrittenIncludingWhatWentAway() {
        Pod pod = unscheduledPod("exact");
        Pod pending = api.writeStatus(pod, new PodStatusBuilder().withPhase("Pending").withMessage("waiting for it")
                .withReason("Testing").withConditions(condition("Ready", "False"), condition("PodScheduled", "True"))
                .build()).orElseThrow();
        assertThat(pending.getStatus().getMessage()).isEqualTo("waiting for it");

        PodStatus running = new PodStatusBuilder().withPhase("Running").withPodIP("10.88.0.7")
                .withConditions(condition("Ready", "True"), condition("PodScheduled", "True")).build();
        Optional<Pod> written = api.writeStatus(pending, running);

        assertThat(written).isPresent();
        Pod stored = admin.pods().inNamespace("default").withName("exact").get();
        assertThat(stored.getStatus()).isEqualTo(written.get().getStatus());
        assertThat(stored.getStatus().getPhase()).isEqualTo("Running");
        assertThat(stored.getStatus().getPodIP()).isEqualTo("10.88.0.7");
        assertThat(stored.getStatus().getMessage()).isNull();
        assertThat(stored.getStatus().getReason()).isNull();
        assertThat(stored.getStatus().getConditions()).extracting(c -> c.getType() + "=" + c.getStatus())
                .containsExactly("Ready=True", "PodScheduled=True");
        assertThat(stored.getMetadata().getResourceVersion()).isNotEqualTo(pending.getMetadata().getResourceVersion());
        assertThat(stored.getSpec()).isEqualTo(pod.getSpec());
    }

    @Test
    void aWriteFromAStaleReadIsRefusedAndChangesNothing() {
        Pod pod = unscheduledPod("stale");
        Pod first = api.writeStatus(pod, new PodStatusBuilder().withPhase("Pending").withMessage("first").build())
                .orElseThrow();

        Optional<Pod> late = api.writeStatus(pod, new PodStatusBuilder().withPhase("Failed").withMessage("late")
                .build());

        assertThat(late).isEmpty();
        Pod stored = admin.pods().inNamespace("default").withName("stale").get();
        assertThat(stored.getStatus().getPhase()).isEqualTo("Pending");
        assertThat(stored.getStatus().getMessage()).isEqualTo("first");
        assertThat(stored.getMetadata().getResourceVersion()).isEqualTo(first.getMetadata().getResourceVersion());
    }

    @Test
    void aWriteForAPodThatIsGoneIsRefused() {
        Pod pod = unscheduledPod("gone");
        admin.pods().inNamespace("default").withName("gone").withGracePeriod(0).delete();
        org.awaitility.Awaitility.await().atMost(Cluster.patience())
                .until(() -> admin.pods().inNamespace("default").withName("gone").get() == null);

        assertThat(api.writeStatus(pod, new PodStatusBuilder().withPhase("Running").build())).isEmpty();
    }

    /** A pod no scheduler binds, so that nothing but the test writes its status. */
    private static Pod unscheduledPod(String name) {
        return admin.pods().inNamespace("default").resource(new PodBuilder()
                .withNewMetadata().withName(name).endMetadata()
                .withNewSpec().withSchedulerName("nobody").addNewContainer().withName("c").withImage("busybox")
                .endContainer().endSpec().build()).create();
    }

    private static io.fabric8.kubernetes.api.model.PodCondition condition(String type, String status) {
        return new PodConditionBuilder().withType(type).withStatus(status)
                .withLastTransitionTime("2026-11-26T10:00:00Z").build();
    }
}
