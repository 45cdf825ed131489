package io.kubevisor.e2e.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.NodeConditionBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.kubevisor.apiserver.auth.pki.ClusterCa;
import io.kubevisor.apiserver.auth.pki.KeyMaterial;
import io.kubevisor.apiserver.auth.pki.Kubeconfig;
import io.kubevisor.controllers.ClientCredentials;
import io.kubevisor.e2e.support.Cluster;
import io.kubevisor.e2e.support.Fabric8;
import io.kubevisor.e2e.support.Kubectl;

/**
 * A node's certificate reaches only what belongs to its node (the Node authorizer and NodeRestriction
 * admission), against a real {@code kubevisor up --no-node}: node {@code n1} writes its own Node and Lease and the
 * status of its pod, and reads the secret its pod uses; it is refused, with Kubernetes' 403 Status, Node {@code n2},
 * Lease {@code n2}, the status and deletion of a pod bound to {@code n2}, a restricted label, and a secret no pod of
 * its refers to. kubectl with the node's kubeconfig shows the same ({@code auth can-i}, {@code label},
 * {@code get secret}). The admin is not restricted, and the server keeps serving.
 */
class NodeAuthorizationIT {

    static final String NS = "node-authz";
    static final String LEASES = "kube-node-lease";

    @TempDir
    static Path tmp;
    static Cluster cluster;
    static KubernetesClient admin;
    static KubernetesClient n1;
    static Kubectl kubectl;

