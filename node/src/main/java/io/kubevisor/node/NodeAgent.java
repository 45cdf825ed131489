package io.kubevisor.node;

import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.kubevisor.controllers.Backoff;
import io.kubevisor.controllers.Failures;
import io.kubevisor.controllers.KubeClients;
import io.kubevisor.controllers.ReconcileLoop;
import io.kubevisor.controllers.WorkQueue;
import io.kubevisor.node.kubelet.KubeletServer;
import io.kubevisor.node.kubelet.SubjectAccessReviewAuthorizer;
import io.kubevisor.node.pods.Adoption;
import io.kubevisor.node.pods.Fabric8PodApi;
import io.kubevisor.node.pods.PodEventSender;
import io.kubevisor.node.pods.StatusFirst;
import io.kubevisor.node.pods.PodKey;
import io.kubevisor.node.pods.PodSyncer;
import io.kubevisor.node.pods.RunningPods;
import io.kubevisor.node.provider.NodeResources;
import io.kubevisor.node.provider.PodRef;
import io.kubevisor.node.provider.ProviderEvents;
import io.kubevisor.node.registration.LeaseRenewer;
import io.kubevisor.node.registration.NodeIdentity;
import io.kubevisor.node.registration.NodeRegistration;
import io.kubevisor.node.registration.NodeStatuses;

/**
 * A virtual-kubelet-style node agent: it registers a Node, renews its Lease, watches the pods bound
 * to the node and drives a {@link io.kubevisor.node.provider.PodProvider}, and serves the kubelet
 * HTTPS endpoint. It talks to the API server only through a Kubernetes client, so it could run
 * against any Kubernetes API server.
 *
 * <p>{@link #start} registers, takes over the pods the provider already runs (re-adoption after a
 * restart) and starts syncing; {@link #close} stops everything but leaves the provider's pods
 * running, so a restarted agent adopts them again. Thread-safe.
 */
