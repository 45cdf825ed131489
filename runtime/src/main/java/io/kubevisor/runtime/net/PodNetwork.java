package io.kubevisor.runtime.net;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.kubevisor.node.provider.PodRef;
import io.kubevisor.runtime.linux.LinuxCalls;
import io.kubevisor.runtime.linux.NetnsWorkers;

/**
 * A node's pod network: one network namespace per pod, and per Kubernetes namespace one bridge
 * in a network namespace of its own that the agent owns.
 *
 * <pre>
 *   pod netns PREFIX-p-UID            bridge netns PREFIX-b-NAMESPACE (one per namespace)
 *   +------------------------+        +-------------------------------------+
 *   | lo up                  |  veth  | br0  10.244.N.1/24 (the gateway)    |
 *   | eth0 10.244.N.x/24 ----+--------+-- vHASH (a port of br0)             |
 *   | default via 10.244.N.1 |        |   ... one port per pod of NAMESPACE |
 *   +------------------------+        | no forwarding, no IPv6, no uplink   |
 *                                     +-------------------------------------+
 * </pre>
 *
 * Pods of one Kubernetes namespace share a bridge and reach each other directly; a bridge netns
 * has no link to anything but its own pods and routes nothing, so pods of different namespaces
 * have no L2 or L3 path between them. Nothing is created in the agent's own network namespace
 * except the netns files; addresses are allocated per namespace subnet and persisted in the
 * state directory.
 *
 * <p>Thread-safe. Calls about one pod run one at a time. Within a Kubernetes namespace the
 * address allocation, the bridge and a detach run one at a time (they share the bridge and the
 * subnet), while the pods' own plumbing runs side by side; different namespaces proceed in
 * parallel.
 */
public final class PodNetwork {

    private static final Logger LOG = LoggerFactory.getLogger(PodNetwork.class);
    private static final Duration DEFAULT_EXEC_TIMEOUT = Duration.ofSeconds(30);

    private final Ipam ipam;
    private final NetnsNames names;
    private final IpRunner ip;
    private final NetnsWorkers workers;
    private final Plumbing plumbing;
    private final ConcurrentHashMap<String, ReentrantLock> locks = new ConcurrentHashMap<>();
    /** Striped by pod uid: a fixed set, where one lock per pod would have to be forgotten again. */
    private final ReentrantLock[] podLocks = newLocks(64);
    /** Uids whose address this process reserved and has not plumbed yet. */
    private final java.util.Set<String> reserved = ConcurrentHashMap.newKeySet();

    /**
     * Opens the node's pod network: reads (or starts) the allocations in the state directory.
     * Creates nothing in the kernel until the first attach.
     *
     * @throws PodNetworkException.StateInvalid if the state file is unreadable or was written for
     *                                          another pod CIDR or name prefix
     */
    public PodNetwork(PodNetworkOptions options) {
        this.ipam = new Ipam(new IpamFile(options.stateDir()), options.podCidr(), options.subnetPrefixLength(),
                options.namePrefix());
        this.names = new NetnsNames(ipam.prefix());
        this.ip = new IpRunner(IpRunner.locate("ip"), options.commandTimeout());
        this.workers = new NetnsWorkers("pod-network");
        this.plumbing = new Plumbing(ip, names, new PodPlumber(names, workers, options.commandTimeout()));
        Thread.ofVirtual().name("native-calls-warm-up").start(PodNetwork::warmUpNativeCalls);
    }

    /** The first attach would wait for it otherwise (see {@link LinuxCalls#warmUp}). */
    private static void warmUpNativeCalls() {
        try {
            LinuxCalls.warmUp();
        } catch (RuntimeException | LinkageError e) {
            LOG.warn("event=native-calls-unavailable error=\"{}\" note=\"pod network attaches and overlay mounts will fail\"",
                    e.toString());
        }
    }

    /** The prefix of every network namespace this node creates (configured or recorded). */
    public String namePrefix() {
        return names.prefix();
    }

    /**
     * {@link #attach} begun on a thread of the network's own and not waited for: the thread that
     * makes the pod's netns (which a virtual thread may not do) runs the whole attach, instead of
     * a virtual thread that starts and joins one.
     */
    public CompletableFuture<PodInterface> attachAsync(PodNetworkRequest req) {
        return workers.supply(() -> attach(req));
    }

