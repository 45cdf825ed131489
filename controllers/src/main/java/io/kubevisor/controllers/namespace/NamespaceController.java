package io.kubevisor.controllers.namespace;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.NamespaceStatus;
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

/**
 * The namespace lifecycle controller. A deleted namespace stays, phase Terminating, while its
 * {@code spec.finalizers} holds {@value #FINALIZER}; this controller empties it
 * ({@link NamespaceContentDeleter}), reports progress in the namespace's status conditions as
 * Kubernetes does, and once nothing is left removes {@value #FINALIZER} through
 * {@code PUT /api/v1/namespaces/<name>/finalize}, after which the API server deletes the
 * namespace. Content that takes time (finalizers, grace periods) requeues the namespace after
 * half the estimate; failures requeue it with exponential backoff.
 */
public final class NamespaceController implements Controller, Reconciler<String> {

    /** The finalizer this controller owns in {@code spec.finalizers}. */
    public static final String FINALIZER = "kubernetes";

    private static final Logger LOG = LoggerFactory.getLogger(NamespaceController.class);
    private static final int CONFLICT_RETRIES = 5;

    /**
     * @param workers       how many namespaces are emptied at once
     * @param deletionDelay how long after seeing a deletion to start; lets creates that raced
     *                      the deletion land first, so one sweep finds them (Kubernetes waits 5 s)
     * @param resync        how often every namespace is looked at again regardless of events
     */
    public record Options(int workers, Duration deletionDelay, Duration resync) {
        /** Two workers, Kubernetes' 5 s deletion delay, a resync every five minutes. */
        public static Options defaults() {
            return new Options(2, Duration.ofSeconds(5), Duration.ofMinutes(5));
        }
    }

    private final Options options;
    private final InstantSource clock;
    private final WorkQueue<String> queue = new WorkQueue<>(Backoff.defaults());
    private KubernetesClient client;
    private NamespaceContentDeleter deleter;
    private SharedIndexInformer<Namespace> informer;
    private ReconcileLoop<String> loop;

