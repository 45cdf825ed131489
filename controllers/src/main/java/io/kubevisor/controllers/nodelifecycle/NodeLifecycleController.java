package io.kubevisor.controllers.nodelifecycle;

import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.kubevisor.controllers.Backoff;
import io.kubevisor.controllers.Controller;
import io.kubevisor.controllers.Failures;
import io.kubevisor.controllers.ReconcileLoop;
import io.kubevisor.controllers.Reconciler;
import io.kubevisor.controllers.WorkQueue;
import io.kubevisor.controllers.events.EventRecorder;

/**
 * The node lifecycle controller, after Kubernetes' pkg/controller/nodelifecycle: every
 * {@link Options#monitorPeriod} it looks at each node; a node whose agent has not renewed its
 * Lease in {@value #LEASE_NAMESPACE} (nor posted a new Ready heartbeat) for
 * {@link Options#gracePeriod} gets its conditions set to Unknown ({@link NodeHealth}). Taints
 * follow the conditions ({@link ConditionTaints}): Unknown brings
 * {@code node.kubernetes.io/unreachable} NoSchedule and NoExecute, and they go when the agent
 * posts Ready=True again. Pods on a node with NoExecute taints they do not tolerate, or tolerate
 * only for a while, are deleted when their time is up ({@link TaintEviction}, and {@link PodEvictor}).
 */
public final class NodeLifecycleController implements Controller, Reconciler<String> {

    /** Where node agents keep their heartbeat Leases, named after the node. */
    public static final String LEASE_NAMESPACE = "kube-node-lease";

    private static final Logger LOG = LoggerFactory.getLogger(NodeLifecycleController.class);
    private static final String BY_NODE = "nodeName";
    private static final int CONFLICT_RETRIES = 5;

    /**
     * @param monitorPeriod how often every node's health is checked (Kubernetes: 5 s)
     * @param gracePeriod   how long a node may stay silent before it is Unknown (Kubernetes: 40 s)
     * @param workers       how many nodes are reconciled at once
     */
    public record Options(Duration monitorPeriod, Duration gracePeriod, int workers) {
        public Options {
            if (monitorPeriod.isNegative() || monitorPeriod.isZero() || gracePeriod.isNegative()
                    || gracePeriod.isZero()) {
                throw new IllegalArgumentException("monitor and grace periods must be positive");
            }
        }

        /** Kubernetes' defaults: check every 5 s, Unknown after 40 s of silence; two workers. */
        public static Options defaults() {
            return new Options(Duration.ofSeconds(5), Duration.ofSeconds(40), 2);
        }
    }

    private final Options options;
    private final InstantSource clock;
    private final WorkQueue<String> queue = new WorkQueue<>(Backoff.defaults());
    private final Heartbeats heartbeats = new Heartbeats(System::nanoTime);
    private KubernetesClient client;
    private EventRecorder events;
    private PodEvictor evictor;
    private SharedIndexInformer<Node> nodes;
    private SharedIndexInformer<Lease> leases;
    private SharedIndexInformer<Pod> pods;
    private ReconcileLoop<String> loop;
    private Thread monitor;

