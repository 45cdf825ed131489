package io.kubevisor.node.pods;

import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.kubevisor.controllers.Reconciler;
import io.kubevisor.node.provider.PodProvider;
import io.kubevisor.node.provider.PodRef;
import io.kubevisor.node.provider.ProviderException;

/**
 * Brings one pod key in line, as the kubelet's pod worker does:
 * <ul>
 *   <li>a running incarnation whose API object is gone or was replaced (other uid) is stopped;</li>
 *   <li>a pod with a deletionTimestamp is stopped with its deletionGracePeriodSeconds, then its
 *       object is deleted with grace period 0 and a uid precondition, so it disappears;</li>
 *   <li>a pod not yet running is created (unless it already finished), a running one whose images
 *       changed is updated;</li>
 *   <li>then the provider's status is merged into the API's ({@link PodStatusMerge}) and written.</li>
 * </ul>
 * Provider failures are recorded as Events and rethrown, so the reconcile loop retries with
 * backoff. The loop runs one key on one thread at a time; different keys run in parallel.
 */
public final class PodSyncer implements Reconciler<PodKey> {

    private static final Logger LOG = LoggerFactory.getLogger(PodSyncer.class);
    private static final int STATUS_RETRIES = 5;
    /** Kubernetes' default terminationGracePeriodSeconds. */
    private static final long DEFAULT_GRACE_SECONDS = 30;

