package io.kubevisor.e2e.controllers;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * Plays a node agent for tests that have none: registers a Node with allocatable resources and a
 * Ready=True condition, and renews its Lease in kube-node-lease every {@code renewEvery}, as a
 * kubelet does. {@link #goSilent} stops the renewals (the agent "dies"); {@link #comeBack}
 * renews again and re-posts Ready=True, as a restarted kubelet would. {@link #close} stops and
 * deletes the Node and Lease.
 */
final class FakeNodeAgent implements AutoCloseable {

    static final String LEASE_NAMESPACE = "kube-node-lease";

    private final KubernetesClient admin;
    private final String name;
    private final Duration renewEvery;
    private volatile boolean renewing = true;
    private final Thread renewer;

    private FakeNodeAgent(KubernetesClient admin, String name, Duration renewEvery) {
        this.admin = admin;
        this.name = name;
        this.renewEvery = renewEvery;
        this.renewer = Thread.ofVirtual().name("lease-" + name).start(this::renewLoop);
    }

    /**
     * Registers the node and starts renewing its lease.
     *
     * @param allocatable e.g. {@code cpu=4, memory=8Gi, pods=110}
     * @param labels      besides {@code kubernetes.io/hostname}
     */
    static FakeNodeAgent register(KubernetesClient admin, String name, Map<String, String> allocatable,
                                  Map<String, String> labels, List<Taint> taints, Duration renewEvery) {
        Map<String, Quantity> resources = new LinkedHashMap<>();
        allocatable.forEach((k, v) -> resources.put(k, new Quantity(v)));
        Map<String, String> allLabels = new LinkedHashMap<>(labels);
        allLabels.put("kubernetes.io/hostname", name);
        String now = now();
        Node node = new NodeBuilder().withNewMetadata().withName(name).withLabels(allLabels).endMetadata()
                .withNewSpec().withTaints(taints).endSpec()
                .withNewStatus().withCapacity(resources).withAllocatable(resources)
                .withConditions(conditions(now))
                .withNewNodeInfo().withKubeletVersion("v1.33.0").withOperatingSystem("linux")
                .withArchitecture("amd64").endNodeInfo()
                .endStatus().build();
        Node created = admin.nodes().resource(node).create();
        if (created.getStatus() == null || created.getStatus().getConditions() == null
                || created.getStatus().getConditions().isEmpty()) {
            // A server that drops status on create (Kubernetes keeps it for nodes) gets it through /status.
            created.setStatus(node.getStatus());
            admin.nodes().resource(created).updateStatus();
        }
        Lease lease = new LeaseBuilder().withNewMetadata().withName(name).withNamespace(LEASE_NAMESPACE).endMetadata()
                .withNewSpec().withHolderIdentity(name).withLeaseDurationSeconds(40).withRenewTime(micro())
                .endSpec().build();
        admin.leases().inNamespace(LEASE_NAMESPACE).resource(lease).create();
        return new FakeNodeAgent(admin, name, renewEvery);
    }

    String name() {
        return name;
    }

    /** Stops renewing the lease, as a crashed or cut-off agent would. */
    void goSilent() {
        renewing = false;
    }

    /** Renews the lease again and posts Ready=True, as an agent coming back does. */
    void comeBack() {
        renew();
        Node node = admin.nodes().withName(name).get();
        String now = now();
        node.getStatus().setConditions(conditions(now));
        admin.nodes().resource(node).updateStatus();
        renewing = true;
    }

    @Override
    public void close() {
        renewing = false;
        renewer.interrupt();
        admin.leases().inNamespace(LEASE_NAMESPACE).withName(name).delete();
        admin.nodes().withName(name).delete();
    }

    private void renewLoop() {
        while (!Thread.currentThread().isInterrupted()) {
            try {
                Thread.sleep(renewEvery);
            } catch (InterruptedException e) {
                return;
            }
            if (renewing) {
                try {
                    renew();
                } catch (RuntimeException e) {
                    // The server may be stopping; the next round tries again.
                }
            }
        }
    }

    private void renew() {
        admin.leases().inNamespace(LEASE_NAMESPACE).withName(name)
                .edit(l -> new LeaseBuilder(l).editSpec().withRenewTime(micro()).endSpec().build());
    }

    /** What a kubelet posts for a healthy node. */
    private static List<NodeCondition> conditions(String now) {
        return List.of(condition("MemoryPressure", "False", "KubeletHasSufficientMemory",
                        "kubelet has sufficient memory available", now),
                condition("DiskPressure", "False", "KubeletHasNoDiskPressure", "kubelet has no disk pressure", now),
                condition("PIDPressure", "False", "KubeletHasSufficientPID", "kubelet has sufficient PID available", now),
                condition("Ready", "True", "KubeletReady", "kubelet is posting ready status", now));
    }

    private static NodeCondition condition(String type, String status, String reason, String message, String now) {
        NodeCondition c = new NodeCondition();
        c.setType(type);
        c.setStatus(status);
        c.setReason(reason);
        c.setMessage(message);
        c.setLastHeartbeatTime(now);
        c.setLastTransitionTime(now);
        return c;
    }

    private static String now() {
        return Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
    }

    private static ZonedDateTime micro() {
        return ZonedDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS);
    }
}
