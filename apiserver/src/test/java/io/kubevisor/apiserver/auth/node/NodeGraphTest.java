package io.kubevisor.apiserver.auth.node;

import static io.kubevisor.apiserver.auth.node.NodeObjects.pod;
import static io.kubevisor.apiserver.auth.node.NodeObjects.podUsing;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import io.kubevisor.apiserver.auth.node.ObjectRef.Kind;
import tools.jackson.databind.node.ObjectNode;

class NodeGraphTest {

    /** What the store holds, for the fallback; and how often it was read. */
    final List<ObjectNode> stored = new ArrayList<>();
    final AtomicInteger storeReads = new AtomicInteger();
    final NodeGraph graph = new NodeGraph((ns, node) -> {
        storeReads.incrementAndGet();
        return stored.stream().filter(p -> p.path("metadata").path("namespace").asString("").equals(ns)).toList();
    });

    static ObjectRef secret(String ns, String name) {
        return new ObjectRef(Kind.SECRET, ns, name);
    }

    @Test
    void aBoundPodsReferencesAreItsNodesAndNoOtherNodes() {
        graph.put(podUsing("ns", "web", "n1", "db-password", "settings"));
        assertThat(graph.related("n1", secret("ns", "db-password"))).isTrue();
        assertThat(graph.related("n1", new ObjectRef(Kind.CONFIGMAP, "ns", "settings"))).isTrue();
        assertThat(storeReads).as("hits come from the index").hasValue(0);
        assertThat(graph.related("n2", secret("ns", "db-password"))).isFalse();
        assertThat(graph.related("n1", secret("other", "db-password"))).as("same name, other namespace").isFalse();
        assertThat(graph.related("n1", new ObjectRef(Kind.CONFIGMAP, "ns", "db-password"))).as("other kind")
                .isFalse();
    }

    @Test
    void anUnboundPodRelatesNothingUntilBound() {
        ObjectNode pending = podUsing("ns", "web", "", "s", "c");
        graph.put(pending);
        assertThat(graph.size()).isZero();
        assertThat(graph.related("n1", secret("ns", "s"))).isFalse();
        graph.put(podUsing("ns", "web", "n1", "s", "c"));
        assertThat(graph.related("n1", secret("ns", "s"))).isTrue();
    }

    @Test
    void aDeletedPodTakesItsReferencesAlongButNotThoseOfOtherPodsSharingThem() {
        graph.put(podUsing("ns", "a", "n1", "shared", "ca"));
        graph.put(podUsing("ns", "b", "n1", "shared", "cb"));
        graph.remove(podUsing("ns", "a", "n1", "shared", "ca"));
        assertThat(graph.related("n1", secret("ns", "shared"))).isTrue();
        assertThat(graph.related("n1", new ObjectRef(Kind.CONFIGMAP, "ns", "ca"))).isFalse();
        graph.remove(podUsing("ns", "b", "n1", "shared", "cb"));
        assertThat(graph.related("n1", secret("ns", "shared"))).isFalse();
        assertThat(graph.size()).isZero();
    }

    @Test
    void aChangedPodReplacesWhatItReferred() {
        graph.put(podUsing("ns", "a", "n1", "old", "c"));
        graph.put(podUsing("ns", "a", "n1", "new", "c"));
        assertThat(graph.related("n1", secret("ns", "old"))).isFalse();
        assertThat(graph.related("n1", secret("ns", "new"))).isTrue();
    }

    @Test
    void aMissIsCheckedAgainstTheStoreSoALaggingFeedNeverDeniesWhatTheStoreAllows() {
        stored.add(podUsing("ns", "fresh", "n1", "s", "c"));
        stored.add(podUsing("ns", "elsewhere", "n2", "only-n2", "c2"));
        assertThat(graph.related("n1", secret("ns", "s"))).isTrue();
        assertThat(storeReads).hasValue(1);
        assertThat(graph.related("n1", secret("ns", "only-n2"))).as("a pod of another node is no relation").isFalse();
        graph.clear();
        assertThat(graph.related("n1", secret("ns", "s"))).as("cleared index, store still answers").isTrue();
    }

    @Test
    void referencesCoverEverywhereAPodNamesAnObject() {
        ObjectNode p = pod("ns", "p", "n1", """
                {"serviceAccountName":"runner",
                 "imagePullSecrets":[{"name":"pull"}],
                 "initContainers":[{"name":"i","envFrom":[{"secretRef":{"name":"init-env"}}]}],
                 "containers":[{"name":"c","envFrom":[{"configMapRef":{"name":"env-cm"}}],
                   "env":[{"name":"A","valueFrom":{"configMapKeyRef":{"name":"key-cm","key":"k"}}}]}],
                 "ephemeralContainers":[{"name":"e","env":[{"name":"B","valueFrom":{"secretKeyRef":{"name":"debug","key":"k"}}}]}],
                 "volumes":[
                   {"name":"sec","secret":{"secretName":"vol-secret"}},
                   {"name":"proj","projected":{"sources":[{"secret":{"name":"proj-secret"}},{"configMap":{"name":"proj-cm"}},
                      {"serviceAccountToken":{"path":"t"}}]}},
                   {"name":"csi","csi":{"driver":"d","nodePublishSecretRef":{"name":"csi-secret"}}},
                   {"name":"rbd","rbd":{"monitors":["m"],"image":"i","secretRef":{"name":"rbd-secret"}}},
                   {"name":"data","persistentVolumeClaim":{"claimName":"data"}},
                   {"name":"scratch","ephemeral":{"volumeClaimTemplate":{"spec":{}}}}]}""");
        assertThat(PodReferences.of(p)).containsExactlyInAnyOrder(
                new ObjectRef(Kind.SERVICEACCOUNT, "ns", "runner"),
                secret("ns", "pull"), secret("ns", "init-env"), secret("ns", "debug"), secret("ns", "vol-secret"),
                secret("ns", "proj-secret"), secret("ns", "csi-secret"), secret("ns", "rbd-secret"),
                new ObjectRef(Kind.CONFIGMAP, "ns", "env-cm"), new ObjectRef(Kind.CONFIGMAP, "ns", "key-cm"),
                new ObjectRef(Kind.CONFIGMAP, "ns", "proj-cm"),
                new ObjectRef(Kind.PERSISTENTVOLUMECLAIM, "ns", "data"),
                new ObjectRef(Kind.PERSISTENTVOLUMECLAIM, "ns", "p-scratch"));
    }
}
