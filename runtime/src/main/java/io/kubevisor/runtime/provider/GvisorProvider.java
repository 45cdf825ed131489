package io.kubevisor.runtime.provider;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.kubevisor.node.provider.ContainerExec;
import io.kubevisor.node.provider.ContainerLogs;
import io.kubevisor.node.provider.NodeResources;
import io.kubevisor.node.provider.PodProvider;
import io.kubevisor.node.provider.PodRef;
import io.kubevisor.node.provider.PodStats;
import io.kubevisor.node.provider.PortForwarder;
import io.kubevisor.node.provider.ProviderEvents;
import io.kubevisor.node.provider.ProviderException;
import io.kubevisor.node.provider.StreamIo;
import io.kubevisor.runtime.sandbox.SandboxHandle;
import io.kubevisor.runtime.sandbox.SandboxStats;

/**
 * Runs a node's pods as gVisor sandboxes, behaving like the kubelet for anyone reading pods with
 * {@code kubectl get/describe/logs/exec/port-forward/top}: one sandbox per pod on the pod network,
 * images pulled by policy with back-off, volumes (emptyDir, configMap, secret, downwardAPI,
 * projected), init containers then containers with the restart policy and CrashLoopBackOff,
 * probes, activeDeadlineSeconds, and the kubelet's status, conditions and events.
 *
 * <p>Each pod has a worker on a virtual thread ({@link PodWorker}) that drives it and tells the
 * agent when its status changed. What the runtime does not remember (the pod's spec, restart
 * counts, last states, back-offs) is kept under {@code stateDir/pods}, so a new instance on the
 * same state directory (an agent restart) adopts the pods still running: constructing the
 * provider loads them, removes sandboxes that belong to no known pod, reconciles the pod network
 * with the pods it knows and resumes their workers and probes.
 *
 * <p>Thread-safe; the agent never calls it concurrently for one pod. {@link #close()} stops the
 * workers and leaves the pods running.
 */