    /** @param clock stamps condition transitions and ages pods' grace periods */
    public NamespaceController(Options options, InstantSource clock) {
        this.options = Objects.requireNonNull(options, "options");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public String name() {
        return "namespace";
    }

    @Override
    public synchronized void start(KubernetesClient client) {
        this.client = client;
        this.deleter = new NamespaceContentDeleter(client, clock);
        loop = new ReconcileLoop<>(name(), queue, this, options.workers());
        loop.start();
        informer = client.namespaces().runnableInformer(options.resync().toMillis());
        informer.exceptionHandler((started, t) -> {
            LOG.warn("event=watch_failed controller={} resource=namespaces cause=\"{}\" retrying=true", name(),
                    Failures.describe(t));
            return true;
        });
        informer.addEventHandler(new ResourceEventHandler<>() {
            @Override
            public void onAdd(Namespace ns) {
                enqueueIfDeleting(ns);
            }

            @Override
            public void onUpdate(Namespace old, Namespace ns) {
                enqueueIfDeleting(ns);
            }

            @Override
            public void onDelete(Namespace ns, boolean finalStateUnknown) {
                // Nothing to clean up: a queued name finds the namespace gone and stops.
            }
        });
        informer.start();
    }

    @Override
    public synchronized void stop() {
        if (informer != null) {
            informer.stop();
        }
        if (loop != null) {
            loop.close();
        }
        queue.shutDown();
    }

    private void enqueueIfDeleting(Namespace ns) {
        if (ns.getMetadata().getDeletionTimestamp() != null) {
            queue.addAfter(ns.getMetadata().getName(), options.deletionDelay());
        }
    }

    @Override
    public Result reconcile(String name) {
        Namespace ns = client.namespaces().withName(name).get();
        if (ns == null || ns.getMetadata().getDeletionTimestamp() == null) {
            return Result.done();
        }
        ns = ensureTerminating(ns);
        if (ns == null || !finalizers(ns).contains(FINALIZER)) {
            return Result.done();
        }
        Instant deletedAt = Instant.parse(ns.getMetadata().getDeletionTimestamp());
        Sweep sweep = deleter.sweep(name, deletedAt);
        ns = writeConditions(ns, sweep);
        if (sweep.failed()) {
            throw new IllegalStateException("namespace " + name + ": " + String.join("; ", sweep.errors()));
        }
        if (sweep.estimateSeconds() > 0) {
            Duration wait = Duration.ofSeconds(sweep.estimateSeconds() / 2 + 1);
            LOG.info("event=namespace_content_remaining namespace={} resources=\"{}\" finalizers=\"{}\" recheck_in_s={}",
                    name, sweep.remainingByResource(), sweep.remainingByFinalizer(), wait.toSeconds());
            return Result.requeueAfter(wait);
        }
        finalizeNamespace(ns);
        return Result.done();
    }

    /** Sets phase Terminating if the server has not; returns the namespace as now stored, or null if gone. */
    private Namespace ensureTerminating(Namespace ns) {
        for (int i = 0; i < CONFLICT_RETRIES; i++) {
            if (ns.getStatus() != null && "Terminating".equals(ns.getStatus().getPhase())) {
                return ns;
            }
            Namespace next = new NamespaceBuilder(ns).editOrNewStatus().withPhase("Terminating").endStatus().build();
            try {
                Namespace written = client.namespaces().resource(next).updateStatus();
                LOG.info("event=namespace_phase_set namespace={} phase=Terminating", name(ns));
                return written;
            } catch (KubernetesClientException e) {
                ns = reloadOnConflict(ns, e);
                if (ns == null) {
                    return null;
                }
            }
        }
        throw new IllegalStateException("namespace " + name(ns) + " kept changing while setting phase Terminating");
    }

    /** Writes the sweep's conditions if they changed; a failed write is logged and retried next sweep. */
    private Namespace writeConditions(Namespace ns, Sweep sweep) {
        Namespace next = new NamespaceBuilder(ns).build();
        if (next.getStatus() == null) {
            next.setStatus(new NamespaceStatus());
        }
        if (!NamespaceConditions.merge(next.getStatus(), NamespaceConditions.of(sweep, clock.instant()))) {
            return ns;
        }
        try {
            Namespace written = client.namespaces().resource(next).updateStatus();
            LOG.info("event=namespace_conditions_updated namespace={} failed={} remaining=\"{}\"", name(ns),
                    sweep.failed(), sweep.remainingByResource());
            return written;
        } catch (KubernetesClientException e) {
            LOG.warn("event=namespace_conditions_update_failed namespace={} cause=\"{}\"", name(ns),
                    Failures.describe(e));
            return ns;
        }
    }

    /** Removes {@value #FINALIZER} from spec.finalizers through the finalize subresource. */
    private void finalizeNamespace(Namespace ns) {
        for (int i = 0; i < CONFLICT_RETRIES; i++) {
            // The remaining finalizers as a sorted set, as Kubernetes writes them.
            List<String> rest = new ArrayList<>(new TreeSet<>(finalizers(ns)));
            rest.remove(FINALIZER);
            Namespace next = new NamespaceBuilder(ns).editOrNewSpec().withFinalizers(rest).endSpec().build();
            try {
                client.namespaces().resource(next).subresource("finalize").update();
                LOG.info("event=namespace_finalized namespace={} finalizers_left={}", name(ns), rest);
                return;
            } catch (KubernetesClientException e) {
                if (e.getCode() == 404) {
                    return;
                }
                ns = reloadOnConflict(ns, e);
                if (ns == null) {
                    return;
                }
            }
        }
        throw new IllegalStateException("namespace " + name(ns) + " kept changing while finalizing");
    }

    /**
     * After a conflict, the namespace as now stored (null if gone); rethrows anything else, and
     * refuses to carry on if the name now belongs to a new namespace.
     */
    private Namespace reloadOnConflict(Namespace ns, KubernetesClientException e) {
        if (e.getCode() == 404) {
            return null;
        }
        if (e.getCode() != 409) {
            throw e;
        }
        Namespace latest = client.namespaces().withName(name(ns)).get();
        if (latest != null && !Objects.equals(latest.getMetadata().getUid(), ns.getMetadata().getUid())) {
            throw new IllegalStateException("namespace " + name(ns) + " was recreated (uid changed) while deleting it");
        }
        return latest;
    }

    private static List<String> finalizers(Namespace ns) {
        return ns.getSpec() == null || ns.getSpec().getFinalizers() == null ? List.of() : ns.getSpec().getFinalizers();
    }

    private static String name(Namespace ns) {
        return ns.getMetadata().getName();
    }
}