    @BeforeAll
    static void up() throws Exception {
        cluster = Cluster.start(tmp.resolve("kv"));
        admin = Fabric8.client(cluster);
        ClusterCa ca = ClusterCa.loadOrCreate(cluster.dataDir().resolve("pki"));
        KeyMaterial cert = ca.issueClient("system:node:n1", List.of("system:nodes"), Duration.ofDays(1));
        n1 = new ClientCredentials(cluster.url(), ca.certificatePem(), cert.certificatePem(), cert.privateKeyPem(),
                "EC").newClient();
        Path kubeconfig = tmp.resolve("n1.kubeconfig");
        Kubeconfig.write(kubeconfig, cluster.url(), ca.certificate(), cert, "kubevisor", "system:node:n1");
        kubectl = Kubectl.of("1.33", cluster, tmp.resolve("home-admin")).withKubeconfig(kubeconfig,
                tmp.resolve("home-n1"));

        admin.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(NS).endMetadata().build())
                .create();
        for (String secret : List.of("web-secret", "db-secret", "later-secret")) {
            admin.secrets().inNamespace(NS).resource(new SecretBuilder().withNewMetadata().withName(secret)
                    .endMetadata().withStringData(Map.of("password", "p-" + secret)).build()).create();
        }
        admin.pods().inNamespace(NS).resource(pod("web", "n1", "web-secret")).create();
        admin.pods().inNamespace(NS).resource(pod("db", "n2", "db-secret")).create();
        admin.nodes().resource(new NodeBuilder().withNewMetadata().withName("n2").endMetadata().build()).create();
        admin.leases().inNamespace(LEASES).resource(lease("n2")).create();
    }

    @AfterAll
    static void down() throws Exception {
        for (AutoCloseable c : new AutoCloseable[] {n1, admin, cluster}) {
            if (c != null) {
                c.close();
            }
        }
    }

    /** A pod bound to {@code node} whose container reads {@code secret}; it tolerates every taint, so no eviction. */
    static Pod pod(String name, String node, String secret) {
        return new PodBuilder().withNewMetadata().withName(name).endMetadata()
                .withNewSpec().withNodeName(node).addNewToleration().withOperator("Exists").endToleration()
                .addNewContainer().withName("c").withImage("busybox")
                .addNewEnv().withName("PASSWORD").withNewValueFrom().withNewSecretKeyRef("password", secret, false)
                .endValueFrom().endEnv().endContainer().endSpec().build();
    }

    static Lease lease(String name) {
        return new LeaseBuilder().withNewMetadata().withName(name).withNamespace(LEASES).endMetadata()
                .withNewSpec().withHolderIdentity(name).withLeaseDurationSeconds(40)
                .withRenewTime(ZonedDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS)).endSpec().build();
    }

    /** The Status of the 403 {@code call} gets. */
    static Status forbidden(ThrowingCallable call) {
        Throwable[] thrown = new Throwable[1];
        assertThatThrownBy(call).isInstanceOf(KubernetesClientException.class).satisfies(e -> thrown[0] = e);
        KubernetesClientException e = (KubernetesClientException) thrown[0];
        assertThat(e.getCode()).as(e.getMessage()).isEqualTo(403);
        Status status = e.getStatus();
        assertThat(status.getKind()).isEqualTo("Status");
        assertThat(status.getStatus()).isEqualTo("Failure");
        assertThat(status.getReason()).isEqualTo("Forbidden");
        assertThat(status.getCode()).isEqualTo(403);
        return status;
    }

    static final PatchContext MERGE = PatchContext.of(PatchType.JSON_MERGE);

    /**
     * Drops the resourceVersion: the node lifecycle controller taints these agent-less nodes and marks their pods
     * not ready meanwhile, and a stale version would be a 409 before any check of who writes.
     */
    static void unconditional(io.fabric8.kubernetes.api.model.HasMetadata o) {
        o.getMetadata().setResourceVersion(null);
    }

    @Test
    void aNodeWritesItsOwnNodeAndLeaseButNotAnothers() {
        Node created = n1.nodes().resource(new NodeBuilder().withNewMetadata().withName("n1")
                .addToLabels("kubernetes.io/hostname", "n1").endMetadata().build()).create();
        assertThat(created.getMetadata().getName()).isEqualTo("n1");
        n1.nodes().withName("n1").patch(MERGE, "{\"metadata\":{\"labels\":{\"example.com/rack\":\"r1\"}}}");
        Node current = n1.nodes().withName("n1").get();
        current.setStatus(new io.fabric8.kubernetes.api.model.NodeStatusBuilder().withConditions(
                new NodeConditionBuilder().withType("Ready").withStatus("True").withReason("KubeletReady").build())
                .build());
        unconditional(current);
        n1.nodes().resource(current).updateStatus();
        assertThat(admin.nodes().withName("n1").get().getMetadata().getLabels()).containsEntry("example.com/rack", "r1");

        Lease mine = n1.leases().inNamespace(LEASES).resource(lease("n1")).create();
        mine.getSpec().setRenewTime(ZonedDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS));
        n1.leases().inNamespace(LEASES).resource(mine).update();

        Status node = forbidden(() -> n1.nodes().withName("n2")
                .patch(MERGE, "{\"metadata\":{\"labels\":{\"example.com/rack\":\"r1\"}}}"));
        assertThat(node.getMessage()).isEqualTo("nodes \"n2\" is forbidden: node \"n1\" is not allowed to modify node \"n2\"");
        assertThat(node.getDetails().getName()).isEqualTo("n2");
        assertThat(node.getDetails().getKind()).isEqualTo("nodes");
        Node n2 = admin.nodes().withName("n2").get();
        n2.setStatus(current.getStatus());
        unconditional(n2);
        assertThat(forbidden(() -> n1.nodes().resource(n2).updateStatus()).getMessage())
                .isEqualTo("nodes \"n2\" is forbidden: node \"n1\" is not allowed to modify node \"n2\"");
        assertThat(forbidden(() -> n1.nodes().withName("n2").delete()).getMessage())
                .isEqualTo("nodes \"n2\" is forbidden: node \"n1\" is not allowed to modify node \"n2\"");

        Lease theirs = admin.leases().inNamespace(LEASES).withName("n2").get();
        assertThat(forbidden(() -> n1.leases().inNamespace(LEASES).resource(theirs).update()).getMessage())
                .isEqualTo("leases.coordination.k8s.io \"n2\" is forbidden: User \"system:node:n1\" cannot update "
                        + "resource \"leases\" in API group \"coordination.k8s.io\" in the namespace \"kube-node-lease\": "
                        + "can only access node lease with the same name as the requesting node");
        assertThat(forbidden(() -> n1.leases().inNamespace(LEASES).resource(lease("n3")).create()).getMessage())
                .isEqualTo("leases.coordination.k8s.io \"n3\" is forbidden: can only access node lease with the same "
                        + "name as the requesting node");
        assertThat(admin.leases().inNamespace(LEASES).withName("n3").get()).isNull();

        assertThat(forbidden(() -> n1.nodes().withName("n1")
                .patch(MERGE, "{\"metadata\":{\"labels\":{\"node-restriction.kubernetes.io/trusted\":\"yes\"}}}"))
                .getMessage()).isEqualTo("nodes \"n1\" is forbidden: is not allowed to modify labels: "
                        + "node-restriction.kubernetes.io/trusted");
    }

    @Test
    void aNodeWritesStatusAndDeletesOnlyPodsBoundToIt() {
        Pod web = n1.pods().inNamespace(NS).withName("web").get();
        web.getStatus().setConditions(List.of(new PodConditionBuilder().withType("Ready").withStatus("False").build()));
        unconditional(web);
        n1.pods().inNamespace(NS).resource(web).updateStatus();
        assertThat(admin.pods().inNamespace(NS).withName("web").get().getStatus().getConditions())
                .anyMatch(c -> c.getType().equals("Ready"));

        Pod db = n1.pods().inNamespace(NS).withName("db").get();
        db.getStatus().setPhase("Failed");
        unconditional(db);
        Status status = forbidden(() -> n1.pods().inNamespace(NS).resource(db).updateStatus());
        assertThat(status.getMessage()).isEqualTo("pods \"db\" is forbidden: node \"n1\" can only update pod status for "
                + "pods with spec.nodeName set to itself");
        assertThat(status.getDetails().getName()).isEqualTo("db");
        assertThat(forbidden(() -> n1.pods().inNamespace(NS).withName("db").delete()).getMessage())
                .isEqualTo("pods \"db\" is forbidden: node \"n1\" can only delete pods with spec.nodeName set to itself");
        assertThat(forbidden(() -> n1.pods().inNamespace(NS).withName("web")
                .patch(MERGE, "{\"metadata\":{\"labels\":{\"x\":\"y\"}}}")).getMessage())
                .isEqualTo("pods \"web\" is forbidden: User \"system:node:n1\" cannot patch resource \"pods\" in API "
                        + "group \"\" in the namespace \"node-authz\"");
        assertThat(forbidden(() -> n1.pods().inNamespace(NS).resource(pod("made-up", "n1", "db-secret")).create())
                .getMessage()).isEqualTo("pods \"made-up\" is forbidden: pod does not have "
                        + "\"kubernetes.io/config.mirror\" annotation, node \"n1\" can only create mirror pods");
        assertThat(admin.pods().inNamespace(NS).withName("db").get().getStatus().getPhase()).isNotEqualTo("Failed");
    }

    @Test
    void aNodeReadsOnlySecretsItsPodsReferTo() {
        assertThat(n1.secrets().inNamespace(NS).withName("web-secret").get().getData()).containsKey("password");
        Status status = forbidden(() -> n1.secrets().inNamespace(NS).withName("db-secret").get());
        assertThat(status.getMessage()).isEqualTo("secrets \"db-secret\" is forbidden: User \"system:node:n1\" cannot "
                + "get resource \"secrets\" in API group \"\" in the namespace \"node-authz\": no relationship found "
                + "between node 'n1' and this object");
        forbidden(() -> n1.secrets().inNamespace(NS).list());

        // A pod bound later brings its secret along at once; its deletion takes it away again.
        forbidden(() -> n1.secrets().inNamespace(NS).withName("later-secret").get());
        admin.pods().inNamespace(NS).resource(pod("later", "n1", "later-secret")).create();
        assertThat(n1.secrets().inNamespace(NS).withName("later-secret").get()).isNotNull();
        admin.pods().inNamespace(NS).withName("later").withGracePeriod(0).delete();
        await().atMost(Cluster.patience()).untilAsserted(() ->
                forbidden(() -> n1.secrets().inNamespace(NS).withName("later-secret").get()));
    }

    @Test
    void theAdminIsNotRestricted() {
        assertThat(admin.secrets().inNamespace(NS).withName("db-secret").get()).isNotNull();
        admin.nodes().withName("n2").patch(MERGE,
                "{\"metadata\":{\"labels\":{\"node-restriction.kubernetes.io/trusted\":\"yes\"}}}");
        Lease theirs = admin.leases().inNamespace(LEASES).withName("n2").get();
        theirs.getSpec().setLeaseDurationSeconds(41);
        admin.leases().inNamespace(LEASES).resource(theirs).update();
        Pod db = admin.pods().inNamespace(NS).withName("db").get();
        db.getStatus().setConditions(List.of(new PodConditionBuilder().withType("Ready").withStatus("False").build()));
        unconditional(db);
        admin.pods().inNamespace(NS).resource(db).updateStatus();
        assertThat(admin.leases().inNamespace(LEASES).withName("n2").get().getSpec().getLeaseDurationSeconds())
                .isEqualTo(41);
    }

    @Test
    void kubectlWithTheNodesKubeconfigSeesTheSameRules() throws Exception {
        assertThat(kubectl.run("auth", "can-i", "get", "secret/web-secret", "-n", NS).assertOk().stdout())
                .isEqualTo("yes\n");
        Kubectl.Result secret = kubectl.run("auth", "can-i", "get", "secret/db-secret", "-n", NS);
        assertThat(secret.exitCode()).isEqualTo(1);
        assertThat(secret.stdout()).isEqualTo("no - no relationship found between node 'n1' and this object\n");
        Kubectl.Result lease = kubectl.run("auth", "can-i", "update", "lease/n2", "-n", LEASES);
        assertThat(lease.exitCode()).isEqualTo(1);
        assertThat(lease.stdout()).isEqualTo("no - can only access node lease with the same name as the requesting node\n");
        assertThat(kubectl.run("auth", "can-i", "update", "lease/n1", "-n", LEASES).assertOk().stdout())
                .isEqualTo("yes\n");

        Kubectl.Result label = kubectl.run("label", "node", "n2", "example.com/stolen=yes");
        assertThat(label.exitCode()).isEqualTo(1);
        assertThat(label.stderr()).isEqualTo("Error from server (Forbidden): nodes \"n2\" is forbidden: node \"n1\" is "
                + "not allowed to modify node \"n2\"\n");
        Kubectl.Result get = kubectl.run("get", "secret", "db-secret", "-n", NS);
        assertThat(get.exitCode()).isEqualTo(1);
        assertThat(get.stderr()).isEqualTo("Error from server (Forbidden): secrets \"db-secret\" is forbidden: User "
                + "\"system:node:n1\" cannot get resource \"secrets\" in API group \"\" in the namespace \"node-authz\": "
                + "no relationship found between node 'n1' and this object\n");
        assertThat(kubectl.run("get", "pods", "-n", NS, "-o", "name").assertOk().stdout()).contains("pod/web", "pod/db");
    }
}
