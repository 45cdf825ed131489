package io.kubevisor.controllers.scheduler;

import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.NodeSpec;
import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
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
 * The default scheduler: assigns each pending pod whose {@code spec.schedulerName} is ours (or
 * empty) to a node, one pod at a time, as kube-scheduler does with its default plugins for node
 * resources, node selectors and affinity, taints and tolerations ({@link SchedulingAlgorithm}),
 * and binds it through the {@code pods/binding} subresource. A pod that fits nowhere gets
 * {@code PodScheduled=False} (reason {@code Unschedulable}) and a {@code FailedScheduling}
 * event, and is tried again when a node is added or changes, when a bound pod goes away or
 * finishes, or at the latest after {@link Options#flushInterval} ({@link SchedulingQueue}). Bound
 * pods count on their node at once ({@link SchedulerCache}), before the watch shows them.
 */
public final class Scheduler implements Controller, Reconciler<PodKey> {

    /** The scheduler name pods get by default, and the component name of our events. */
    public static final String DEFAULT_NAME = "default-scheduler";

    private static final Logger LOG = LoggerFactory.getLogger(Scheduler.class);
    private static final Duration NOT_SYNCED_RETRY = Duration.ofMillis(200);

    /**
     * @param schedulerName the {@code spec.schedulerName} this scheduler serves
     * @param flushInterval how often pods parked as unschedulable at least that long are tried again
     *                      regardless of cluster events
     */
    public record Options(String schedulerName, Duration flushInterval) {
        public Options {
            Objects.requireNonNull(schedulerName, "schedulerName");
            if (flushInterval.isNegative() || flushInterval.isZero()) {
                throw new IllegalArgumentException("flushInterval must be positive, got " + flushInterval);
            }
        }

        /** {@value #DEFAULT_NAME}, flushing every 30 s. */
        public static Options defaults() {
            return new Options(DEFAULT_NAME, Duration.ofSeconds(30));
        }
    }

    private final Options options;
    private final InstantSource clock;
    private final WorkQueue<PodKey> active = new WorkQueue<>(
            new Backoff<>(SchedulingQueue.INITIAL_BACKOFF, SchedulingQueue.MAX_BACKOFF));
    private final SchedulingQueue queue = new SchedulingQueue(active, System::nanoTime);
    private final SchedulerCache cache = new SchedulerCache(SchedulerCache.DEFAULT_ASSUME_TTL, System::nanoTime);
    private final SchedulingAlgorithm algorithm = new SchedulingAlgorithm();
    private PodWriter writer;
    private EventRecorder events;
    private SharedIndexInformer<Pod> pods;
    private SharedIndexInformer<Node> nodes;
    private ReconcileLoop<PodKey> loop;
    private Thread flusher;

    /** @param clock stamps conditions and events */
    public Scheduler(Options options, InstantSource clock) {
        this.options = Objects.requireNonNull(options, "options");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public String name() {
        return "scheduler";
    }

    @Override
    public synchronized void start(KubernetesClient client) {
        writer = new PodWriter(client, clock);
        events = new EventRecorder(client, options.schedulerName(), options.schedulerName() + "-" + hostName(), clock);
        nodes = client.nodes().runnableInformer(0);
        nodes.exceptionHandler((started, t) -> retryWatch("nodes", t));
        nodes.addEventHandler(new NodeEvents());
        pods = client.pods().inAnyNamespace().runnableInformer(0);
        pods.exceptionHandler((started, t) -> retryWatch("pods", t));
        pods.addEventHandler(new PodEvents());
        // One worker: pods are placed one at a time, each seeing the previous one's node usage.
        loop = new ReconcileLoop<>(name(), active, this, 1);
        loop.start();
        nodes.start();
        pods.start();
        flusher = Thread.ofVirtual().name(name() + "-flush").start(this::flushPeriodically);
    }

    @Override
    public synchronized void stop() {
        if (flusher != null) {
            flusher.interrupt();
        }
        if (pods != null) {
            pods.stop();
        }
        if (nodes != null) {
            nodes.stop();
        }
        if (loop != null) {
            loop.close();
        }
        active.shutDown();
    }

    @Override
    public Result reconcile(PodKey key) {
        if (!pods.hasSynced() || !nodes.hasSynced()) {
            // Scheduling on a partial view of the nodes' pods could overcommit them.
            return Result.requeueAfter(NOT_SYNCED_RETRY);
        }
        Pod pod = pods.getStore().getByKey(key.toString());
        if (pod == null || !waitingFor(pod)) {
            queue.forget(key);
            return Result.done();
        }
        long moves = queue.moveCount();
        switch (algorithm.schedule(pod.getSpec(), cache.snapshot())) {
            case Decision.Bind(String node) -> bind(key, pod, node);
            case Decision.Unschedulable(String message) -> unschedulable(key, pod, message, moves);
        }
        return Result.done();
    }

    private void bind(PodKey key, Pod pod, String node) {
        try {
            writer.bind(pod, node);
        } catch (KubernetesClientException e) {
            if (e.getCode() == 409 || e.getCode() == 404) {
                // Bound by someone else, being deleted, or gone: nothing left for us to do.
                LOG.info("event=bind_skipped pod={} node={} cause=\"{}\"", key, node, Failures.describe(e));
                queue.forget(key);
                return;
            }
            throw e;
        }
        cache.assume(pod, node);
        queue.forget(key);
        LOG.info("event=pod_scheduled pod={} node={}", key, node);
        events.record(reference(pod), "Normal", "Scheduled", "Binding",
                "Successfully assigned " + key + " to " + node);
    }

    private void unschedulable(PodKey key, Pod pod, String message, long moves) {
        try {
            writer.markUnschedulable(pod, message);
        } catch (KubernetesClientException e) {
            LOG.warn("event=pod_condition_update_failed pod={} cause=\"{}\"", key, Failures.describe(e));
        }
        events.record(reference(pod), "Warning", "FailedScheduling", "Scheduling", message);
        Duration backoff = queue.park(key, moves);
        LOG.info("event=pod_unschedulable pod={} backoff_ms={} message=\"{}\"", key, backoff.toMillis(), message);
    }

    /** Whether this scheduler should place the pod: unbound, ours, not finished, deleting or gated. */
    boolean waitingFor(Pod pod) {
        String name = pod.getSpec().getSchedulerName();
        return !isBound(pod)
                && (name == null || name.isEmpty() || name.equals(options.schedulerName()))
                && pod.getMetadata().getDeletionTimestamp() == null
                && !SchedulerCache.finished(pod)
                && (pod.getSpec().getSchedulingGates() == null || pod.getSpec().getSchedulingGates().isEmpty());
    }

    static boolean isBound(Pod pod) {
        return pod.getSpec() != null && pod.getSpec().getNodeName() != null && !pod.getSpec().getNodeName().isEmpty();
    }

    private static ObjectReference reference(Pod pod) {
        return new ObjectReferenceBuilder().withApiVersion("v1").withKind("Pod")
                .withNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName())
                .withUid(pod.getMetadata().getUid()).withResourceVersion(pod.getMetadata().getResourceVersion())
                .build();
    }

    private void flushPeriodically() {
        while (!Thread.currentThread().isInterrupted()) {
            try {
                Thread.sleep(options.flushInterval());
            } catch (InterruptedException e) {
                return;
            }
            int n = queue.flush(options.flushInterval());
            if (n > 0) {
                LOG.info("event=unschedulable_pods_flushed count={}", n);
            }
        }
    }

    private boolean retryWatch(String resource, Throwable t) {
        LOG.warn("event=watch_failed controller={} resource={} cause=\"{}\" retrying=true", name(), resource,
                Failures.describe(t));
        return true;
    }

    private void moveAll(String why) {
        int n = queue.moveAll();
        if (n > 0) {
            LOG.info("event=unschedulable_pods_requeued count={} cause={}", n, why);
        }
    }

    private final class PodEvents implements ResourceEventHandler<Pod> {
        @Override
        public void onAdd(Pod pod) {
            cache.podChanged(pod);
            if (waitingFor(pod)) {
                queue.add(PodKey.of(pod));
            }
        }

        @Override
        public void onUpdate(Pod old, Pod pod) {
            cache.podChanged(pod);
            PodKey key = PodKey.of(pod);
            if (isBound(pod)) {
                if (!isBound(old)) {
                    queue.forget(key);
                }
                if (!SchedulerCache.finished(old) && SchedulerCache.finished(pod)) {
                    moveAll("AssignedPodFinished");
                }
            } else if (waitingFor(pod) && (!waitingFor(old) || !Objects.equals(old.getSpec(), pod.getSpec())
                    || !Objects.equals(old.getMetadata().getLabels(), pod.getMetadata().getLabels()))) {
                // Our own status write changes only status; retrying on it would loop.
                queue.add(key);
            }
        }

        @Override
        public void onDelete(Pod pod, boolean finalStateUnknown) {
            cache.podDeleted(pod);
            if (isBound(pod)) {
                moveAll("AssignedPodDelete");
            } else {
                queue.forget(PodKey.of(pod));
            }
        }
    }

    private final class NodeEvents implements ResourceEventHandler<Node> {
        @Override
        public void onAdd(Node node) {
            cache.putNode(node);
            moveAll("NodeAdd");
        }

        @Override
        public void onUpdate(Node old, Node node) {
            cache.putNode(node);
            if (mayHelp(old, node)) {
                moveAll("NodeUpdate");
            }
        }

        @Override
        public void onDelete(Node node, boolean finalStateUnknown) {
            cache.removeNode(node.getMetadata().getName());
        }
    }

    /**
     * Whether a node changed in a way that could let a pod fit that did not: allocatable, labels,
     * taints, cordon or condition statuses. Heartbeats alone do not count.
     */
    static boolean mayHelp(Node old, Node now) {
        return !Objects.equals(allocatable(old), allocatable(now))
                || !Objects.equals(old.getMetadata().getLabels(), now.getMetadata().getLabels())
                || !Objects.equals(spec(old).getTaints(), spec(now).getTaints())
                || !Objects.equals(spec(old).getUnschedulable(), spec(now).getUnschedulable())
                || !conditionStatuses(old).equals(conditionStatuses(now));
    }

    private static Object allocatable(Node n) {
        return n.getStatus() == null ? null : n.getStatus().getAllocatable();
    }

    private static NodeSpec spec(Node n) {
        return n.getSpec() == null ? new NodeSpec() : n.getSpec();
    }

    private static Map<String, String> conditionStatuses(Node n) {
        List<NodeCondition> cs = n.getStatus() == null || n.getStatus().getConditions() == null ? List.of()
                : n.getStatus().getConditions();
        Map<String, String> out = new TreeMap<>();
        cs.forEach(c -> out.put(c.getType(), c.getStatus()));
        return out;
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "localhost";
        }
    }
}