public final class GvisorProvider implements PodProvider, ContainerLogs, ContainerExec, PortForwarder, PodStats,
        NodeResources, ProviderEvents, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(GvisorProvider.class);

    private final GvisorProviderConfig config;
    private final PodLayout layout;
    private final PodStore store;
    private final NodeInfoReader node;
    private final Services services;
    private final PodStreams streams;
    private final StatsSampler stats;
    private final Map<String, PodWorker> pods = new ConcurrentHashMap<>();
    private volatile Consumer<PodRef> listener = ref -> { };
    private volatile Consumer<PodEvent> events = e -> { };

    /**
     * Opens the provider on its state directory and adopts the pods an earlier instance left
     * running (see the class description).
     *
     * @throws UncheckedIOException when the state directory cannot be prepared
     */
    public GvisorProvider(GvisorProviderConfig config) {
        this.config = config;
        this.layout = new PodLayout(config.stateDir());
        try {
            java.nio.file.Files.createDirectories(layout.pods());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + layout.pods(), e);
        }
        this.store = new PodStore(layout);
        this.node = new NodeInfoReader(config);
        // The listener returns at once (ProviderEvents): called here, events reach it in their order.
        EventSink sink = (ref, type, reason, message) -> {
            try {
                events.accept(new PodEvent(ref, type, reason, message));
            } catch (RuntimeException e) {
                LOG.debug("event=pod_event_dropped pod={} reason={} cause=\"{}\"", ref, reason, e.getMessage());
            }
        };
        PodVolumes volumes = new PodVolumes(layout, new VolumeFiles(config.resources()), config.clock());
        this.services = new Services(config, layout, store,
                new ImagePulls(config.images(), config.resources(), sink, config.clock()),
                new ContainerSpecs(new EnvResolver(config.resources()), volumes), volumes,
                new ProbeActions(config.runtime(), config.network(), config.busybox()), sink, node);
        this.streams = new PodStreams(config.runtime(), layout, this::worker);
        this.stats = config.runtime() instanceof SandboxStats st ? new StatsSampler(st, config.clock()) : null;
        adopt();
    }

    @Override
    public void createPod(Pod pod) {
        String uid = pod.getMetadata().getUid();
        if (pods.containsKey(uid)) {
            return;
        }
        Pod copy = new PodBuilder(pod).build();
        PodState state = new PodState(copy, config.clock().instant());
        PodWorker w = new PodWorker(state, services, this::changed);
        pods.put(uid, w);
        long t0 = System.nanoTime();
        try {
            store.savePod(copy);
            store.save(state);
            Sandboxes.start(state, services, true);
        } catch (RuntimeException e) {
            LOG.warn("event=pod_create_failed pod={} cause=\"{}\"", state.ref, e.getMessage());
            pods.remove(uid);
            Sandboxes.settleNetwork(state);
            cleanUp(state.ref, state.sandbox);
            throw new ProviderException(e.getMessage() == null ? e.toString() : e.getMessage(), e);
        }
        w.syncNow();
        w.start();
        LOG.info("event=pod_created pod={} uid={} ms={}", state.ref, uid, (System.nanoTime() - t0) / 1_000_000);
    }

    @Override
    public void updatePod(Pod pod) {
        PodWorker w = pods.get(pod.getMetadata().getUid());
        if (w == null) {
            return;
        }
        Pod copy = new PodBuilder(pod).build();
        PodState st = w.state();
        synchronized (st) {
            for (Container c : FieldRefs.nz(copy.getSpec().getContainers())) {
                ContainerSlot slot = st.slots.get(c.getName());
                if (slot == null || slot.init) {
                    continue;
                }
                String before = st.spec(slot).getImage();
                if (!c.getImage().equals(before) && slot.running()) {
                    slot.restartRequested = true;
                }
            }
            st.pod = copy;
        }
        store.savePod(copy);
        w.wake();
    }

    @Override
    public void deletePod(PodRef pod, Duration gracePeriod) {
        PodWorker w = pods.get(pod.uid());
        if (w == null) {
            cleanUp(pod, null);
            return;
        }
        PodState st = w.state();
        synchronized (st) {
            st.deleting = true;
        }
        long t0 = System.nanoTime();
        w.stop();
        w.containers().stopAll(gracePeriod == null ? w.grace() : gracePeriod);
        Sandboxes.settleNetwork(st);
        cleanUp(st.ref, st.sandbox);
        pods.remove(pod.uid());
        LOG.info("event=pod_deleted pod={} uid={} ms={}", st.ref, pod.uid(), (System.nanoTime() - t0) / 1_000_000);
    }

    /** Removes the pod's sandboxes, network, volumes, logs and state. Idempotent. */
    private void cleanUp(PodRef ref, SandboxHandle known) {
        List<SandboxHandle> remove = new ArrayList<>();
        if (known != null) {
            remove.add(known);
        }
        for (SandboxHandle h : config.runtime().sandboxes()) {
            if (ref.uid().equals(h.labels().get(Sandboxes.LABEL_UID)) && (known == null || !h.id().equals(known.id()))) {
                remove.add(h);
            }
        }
        for (SandboxHandle h : remove) {
            config.runtime().remove(h);
        }
        config.network().detach(ref);
        services.volumes().tearDown(ref.uid());
        try {
            AtomicWriter.deleteTree(layout.logs(ref));
        } catch (IOException e) {
            LOG.warn("event=pod_logs_not_deleted pod={} cause=\"{}\"", ref, e.getMessage());
        }
        store.delete(ref.uid());
        if (stats != null) {
            stats.forget(ref.uid());
        }
    }

    @Override
    public Optional<PodStatus> podStatus(PodRef pod) {
        PodWorker w = pods.get(pod.uid());
        if (w == null) {
            return Optional.empty();
        }
        return Optional.of(StatusBuilder.build(w.state(), node.hostIp()));
    }

    @Override
    public List<PodRef> runningPods() {
        return pods.values().stream().map(w -> w.state().ref).toList();
    }

    @Override
    public void onStatusChange(Consumer<PodRef> listener) {
        this.listener = listener;
    }

    @Override
    public void onEvent(Consumer<PodEvent> listener) {
        this.events = listener;
    }

    @Override
    public void logs(PodRef pod, String container, ContainerLogs.Options options, OutputStream out) throws IOException {
        streams.logs(pod, container, options, out);
    }

    @Override
    public int exec(PodRef pod, String container, List<String> command, StreamIo io) {
        return streams.exec(pod, container, command, io);
    }

    /**
     * {@inheritDoc}
     *
     * <p>Streams the container's output from now on: from its terminal for a {@code tty}
     * session on a container that has one, else from its log; feeds the session's stdin to a
     * container started with {@code stdin: true}.
     */
    @Override
    public int attach(PodRef pod, String container, StreamIo io) {
        return streams.attach(pod, container, io);
    }

    @Override
    public void forward(PodRef pod, int port, InputStream fromClient, OutputStream toClient) {
        streams.forward(pod, port, fromClient, toClient);
    }

    @Override
    public List<PodUsage> usage() {
        return stats == null ? List.of() : stats.usage(pods.values());
    }

    @Override
    public NodeInfo nodeInfo() {
        return node.nodeInfo();
    }

    /** Stops the pods' workers and probes; the pods keep running for the next instance to adopt. */
    @Override
    public void close() {
        for (PodWorker w : pods.values()) {
            w.stop();
        }
    }

    private PodWorker worker(PodRef ref) {
        PodWorker w = pods.get(ref.uid());
        return w != null && w.state().ref.name().equals(ref.name()) ? w : null;
    }

    private void changed(PodRef ref) {
        try {
            listener.accept(ref);
        } catch (RuntimeException e) {
            LOG.debug("event=status_listener_failed pod={} cause=\"{}\"", ref, e.getMessage());
        }
    }

    /**
     * Volumes and logs of pods this provider no longer knows (their state was removed, or an
     * earlier instance died while deleting them) are deleted, tmpfs volumes unmounted first.
     */
    private void removeOrphanFiles() {
        for (String uid : children(layout.root().resolve("volumes"))) {
            if (!pods.containsKey(uid)) {
                try {
                    services.volumes().tearDown(uid);
                    LOG.info("event=orphan_volumes_removed uid={}", uid);
                } catch (RuntimeException e) {
                    LOG.warn("event=orphan_volumes_not_removed uid={} cause=\"{}\"", uid, e.getMessage());
                }
            }
        }
        for (String dir : children(layout.root().resolve("logs"))) {
            String uid = dir.substring(dir.lastIndexOf('_') + 1);
            if (!pods.containsKey(uid)) {
                try {
                    AtomicWriter.deleteTree(layout.root().resolve("logs").resolve(dir));
                    LOG.info("event=orphan_logs_removed uid={}", uid);
                } catch (IOException e) {
                    LOG.warn("event=orphan_logs_not_removed uid={} cause=\"{}\"", uid, e.getMessage());
                }
            }
        }
    }

    private static List<String> children(java.nio.file.Path dir) {
        if (!java.nio.file.Files.isDirectory(dir)) {
            return List.of();
        }
        try (var s = java.nio.file.Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
    }

    /** Takes over the pods an earlier instance ran (see the class description). */
    private void adopt() {
        List<SandboxHandle> sandboxes = config.runtime().sandboxes();
        for (PodStore.Stored stored : store.loadAll()) {
            PodState st = PodState.of(stored.pod(), stored.record());
            SandboxHandle sandbox = sandboxes.stream().filter(h -> h.id().equals(stored.record().sandboxId()))
                    .findFirst().orElse(null);
            synchronized (st) {
                st.sandbox = sandbox;
                st.sandboxReady = sandbox != null;
                for (ContainerSlot slot : st.slots.values()) {
                    if (sandbox != null && slot.instanceId != null) {
                        slot.handle = sandbox.containers().stream().filter(c -> c.id().equals(slot.instanceId))
                                .findFirst().orElse(null);
                    }
                    Container c = st.spec(slot);
                    slot.started = c.getStartupProbe() == null;
                    slot.ready = slot.started && c.getReadinessProbe() == null;
                }
            }
            pods.put(st.ref.uid(), new PodWorker(st, services, this::changed));
            LOG.info("event=pod_adopted pod={} uid={} sandbox={}", st.ref, st.ref.uid(),
                    sandbox == null ? "none" : sandbox.id());
        }
        for (SandboxHandle h : sandboxes) {
            String uid = h.labels().get(Sandboxes.LABEL_UID);
            boolean ours = pods.values().stream().anyMatch(w -> w.state().sandbox != null
                    && w.state().sandbox.id().equals(h.id()));
            if (uid == null || ours) {
                continue;
            }
            LOG.info("event=orphan_sandbox_removed sandbox={} uid={}", h.id(), uid);
            try {
                config.runtime().remove(h);
            } catch (RuntimeException e) {
                LOG.warn("event=orphan_sandbox_remove_failed sandbox={} uid={} cause=\"{}\"", h.id(), uid,
                        e.getMessage());
            }
        }
        config.network().reconcile(pods.keySet());
        removeOrphanFiles();
        for (PodWorker w : pods.values()) {
            w.containers().resumeProbes();
            w.start();
        }
    }
}