    private final PodApi api;
    private final PodProvider provider;
    private final RunningPods running;
    private final Supplier<String> hostIp;
    private final Clock clock;
    private final StatusFirst statusFirst;
    /** Each pod's last status write, until the watch shows it ({@link #newestKnown}). */
    private final Map<PodKey, Written> written = new ConcurrentHashMap<>();
    private final AtomicLong syncs = new AtomicLong();
    private final AtomicLong statusWrites = new AtomicLong();
    /**
     * Uids recently stopped here: deleting the object produces more watch events for a pod being
     * deleted, and the provider need not be asked to stop it again. Bounded; guarded by itself.
     */
    private final Map<String, Boolean> stopped = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > 4096;
        }
    };

    /** @param hostIp the node's InternalIP for {@code status.hostIP}, or a supplier of null */
    public PodSyncer(PodApi api, PodProvider provider, RunningPods running, Supplier<String> hostIp, Clock clock) {
        this(api, provider, running, hostIp, clock, new StatusFirst());
    }

    /** @param statusFirst held from a pod's start until its first status write, for the event sender */
    public PodSyncer(PodApi api, PodProvider provider, RunningPods running, Supplier<String> hostIp, Clock clock,
                     StatusFirst statusFirst) {
        this.statusFirst = statusFirst;
        this.api = api;
        this.provider = provider;
        this.running = running;
        this.hostIp = hostIp;
        this.clock = clock;
    }

    /** How many reconciles completed without error. */
    public long syncs() {
        return syncs.get();
    }

    /** How many pod status writes the API accepted. */
    public long statusWrites() {
        return statusWrites.get();
    }

    /**
     * Takes over what the provider already runs, per {@link Adoption}: adopted pods are tracked
     * without being created again; orphans are deleted at once. Call before the first reconcile.
     *
     * @return the plan that was carried out
     */
    public Adoption.Plan adopt(String nodeName) {
        Adoption.Plan plan = Adoption.plan(provider.runningPods(), api.cachedAll(), nodeName);
        plan.adopt().forEach((ref, pod) -> {
            running.put(PodKey.of(pod), new RunningPods.Entry(ref, PodFingerprint.of(pod), pod));
            LOG.info("event=pod_adopted pod={} uid={}", ref, ref.uid());
        });
        for (PodRef orphan : plan.orphans()) {
            LOG.info("event=pod_orphan_deleted pod={} uid={}", orphan, orphan.uid());
            provider.deletePod(orphan, Duration.ZERO);
        }
        return plan;
    }

    /** Remembers the last state of a pod the watch saw deleted, for the grace period of its stop. */
    public void sawDeleted(Pod pod) {
        PodKey key = PodKey.of(pod);
        running.get(key).filter(e -> e.ref().uid().equals(pod.getMetadata().getUid()))
                .ifPresent(e -> running.put(key, new RunningPods.Entry(e.ref(), e.fingerprint(), pod)));
    }

    @Override
    public Result reconcile(PodKey key) {
        Optional<Pod> cached = api.cached(key);
        Optional<RunningPods.Entry> current = running.get(key);
        if (current.isPresent() && (cached.isEmpty()
                || !current.get().ref().uid().equals(cached.get().getMetadata().getUid()))) {
            RunningPods.Entry gone = current.get();
            Duration grace = graceOf(gone.lastSeen());
            LOG.info("event=pod_gone_from_api pod={} uid={} grace_s={}", key, gone.ref().uid(), grace.toSeconds());
            stop(gone.lastSeen(), gone.ref(), grace);
            running.remove(key);
            current = Optional.empty();
        }
        if (cached.isEmpty()) {
            written.remove(key);
            syncs.incrementAndGet();
            return Result.done();
        }
        Pod pod = cached.get();
        PodRef ref = PodRef.of(pod);
        if (pod.getMetadata().getDeletionTimestamp() != null) {
            Duration grace = graceOf(pod);
            boolean alreadyStopped;
            synchronized (stopped) {
                alreadyStopped = stopped.containsKey(ref.uid());
            }
            if (!alreadyStopped) {
                stop(pod, ref, grace);
                synchronized (stopped) {
                    stopped.put(ref.uid(), Boolean.TRUE);
                }
            }
            running.remove(key);
            written.remove(key);
            api.deleteNow(ref);
            LOG.info("event=pod_deleted pod={} uid={} grace_s={}", key, ref.uid(), grace.toSeconds());
            syncs.incrementAndGet();
            return Result.done();
        }
        String fingerprint = PodFingerprint.of(pod);
        if (current.isEmpty()) {
            if (finished(pod)) {
                // A pod that ran to completion is never started again.
                syncs.incrementAndGet();
                return Result.done();
            }
            // The start's events (Created, Started) wait for its first status write.
            try (var _ = statusFirst.hold()) {
                create(pod, key, ref);
                return syncRunning(key, ref, fingerprint, pod);
            }
        }
        if (!current.get().fingerprint().equals(fingerprint)) {
            recordingFailure(pod, "FailedSync", "error updating pod: ", () -> provider.updatePod(pod));
            LOG.info("event=pod_updated pod={} uid={}", key, ref.uid());
        }
        return syncRunning(key, ref, fingerprint, pod);
    }

    private void create(Pod pod, PodKey key, PodRef ref) {
        recordingFailure(pod, "FailedCreatePodSandBox", "Failed to create pod sandbox: ",
                () -> provider.createPod(pod));
        LOG.info("event=pod_created pod={} uid={}", key, ref.uid());
    }

    /** Records the pod as running here as last seen, and writes its status. */
    private Result syncRunning(PodKey key, PodRef ref, String fingerprint, Pod pod) {
        running.put(key, new RunningPods.Entry(ref, fingerprint, pod));
        syncStatus(key, ref);
        syncs.incrementAndGet();
        return Result.done();
    }

    private void stop(Pod pod, PodRef ref, Duration grace) {
        recordingFailure(pod, "FailedKillPod", "error killing pod: ", () -> provider.deletePod(ref, grace));
    }

    /**
     * Runs a provider call; its failure becomes a Warning event on the pod (unless the pod's last
     * state is unknown) with {@code prefix} before the provider's message, and is rethrown.
     */
    private void recordingFailure(Pod pod, String reason, String prefix, Runnable call) {
        try {
            call.run();
        } catch (ProviderException e) {
            if (pod != null) {
                api.recordEvent(pod, "Warning", reason, prefix + e.getMessage());
            }
            throw e;
        }
    }

    private void syncStatus(PodKey key, PodRef ref) {
        Optional<PodStatus> reported = provider.podStatus(ref);
        if (reported.isEmpty()) {
            return;
        }
        for (int attempt = 0; attempt < STATUS_RETRIES; attempt++) {
            // The informer's copy is usually current (a GET less on every change); a conflict means it
            // lagged behind a write, and the next attempts read the pod from the server. When that
            // copy already shows the status, nothing is written and nothing read: a change on the
            // server it does not show yet arrives through the watch, whose event syncs the pod
            // again (the kubelet's status manager also compares with what it last knew).
            boolean cached = attempt == 0;
            Optional<Pod> current = cached ? newestKnown(key) : api.fresh(key);
            if (current.isEmpty() || !ref.uid().equals(current.get().getMetadata().getUid())) {
                if (cached) {
                    continue;
                }
                return;
            }
            PodStatus merged = PodStatusMerge.merge(current.get().getStatus(), reported.get(), hostIp.get(),
                    clock.instant());
            if (merged.equals(current.get().getStatus())) {
                return;
            }
            Optional<Pod> stored = api.writeStatus(current.get(), merged);
            if (stored.isPresent()) {
                written.put(key, new Written(current.get().getMetadata().getResourceVersion(), stored.get()));
                statusWrites.incrementAndGet();
                LOG.debug("event=pod_status_written pod={} phase={}", key, merged.getPhase());
                return;
            }
        }
        throw new IllegalStateException("status of pod " + key + " kept conflicting with other writers");
    }

    /**
     * The watch's copy of the pod, or what the server answered to this agent's last status write
     * while the watch still shows the version that write replaced: the next write then does not
     * meet a conflict (and a GET) only because the watch lags, as it did for about a third of the
     * pods right after their first write. Versions are compared for equality only (they are
     * opaque).
     */
    private Optional<Pod> newestKnown(PodKey key) {
        Optional<Pod> watched = api.cached(key);
        Written last = written.get(key);
        if (last == null) {
            return watched;
        }
        if (watched.isPresent() && last.replaced().equals(watched.get().getMetadata().getResourceVersion())) {
            return Optional.of(last.pod());
        }
        // The watch caught up with the write, or went past it: its copy is the newer one.
        written.remove(key, last);
        return watched;
    }

    /** A status write of this agent: the resourceVersion it replaced and the pod the server stored. */
    private record Written(String replaced, Pod pod) {
    }

    private static boolean finished(Pod pod) {
        String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
        return "Succeeded".equals(phase) || "Failed".equals(phase);
    }

    /** deletionGracePeriodSeconds, else terminationGracePeriodSeconds, else Kubernetes' 30 s. */
    static Duration graceOf(Pod pod) {
        if (pod == null) {
            return Duration.ZERO;
        }
        Long g = pod.getMetadata().getDeletionGracePeriodSeconds();
        if (g == null && pod.getSpec() != null) {
            g = pod.getSpec().getTerminationGracePeriodSeconds();
        }
        return Duration.ofSeconds(g == null ? DEFAULT_GRACE_SECONDS : Math.max(0, g));
    }
}