public final class NodeAgent implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(NodeAgent.class);
    private static final Duration SYNC_WAIT = Duration.ofSeconds(60);

    /**
     * What the agent has done so far, for tests and diagnostics.
     *
     * @param podsRunning         pods the provider runs for this agent (created or adopted)
     * @param podSyncs            pod reconciles completed without error
     * @param podStatusWrites     pod status writes the API accepted
     * @param lastLeaseRenewal    when the Lease was last renewed, or null
     * @param lastNodeStatusWrite when the Node's status was last written, or null
     * @param kubeletPort         the port the kubelet endpoint listens on
     * @param nodeUid             the registered Node's uid
     * @param adopted             pods adopted at start
     * @param orphansDeleted      running pods deleted at start because their API object was gone
     */
    public record Status(int podsRunning, long podSyncs, long podStatusWrites, Instant lastLeaseRenewal,
                         Instant lastNodeStatusWrite, int kubeletPort, String nodeUid, List<PodRef> adopted,
                         List<PodRef> orphansDeleted) {
    }

    private final NodeAgentConfig config;
    private final RunningPods running = new RunningPods();
    private final WorkQueue<PodKey> queue = new WorkQueue<>(new Backoff<>(Duration.ofMillis(200), Duration.ofSeconds(30)));
    private KubernetesClient client;
    private KubeletServer kubelet;
    private NodeRegistration registration;
    private LeaseRenewer lease;
    private SharedIndexInformer<Pod> informer;
    private PodSyncer syncer;
    private ReconcileLoop<PodKey> loop;
    private PodEventSender eventSender;
    private final List<Ticker> tickers = new ArrayList<>();
    private volatile NodeResources.NodeInfo lastInfo;
    private Adoption.Plan plan = new Adoption.Plan(java.util.Map.of(), List.of());
    private boolean started;

    public NodeAgent(NodeAgentConfig config) {
        this.config = config;
    }

    /**
     * Starts the kubelet endpoint, registers the Node and its Lease, waits for the pod watch to
     * sync, re-adopts the provider's running pods and starts syncing. Returns when all that is done.
     *
     * @throws IllegalStateException if called twice
     * @throws RuntimeException      when the API refuses (e.g. missing permissions) or the provider
     *                               fails; the agent is closed then
     */
    public synchronized void start() {
        if (started) {
            throw new IllegalStateException("node agent already started");
        }
        started = true;
        String node = config.nodeName();
        try {
            client = KubeClients.newClient(config.apiConfig());
            kubelet = KubeletServer.start(node, config.kubelet(), config.provider(), new KubeletServer.PodDirectory() {
                @Override
                public Optional<PodRef> find(String namespace, String name) {
                    return running.find(namespace, name);
                }

                @Override
                public List<Pod> pods() {
                    return running.all().stream().map(RunningPods.Entry::lastSeen).toList();
                }
            }, new SubjectAccessReviewAuthorizer(client, node, config.clock()), config.clock());
            NodeIdentity id = NodeIdentity.ofThisHost(node, kubeletVersion(), kubelet.address().getPort());
            registration = new NodeRegistration(client, id, this::nodeInfo, this::health, config.clock(),
                    config.statusReportInterval());
            registration.register();
            lease = new LeaseRenewer(client, node, registration::uid, config.leaseDuration(), config.clock());
            lease.renew();
            startPodSync(node);
            tickers.add(Ticker.start("lease-" + node, config.leaseRenewInterval(), lease::renew));
            tickers.add(Ticker.start("node-status-" + node, config.statusUpdateInterval(), registration::updateStatus));
            LOG.info("event=node_agent_started node={} kubelet_port={} adopted={} orphans_deleted={}", node,
                    kubelet.address().getPort(), plan.adopt().size(), plan.orphans().size());
        } catch (RuntimeException e) {
            LOG.error("event=node_agent_start_failed node={} cause=\"{}\"", node, Failures.describe(e));
            close();
            throw e;
        }
    }

    private void startPodSync(String node) {
        informer = client.pods().inAnyNamespace().withField("spec.nodeName", node)
                .runnableInformer(config.resyncPeriod().toMillis());
        informer.exceptionHandler((isStarted, t) -> {
            LOG.warn("event=pod_watch_failed node={} cause=\"{}\" retrying=true", node, Failures.describe(t));
            return true;
        });
        Fabric8PodApi podApi = new Fabric8PodApi(client, informer.getStore(), node, config.clock());
        StatusFirst statusFirst = new StatusFirst();
        syncer = new PodSyncer(podApi, config.provider(), running, this::hostIp, config.clock(), statusFirst);
        informer.addEventHandler(new ResourceEventHandler<>() {
            @Override
            public void onAdd(Pod pod) {
                queue.add(PodKey.of(pod));
            }

            @Override
            public void onUpdate(Pod old, Pod pod) {
                queue.add(PodKey.of(pod));
            }

            @Override
            public void onDelete(Pod pod, boolean finalStateUnknown) {
                syncer.sawDeleted(pod);
                queue.add(PodKey.of(pod));
            }
        });
        try {
            informer.start().toCompletableFuture().get(SYNC_WAIT.toSeconds(), TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while listing the node's pods", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot list the pods bound to node " + node + ": "
                    + Failures.describe(e.getCause() == null ? e : e.getCause()), e);
        }
        plan = syncer.adopt(node);
        // Adopted pods and everything listed are queued by the informer's adds: each gets a status refresh.
        config.provider().onStatusChange(ref -> queue.add(PodKey.of(ref)));
        if (config.provider() instanceof ProviderEvents events) {
            // Recorded against the watched pod of that incarnation; events of pods gone from the
            // watch (or recreated under another uid) are dropped.
            eventSender = new PodEventSender(e -> podApi.cached(PodKey.of(e.pod()))
                    .filter(p -> e.pod().uid().equals(p.getMetadata().getUid()))
                    .ifPresent(p -> podApi.recordEvent(p, e.type(), e.reason(), e.message())), statusFirst);
            events.onEvent(eventSender);
        }
        loop = new ReconcileLoop<>("pods-" + node, queue, syncer, config.podWorkers());
        loop.start();
    }

    private String kubeletVersion() {
        try {
            return client.getKubernetesVersion().getGitVersion();
        } catch (RuntimeException e) {
            return "v0.0.0-unknown";
        }
    }

    private NodeResources.NodeInfo nodeInfo() {
        if (config.provider() instanceof NodeResources r) {
            lastInfo = r.nodeInfo();
            return lastInfo;
        }
        return null;
    }

    /** Ready while the provider answers; its failure message otherwise. */
    private NodeStatuses.Health health() {
        try {
            config.provider().runningPods();
            return NodeStatuses.Health.ok();
        } catch (RuntimeException e) {
            return new NodeStatuses.Health(false, "pod provider is not healthy: " + Failures.describe(e));
        }
    }

    private String hostIp() {
        String ip = NodeStatuses.internalIp(lastInfo);
        if (ip != null) {
            return ip;
        }
        try {
            InetAddress bind = InetAddress.getByName(config.kubelet().bindAddress());
            return bind.isAnyLocalAddress() ? null : bind.getHostAddress();
        } catch (java.net.UnknownHostException e) {
            return null;
        }
    }

    /** A snapshot of what the agent has done. */
    public Status status() {
        return new Status(running.size(), syncer == null ? 0 : syncer.syncs(),
                syncer == null ? 0 : syncer.statusWrites(), lease == null ? null : lease.lastRenewal(),
                registration == null ? null : registration.lastWriteTime(),
                kubelet == null ? 0 : kubelet.address().getPort(), registration == null ? null : registration.uid(),
                List.copyOf(plan.adopt().keySet()), plan.orphans());
    }

    /** The kubelet endpoint's port (useful when 0 was configured). */
    public int kubeletPort() {
        return kubelet.address().getPort();
    }

    /**
     * Stops syncing, the lease, status updates and the kubelet endpoint, and closes the client.
     * The provider's pods keep running. Idempotent.
     */
    @Override
    public synchronized void close() {
        tickers.forEach(Ticker::close);
        tickers.clear();
        if (informer != null) {
            informer.stop();
        }
        if (loop != null) {
            loop.close();
        }
        queue.shutDown();
        if (eventSender != null) {
            eventSender.close();
        }
        if (kubelet != null) {
            kubelet.close();
        }
        if (client != null) {
            client.close();
        }
    }
}
