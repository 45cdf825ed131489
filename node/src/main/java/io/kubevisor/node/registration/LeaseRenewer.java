package io.kubevisor.node.registration;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;

/**
 * Keeps the node's heartbeat: the Lease {@code kube-node-lease/<node>} with holderIdentity = node
 * name, the configured duration, and renewTime moved forward on each {@link #renew}, owned by the
 * Node (so it goes when the Node goes). Not thread-safe: one caller at a time.
 */
public final class LeaseRenewer {

    public static final String NAMESPACE = "kube-node-lease";
    private static final Logger LOG = LoggerFactory.getLogger(LeaseRenewer.class);

    private final KubernetesClient client;
    private final String nodeName;
    private final Supplier<String> nodeUid;
    private final Duration duration;
    private final Clock clock;
    private volatile Instant lastRenewal;

    /** @param nodeUid the Node's uid for the owner reference (null until registered: no reference then) */
    public LeaseRenewer(KubernetesClient client, String nodeName, Supplier<String> nodeUid, Duration duration,
                        Clock clock) {
        this.client = client;
        this.nodeName = nodeName;
        this.nodeUid = nodeUid;
        this.duration = duration;
        this.clock = clock;
    }

    /** When the Lease was last renewed by this agent, or null. */
    public Instant lastRenewal() {
        return lastRenewal;
    }

    /**
     * Creates the Lease or moves its renewTime to now (taking it over if another holder had it).
     *
     * @throws KubernetesClientException when the API refuses
     */
    public void renew() {
        Instant now = clock.instant();
        ZonedDateTime renewTime = ZonedDateTime.ofInstant(now.truncatedTo(ChronoUnit.MICROS), ZoneOffset.UTC);
        var lease = client.leases().inNamespace(NAMESPACE).withName(nodeName);
        Lease current = lease.get();
        if (current == null) {
            Lease fresh = new LeaseBuilder()
                    .withNewMetadata().withName(nodeName).withNamespace(NAMESPACE)
                    .withOwnerReferences(owner().toArray(OwnerReference[]::new)).endMetadata()
                    .withNewSpec().withHolderIdentity(nodeName).withLeaseDurationSeconds((int) duration.toSeconds())
                    .withRenewTime(renewTime).endSpec()
                    .build();
            try {
                client.leases().inNamespace(NAMESPACE).resource(fresh).create();
                LOG.info("event=lease_created node={} duration_s={}", nodeName, duration.toSeconds());
                lastRenewal = now;
                return;
            } catch (KubernetesClientException e) {
                if (e.getCode() != 409) {
                    throw e;
                }
                current = lease.get();
            }
        }
        current.getSpec().setHolderIdentity(nodeName);
        current.getSpec().setLeaseDurationSeconds((int) duration.toSeconds());
        current.getSpec().setRenewTime(renewTime);
        List<OwnerReference> owners = current.getMetadata().getOwnerReferences();
        if ((owners == null || owners.isEmpty()) && nodeUid.get() != null) {
            current.getMetadata().setOwnerReferences(owner());
        }
        // Locked on the version we read: a conflict means someone else wrote; the next tick retries.
        client.leases().inNamespace(NAMESPACE).resource(current).update();
        lastRenewal = now;
    }

    private List<OwnerReference> owner() {
        String uid = nodeUid.get();
        if (uid == null) {
            return List.of();
        }
        return List.of(new OwnerReferenceBuilder().withApiVersion("v1").withKind("Node").withName(nodeName)
                .withUid(uid).build());
    }
}
