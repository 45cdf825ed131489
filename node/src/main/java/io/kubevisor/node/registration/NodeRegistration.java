package io.kubevisor.node.registration;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.NodeStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.kubevisor.controllers.Failures;
import io.kubevisor.node.provider.NodeResources;

/**
 * Registers the Node and keeps its status current, as the kubelet does: create (or, when it
 * exists, add the agent's labels and the provider's taints to it), then write status. Status is
 * computed every {@code statusUpdateInterval} but written only when it changed (heartbeat times
 * aside) or {@code reportInterval} passed since the last write, like kubelet's
 * nodeStatusReportFrequency; liveness between writes is the Lease's job. Not thread-safe: one
 * caller at a time.
 */
public final class NodeRegistration {

    private static final Logger LOG = LoggerFactory.getLogger(NodeRegistration.class);
    private static final int CONFLICT_RETRIES = 5;

    private final KubernetesClient client;
    private final NodeIdentity id;
    private final Supplier<NodeResources.NodeInfo> info;
    private final Supplier<NodeStatuses.Health> health;
    private final Clock clock;
    private final Duration reportInterval;
    private NodeStatus lastWritten;
    private Instant lastWriteTime;
    private volatile String uid;

    /**
     * @param info   the provider's node info, or a supplier of null without NodeResources
     * @param health whether the node can run pods now
     */
    public NodeRegistration(KubernetesClient client, NodeIdentity id, Supplier<NodeResources.NodeInfo> info,
                            Supplier<NodeStatuses.Health> health, Clock clock, Duration reportInterval) {
        this.client = client;
        this.id = id;
        this.info = info;
        this.health = health;
        this.clock = clock;
        this.reportInterval = reportInterval;
    }

    /** The labels the kubelet sets on its Node, then the provider's extra labels. */
    static Map<String, String> labels(NodeIdentity id, NodeResources.NodeInfo info) {
        Map<String, String> l = new LinkedHashMap<>();
        l.put("kubernetes.io/hostname", id.name());
        l.put("kubernetes.io/os", id.operatingSystem());
        l.put("kubernetes.io/arch", id.architecture());
        l.put("beta.kubernetes.io/os", id.operatingSystem());
        l.put("beta.kubernetes.io/arch", id.architecture());
        if (info != null && info.labels() != null) {
            info.labels().forEach(l::putIfAbsent);
        }
        return l;
    }

    /**
     * Creates the Node, or brings an existing one's labels and taints in line, then writes its
     * status.
     *
     * @return the Node as stored
     * @throws KubernetesClientException when the API refuses (e.g. missing permissions)
     */
    public Node register() {
        NodeResources.NodeInfo ni = info.get();
        Map<String, String> labels = labels(id, ni);
        var taints = Taints.parse(ni == null || ni.taints() == null ? List.of() : ni.taints());
        Node node;
        Node existing = client.nodes().withName(id.name()).get();
        if (existing == null) {
            Node wanted = new NodeBuilder()
                    .withNewMetadata().withName(id.name()).withLabels(labels).endMetadata()
                    .withNewSpec().withTaints(taints).endSpec()
                    .build();
            try {
                node = client.nodes().resource(wanted).create();
                LOG.info("event=node_registered node={}", id.name());
            } catch (KubernetesClientException e) {
                if (e.getCode() != 409) {
                    throw e;
                }
                node = client.nodes().withName(id.name()).get();
            }
        } else {
            node = client.nodes().withName(id.name()).edit(n -> {
                Map<String, String> merged = new LinkedHashMap<>(n.getMetadata().getLabels() == null
                        ? Map.of() : n.getMetadata().getLabels());
                merged.putAll(labels);
                n.getMetadata().setLabels(merged);
                if (n.getSpec() == null) {
                    n.setSpec(new io.fabric8.kubernetes.api.model.NodeSpec());
                }
                n.getSpec().setTaints(Taints.merge(n.getSpec().getTaints(), taints));
                return n;
            });
            LOG.info("event=node_updated_on_start node={}", id.name());
        }
        uid = node.getMetadata().getUid();
        lastWritten = null;
        writeStatus();
        return node;
    }

    /** The Node's uid once registered, else null. */
    public String uid() {
        return uid;
    }

    /** When status was last written, or null. */
    public Instant lastWriteTime() {
        return lastWriteTime;
    }

    /**
     * Computes the status and writes it if it changed or the report interval passed.
     *
     * @return whether it was written
     */
    public boolean updateStatus() {
        Instant now = clock.instant();
        NodeStatus next = NodeStatuses.build(id, info.get(), health.get(), lastWritten, now);
        boolean due = lastWriteTime == null || !now.isBefore(lastWriteTime.plus(reportInterval));
        if (!due && !NodeStatuses.changed(next, lastWritten)) {
            return false;
        }
        writeStatus();
        return true;
    }

    private void writeStatus() {
        for (int attempt = 0; ; attempt++) {
            Node current = client.nodes().withName(id.name()).get();
            if (current == null) {
                // Someone deleted our Node: register again, as the kubelet would after a restart.
                LOG.warn("event=node_missing node={} action=register", id.name());
                register();
                return;
            }
            Instant now = clock.instant();
            NodeStatus previous = lastWritten != null ? lastWritten : current.getStatus();
            NodeStatus next = NodeStatuses.build(id, info.get(), health.get(), previous, now);
            current.setStatus(next);
            try {
                client.nodes().resource(current).updateStatus();
                uid = current.getMetadata().getUid();
                lastWritten = next;
                lastWriteTime = now;
                LOG.debug("event=node_status_written node={}", id.name());
                return;
            } catch (KubernetesClientException e) {
                if (e.getCode() != 409 || attempt >= CONFLICT_RETRIES) {
                    LOG.warn("event=node_status_failed node={} cause=\"{}\"", id.name(), Failures.describe(e));
                    throw e;
                }
            }
        }
    }
}