    /** @param clock stamps conditions, taints and events, and times evictions */
    public NodeLifecycleController(Options options, InstantSource clock) {
        this.options = Objects.requireNonNull(options, "options");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public String name() {
        return "node-lifecycle";
    }

    @Override
    public synchronized void start(KubernetesClient client) {
        this.client = client;
        events = new EventRecorder(client, "node-controller", "", clock);
        evictor = new PodEvictor(client, new EventRecorder(client, "taint-eviction-controller", "", clock), clock);
        nodes = client.nodes().runnableInformer(0);
        nodes.exceptionHandler((started, t) -> retryWatch("nodes", t));
        nodes.addEventHandler(new NodeEvents());
        leases = client.leases().inNamespace(LEASE_NAMESPACE).runnableInformer(0);
        leases.exceptionHandler((started, t) -> retryWatch("leases", t));
        leases.addEventHandler(new LeaseEvents());
        pods = client.pods().inAnyNamespace().runnableInformer(0);
        pods.addIndexers(Map.of(BY_NODE, p -> p.getSpec() == null || p.getSpec().getNodeName() == null
                ? List.of() : List.of(p.getSpec().getNodeName())));
        pods.exceptionHandler((started, t) -> retryWatch("pods", t));
        pods.addEventHandler(new PodEvents());
        loop = new ReconcileLoop<>(name(), queue, this, options.workers());
        loop.start();
        nodes.start();
        leases.start();
        pods.start();
        monitor = Thread.ofVirtual().name(name() + "-monitor").start(this::monitorPeriodically);
    }

    @Override
    public synchronized void stop() {
        if (monitor != null) {
            monitor.interrupt();
        }
        for (SharedIndexInformer<?> i : new SharedIndexInformer<?>[] {pods, leases, nodes}) {
            if (i != null) {
                i.stop();
            }
        }
        if (loop != null) {
            loop.close();
        }
        queue.shutDown();
    }

    @Override
    public Result reconcile(String name) {
        if (!nodes.hasSynced() || !leases.hasSynced() || !pods.hasSynced()) {
            return Result.requeueAfter(Duration.ofMillis(200));
        }
        Node node = nodes.getStore().getByKey(name);
        if (node == null) {
            heartbeats.forget(name);
            evictor.forgetNode(name);
            return Result.done();
        }
        node = checkHealth(node);
        if (node == null) {
            return Result.done();
        }
        node = syncTaints(node);
        if (node == null) {
            return Result.done();
        }
        List<Taint> noExecute = TaintEviction.noExecute(node.getSpec() == null ? null : node.getSpec().getTaints());
        Optional<Duration> next = evictor.sync(name, noExecute, pods.getIndexer().byIndex(BY_NODE, name));
        return next.map(Result::requeueAfter).orElse(Result.done());
    }

    /** Marks a silent node's conditions Unknown; returns the node as now stored, null if gone. */
    private Node checkHealth(Node node) {
        String name = node.getMetadata().getName();
        Duration silence = heartbeats.silence(name);
        if (silence.compareTo(options.gracePeriod()) <= 0) {
            return node;
        }
        for (int attempt = 0; ; attempt++) {
            String wasReady = NodeHealth.readyStatus(node);
            Node next = NodeHealth.markedUnknown(node, EventRecorder.timestamp(clock.instant()));
            if (next == null) {
                return node;
            }
            try {
                Node written = client.nodes().resource(next).updateStatus();
                LOG.info("event=node_status_unknown node={} silent_s={} was_ready={}", name, silence.toSeconds(),
                        wasReady);
                if ("True".equals(wasReady)) {
                    events.record(nodeReference(node), "Normal", "NodeNotReady", "",
                            "Node " + name + " status is now: NodeNotReady");
                }
                return written;
            } catch (KubernetesClientException e) {
                node = reloadOnConflict(name, e, attempt);
                if (node == null) {
                    return null;
                }
            }
        }
    }

    /** Makes the condition-derived taints agree with the conditions; returns the node as now stored. */
    private Node syncTaints(Node node) {
        String name = node.getMetadata().getName();
        for (int attempt = 0; ; attempt++) {
            List<Taint> current = node.getSpec() == null ? null : node.getSpec().getTaints();
            Optional<List<Taint>> next = ConditionTaints.reconcile(current, ConditionTaints.desired(node),
                    EventRecorder.timestamp(clock.instant()));
            if (next.isEmpty()) {
                return node;
            }
            Node updated = new NodeBuilder(node).editOrNewSpec().withTaints(next.get()).endSpec().build();
            try {
                Node written = client.nodes().resource(updated).update();
                LOG.info("event=node_taints_updated node={} taints=\"{}\"", name, describe(next.get()));
                return written;
            } catch (KubernetesClientException e) {
                node = reloadOnConflict(name, e, attempt);
                if (node == null) {
                    return null;
                }
            }
        }
    }

    private Node reloadOnConflict(String name, KubernetesClientException e, int attempt) {
        if (e.getCode() == 404) {
            return null;
        }
        if (e.getCode() != 409 || attempt >= CONFLICT_RETRIES) {
            throw e;
        }
        return client.nodes().withName(name).get();
    }

    private static String describe(List<Taint> taints) {
        return String.join(",", taints.stream().map(t -> t.getKey() + ":" + t.getEffect()).toList());
    }

    /**
     * Node events are recorded with the node's name as its UID, as the kubelet does, because that
     * is what {@code kubectl describe node} looks for.
     */
    private static ObjectReference nodeReference(Node node) {
        return new ObjectReferenceBuilder().withApiVersion("v1").withKind("Node")
                .withName(node.getMetadata().getName()).withUid(node.getMetadata().getName()).build();
    }

    private void monitorPeriodically() {
        while (!Thread.currentThread().isInterrupted()) {
            try {
                Thread.sleep(options.monitorPeriod());
            } catch (InterruptedException e) {
                return;
            }
            for (String key : nodes.getStore().listKeys()) {
                queue.add(key);
            }
        }
    }

    private boolean retryWatch(String resource, Throwable t) {
        LOG.warn("event=watch_failed controller={} resource={} cause=\"{}\" retrying=true", name(), resource,
                Failures.describe(t));
        return true;
    }

    private final class NodeEvents implements ResourceEventHandler<Node> {
        @Override
        public void onAdd(Node node) {
            heartbeats.status(node.getMetadata().getName(), NodeHealth.readyHeartbeat(node));
            queue.add(node.getMetadata().getName());
        }

        @Override
        public void onUpdate(Node old, Node node) {
            onAdd(node);
        }

        @Override
        public void onDelete(Node node, boolean finalStateUnknown) {
            queue.add(node.getMetadata().getName());
        }
    }

    private final class LeaseEvents implements ResourceEventHandler<Lease> {
        @Override
        public void onAdd(Lease lease) {
            String renew = lease.getSpec() == null || lease.getSpec().getRenewTime() == null ? null
                    : lease.getSpec().getRenewTime().toString();
            heartbeats.lease(lease.getMetadata().getName(), renew);
            queue.add(lease.getMetadata().getName());
        }

        @Override
        public void onUpdate(Lease old, Lease lease) {
            onAdd(lease);
        }

        @Override
        public void onDelete(Lease lease, boolean finalStateUnknown) {
            // A node without a lease is judged by its status heartbeats alone.
        }
    }

    /** A pod bound to a node under NoExecute taints may have to go: look at its node. */
    private final class PodEvents implements ResourceEventHandler<Pod> {
        @Override
        public void onAdd(Pod pod) {
            String node = pod.getSpec() == null ? null : pod.getSpec().getNodeName();
            if (node != null && !node.isEmpty() && hasNoExecuteTaints(node)) {
                queue.add(node);
            }
        }

        @Override
        public void onUpdate(Pod old, Pod pod) {
            onAdd(pod);
        }

        @Override
        public void onDelete(Pod pod, boolean finalStateUnknown) {
            evictor.forgetPod(pod);
        }
    }

    private boolean hasNoExecuteTaints(String nodeName) {
        Node n = nodes.getStore().getByKey(nodeName);
        return n != null && n.getSpec() != null && !TaintEviction.noExecute(n.getSpec().getTaints()).isEmpty();
    }
}