    /**
     * Gives the pod a network: its netns with lo and eth0, eth0's peer on the bridge of the
     * pod's Kubernetes namespace (created on first use), an address from the namespace's subnet
     * and a default route via the bridge. Idempotent per uid: a second call returns the same
     * interface and leaves a complete netns alone (the sandbox may be using it); an attach that
     * was interrupted (agent crash) is rebuilt. On failure nothing of this call is left behind.
     *
     * @throws PodNetworkException            if a plumbing step (a system call, an {@code ip} command)
     *                                        fails, or no address is left
     * @throws IllegalArgumentException       if the uid is attached under another namespace
     */
    public PodInterface attach(PodNetworkRequest req) {
        long t0 = System.nanoTime();
        String ns = req.namespace();
        return lockedPod(req.uid(), () -> {
            // The namespace's lock covers its addresses and its bridge; the pod's own plumbing runs
            // beside that of other pods of the namespace (a burst would queue on it otherwise).
            Allocation a = locked(ns, () -> {
                // A reservation of this process left nothing to clear; anything else known may have.
                boolean known = ipam.find(req.uid()).isPresent() && !reserved.remove(req.uid());
                return new Allocation(known, ipam.allocate(req));
            });
            Lease lease = a.lease();
            if (lease.ready() && plumbing.podComplete(req.uid())) {
                return toInterface(lease);
            }
            try {
                locked(ns, () -> {
                    plumbing.ensureBridge(ns, lease.subnet());
                    return null;
                });
                if (a.known() || Files.exists(NetnsNames.path(names.podNetns(req.uid())))) {
                    // What an interrupted attach left goes first. A new uid has nothing (an ip process
                    // less): its lease is written before any plumbing and kept until all of it is gone,
                    // except a reserved one, which markReady writes; a crash in between leaves a netns
                    // without a lease, found here.
                    plumbing.unplumbPod(req.uid(), ns);
                }
                plumbing.plumbPod(lease);
            } catch (RuntimeException e) {
                locked(ns, () -> {
                    undoAttach(req, a.known(), e);
                    return null;
                });
                throw e;
            }
            Lease ready = ipam.markReady(req.uid());
            LOG.info("event=pod-network-attached pod={}/{} uid={} ip={} netns={} durationMs={}", ns, req.name(),
                    req.uid(), ready.ip(), names.podNetns(req.uid()), (System.nanoTime() - t0) / 1_000_000);
            return toInterface(ready);
        });
    }

    /** An attach's address, and whether the uid had one before (its plumbing may be half done). */
    private record Allocation(boolean known, Lease lease) {
    }

    /**
     * Allocates the pod's address as {@link #attach} does first, without making anything: the
     * interface the pod will have (address, netns path), for a caller that prepares the pod while
     * the network is made. {@link #attach} it before anything enters the netns. Idempotent.
     */
    public PodInterface reserve(PodNetworkRequest req) {
        return lockedPod(req.uid(), () -> locked(req.namespace(), () -> {
            boolean known = ipam.find(req.uid()).isPresent();
            // Kept in memory: the attach writes it once, with the netns made (markReady), so the
            // state file's write (with its fsync) is off the pod's preparation.
            var lease = ipam.reserve(req);
            if (!known) {
                reserved.add(req.uid());
            }
            return toInterface(lease);
        }));
    }

    private void undoAttach(PodNetworkRequest req, boolean known, RuntimeException cause) {
        // The bridge may be what broke: have the next attach check it again instead of trusting it.
        plumbing.forgetBridge(req.namespace());
        try {
            plumbing.unplumbPod(req.uid(), req.namespace());
            if (!known) {
                ipam.release(req.uid());
            }
            if (!ipam.hasPods(req.namespace())) {
                plumbing.removeBridge(req.namespace());
            }
        } catch (RuntimeException e) {
            cause.addSuppressed(e);
        }
        LOG.warn("event=pod-network-attach-failed pod={}/{} uid={} error=\"{}\"", req.namespace(), req.name(),
                req.uid(), cause.getMessage());
    }

    /**
     * Takes the pod off the network: removes its veth and netns, frees its address, and removes
     * its namespace's bridge netns if it was the last pod there. Idempotent; a pod never
     * attached is a no-op. Stop the pod's sandbox first: a process still inside the netns keeps
     * it alive (though without eth0).
     */
    public void detach(PodRef pod) {
        String namespace = ipam.find(pod.uid()).map(Lease::namespace).orElse(pod.namespace());
        lockedPod(pod.uid(), () -> locked(namespace, () -> {
            reserved.remove(pod.uid());
            plumbing.unplumbPod(pod.uid(), namespace);
            var released = ipam.release(pod.uid());
            boolean lastPod = !ipam.hasPods(namespace);
            if (lastPod) {
                plumbing.removeBridge(namespace);
            }
            released.ifPresent(l -> LOG.info("event=pod-network-detached pod={}/{} uid={} ip={} bridgeRemoved={}",
                    namespace, l.name(), l.uid(), l.ip(), lastPod));
            return null;
        }));
    }

    /**
     * The pod's interface as attached, or empty if it has no completed network here (never
     * attached, detached, or its netns vanished, e.g. with a host reboot).
     */
    public Optional<PodInterface> find(String podUid) {
        return ipam.find(podUid).filter(Lease::ready)
                .filter(l -> Files.exists(NetnsNames.path(names.podNetns(l.uid())))).map(this::toInterface);
    }

    /**
     * After an agent restart: re-reads the allocations, then removes the netns, veths and
     * addresses of every pod not in {@code liveUids}, netns with this node's prefix that no
     * live pod owns, and bridge netns of namespaces left without pods. Live pods are not
     * touched (a pod whose netns is gone is rebuilt by its next {@link #attach}). Run it before
     * attaching again; concurrent attaches are safe but may be undone if their uid is not live.
     */
    public void reconcile(Set<String> liveUids) {
        ipam.reload();
        plumbing.forgetBridges();
        int removedPods = 0;
        for (var lease : ipam.leases()) {
            if (!liveUids.contains(lease.uid())) {
                detach(new PodRef(lease.namespace(), lease.name(), lease.uid()));
                removedPods++;
            }
        }
        var livePodNetns = new HashSet<String>();
        for (String uid : liveUids) {
            livePodNetns.add(names.podNetns(uid));
            if (ipam.find(uid).isPresent() && !Files.exists(NetnsNames.path(names.podNetns(uid)))) {
                LOG.warn("event=pod-network-missing uid={} netns={} action=\"rebuilt on next attach\"", uid,
                        names.podNetns(uid));
            }
        }
        var liveBridges = new HashSet<String>();
        for (var lease : ipam.leases()) {
            liveBridges.add(names.bridgeNetns(lease.namespace()));
        }
        int orphans = 0;
        for (String netns : ourNetns()) {
            boolean orphanPod = netns.startsWith(names.podPrefix()) && !livePodNetns.contains(netns);
            boolean orphanBridge = netns.startsWith(names.bridgePrefix()) && !liveBridges.contains(netns);
            if (orphanPod || orphanBridge) {
                plumbing.deleteNetns(netns);
                orphans++;
            } else if (netns.startsWith(names.podPrefix()) && ipam.leases().stream()
                    .noneMatch(l -> names.podNetns(l.uid()).equals(netns))) {
                LOG.warn("event=pod-network-unrecorded netns={} action=kept reason=\"live pod without a recorded address\"",
                        netns);
            }
        }
        LOG.info("event=pod-network-reconciled live={} removedPods={} removedNetns={}", liveUids.size(), removedPods,
                orphans);
    }

    /**
     * Re-adds the pod's address to eth0 if missing, with the link up and the default route:
     * runsc removes the address from the veth when it starts and does not put it back, so call
     * this before starting the pod's sandbox again. Call it only while no sandbox uses the
     * netns, or the host kernel would answer for the pod's address beside the sandbox.
     *
     * @return whether the address was missing
     * @throws PodNetworkException.UnknownPod if the pod has no network here
     */
    public boolean restoreAddress(String podUid) {
        var lease = ipam.find(podUid).filter(Lease::ready).orElseThrow(() -> new PodNetworkException.UnknownPod(podUid));
        return lockedPod(podUid, () -> {
            boolean restored = plumbing.restoreAddress(lease);
            if (restored) {
                LOG.info("event=pod-address-restored uid={} ip={}", podUid, lease.ip());
            }
            return restored;
        });
    }

    /**
     * Runs a command inside the pod's network namespace ({@code ip netns exec}), e.g. a probe
     * from the node: {@code busybox nc -w 1 127.0.0.1 8080}. Waits at most 30 s.
     */
    public NetnsExecResult runInNetns(String podUid, List<String> command) {
        return runInNetns(podUid, command, DEFAULT_EXEC_TIMEOUT);
    }

    /**
     * Runs a command inside the pod's network namespace, killing it (and its children) after
     * {@code timeout}. A non-zero exit is a result, not an exception. Thread-safe.
     *
     * @throws PodNetworkException.UnknownPod if the pod has no netns here
     */
    public NetnsExecResult runInNetns(String podUid, List<String> command, Duration timeout) {
        return ip.exec(existingNetns(podUid), command, timeout);
    }

    /**
     * Starts a command inside the pod's network namespace and returns at once, e.g. a server
     * for a test. The caller owns the process and must destroy it.
     *
     * @throws PodNetworkException.UnknownPod if the pod has no netns here
     */
    public Process startInNetns(String podUid, List<String> command) {
        return ip.start(existingNetns(podUid), command);
    }

    /**
     * Runs a command in the network namespace of the bridge the pod is plugged into, from where
     * the pod's IP is reachable as from its node: probes ({@code busybox wget http://POD_IP:8080/})
     * and the like. The pod's own netns does not do for that: a sandbox with its own network
     * stack (runsc) takes eth0 over, so host processes there reach neither the pod's IP nor its
     * loopback. Kills the command (and its children) after {@code timeout}. Thread-safe.
     *
     * @throws PodNetworkException.UnknownPod if the pod has no network here
     */
    public NetnsExecResult runBesidePod(String podUid, List<String> command, Duration timeout) {
        var lease = ipam.find(podUid).filter(Lease::ready).orElseThrow(() -> new PodNetworkException.UnknownPod(podUid));
        String bridge = names.bridgeNetns(lease.namespace());
        if (!Files.exists(NetnsNames.path(bridge))) {
            throw new PodNetworkException.UnknownPod(podUid);
        }
        return ip.exec(bridge, command, timeout);
    }

    private String existingNetns(String podUid) {
        String netns = names.podNetns(podUid);
        if (!Files.exists(NetnsNames.path(netns))) {
            throw new PodNetworkException.UnknownPod(podUid);
        }
        return netns;
    }

    private List<String> ourNetns() {
        if (!Files.isDirectory(NetnsNames.NETNS_DIR)) {
            return List.of();
        }
        try (var files = Files.list(NetnsNames.NETNS_DIR)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(names.prefix() + "-")).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private PodInterface toInterface(Lease lease) {
        String netns = names.podNetns(lease.uid());
        return new PodInterface(lease.uid(), lease.namespace(), netns, NetnsNames.path(netns), NetnsNames.POD_IF,
                lease.ip(), lease.subnet().prefixLength(), lease.gateway());
    }

    /** Serializes the calls about one pod (taken before its namespace's lock, never after). */
    private <T> T lockedPod(String uid, Supplier<T> work) {
        var lock = podLocks[Math.floorMod(uid.hashCode(), podLocks.length)];
        lock.lock();
        try {
            return work.get();
        } finally {
            lock.unlock();
        }
    }

    private static ReentrantLock[] newLocks(int n) {
        var locks = new ReentrantLock[n];
        for (int i = 0; i < n; i++) {
            locks[i] = new ReentrantLock();
        }
        return locks;
    }

    private <T> T locked(String namespace, Supplier<T> work) {
        var lock = locks.computeIfAbsent(namespace, k -> new ReentrantLock());
        lock.lock();
        try {
            return work.get();
        } finally {
            lock.unlock();
        }
    }
}
