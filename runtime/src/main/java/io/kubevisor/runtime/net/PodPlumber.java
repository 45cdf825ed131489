package io.kubevisor.runtime.net;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

import io.kubevisor.runtime.linux.Errno;
import io.kubevisor.runtime.linux.Fd;
import io.kubevisor.runtime.linux.LinuxCallException;
import io.kubevisor.runtime.linux.LinuxCalls;
import io.kubevisor.runtime.linux.NetnsWorkers;

/**
 * Builds a pod's network namespace in-process, doing what {@code ip netns add}, {@code ip link
 * add … type veth peer …} and an {@code ip -b} batch did with system calls and route-netlink
 * requests: some 2 ms instead of the 10 ms and more of three processes.
 *
 * <p>Everything runs on one of the {@link NetnsWorkers}: the thread moves between network
 * namespaces (unshare into the new pod netns, setns into the bridge netns, then into the pod netns
 * again), and netlink sockets and interface-name lookups act in the namespace of the thread at the
 * time. The worker goes back to the node's netns when the work ends, so no other code ever runs in
 * a namespace it entered, and the caller's thread (often virtual) never leaves the node's.
 * Stateless apart from its settings, so thread-safe.
 *
 * <p>On failure the work stops where it is, and what was made (a netns file, mounted or not, a
 * netns without a veth, a veth without its address) is what {@code Plumbing.unplumbPod} removes.
 */
final class PodPlumber {

    /** This thread's netns: {@code /proc/self} would be the main thread's, which never moves. */
    private static final String THREAD_NETNS = "/proc/thread-self/ns/net";

    private final NetnsNames names;
    private final NetnsWorkers workers;
    private final Duration answerTimeout;

    /**
     * @param workers       the threads that may change netns
     * @param answerTimeout how long to wait for the kernel's answer to one netlink request
     */
    PodPlumber(NetnsNames names, NetnsWorkers workers, Duration answerTimeout) {
        this.names = names;
        this.workers = workers;
        this.answerTimeout = answerTimeout;
    }

    /**
     * The pod's netns with lo up and eth0 at the lease's address with the default route via the
     * gateway, eth0's peer a port of the bridge of the lease's namespace. The bridge netns and
     * {@code /var/run/netns} must exist; a pod netns file that exists already is used as it is
     * (as {@code ip netns add} tolerated). Returns once the work has ended and its thread is back.
     *
     * @throws PodNetworkException.CommandFailed naming the step, its netns and the errno
     */
    void plumb(Lease lease) {
        workers.call("pod-plumbing", () -> {
            plumbOnThisThread(lease);
            return null;
        });
    }

    private void plumbOnThisThread(Lease lease) {
        String pod = names.podNetns(lease.uid());
        String bridge = names.bridgeNetns(lease.namespace());
        String veth = names.hostVeth(lease.uid());
        var addVeth = List.of("link", "add", veth, "master", NetnsNames.BRIDGE, "up", "type", "veth", "peer", "name",
                NetnsNames.POD_IF, "netns", pod);
        // The bridge's netns first: if it is gone there is nothing to make a pod netns for.
        try (Fd bridgeNs = step(bridge, addVeth, () -> openNetns(NetnsNames.path(bridge)));
             Fd podNs = step(pod, List.of("netns", "add", pod), () -> enterNewNetns(NetnsNames.path(pod)))) {
            step(bridge, addVeth, () -> {
                LinuxCalls.setns(bridgeNs, LinuxCalls.CLONE_NEWNET);
                try (var rt = RtNetlink.open(answerTimeout)) {
                    int master = LinuxCalls.ifNameToIndex(NetnsNames.BRIDGE);
                    rt.request(RtNetlink.addVeth(veth, master, NetnsNames.POD_IF, podNs.value()));
                }
            });
            configurePod(pod, podNs, lease);
        }
        // No setns back here: the worker goes home when the task ends, also when it failed.
    }

    /** In the pod's netns: lo up, eth0's address, eth0 up, the default route. */
    private void configurePod(String pod, Fd podNs, Lease lease) {
        String cidr = lease.ip() + "/" + lease.subnet().prefixLength();
        var loUp = List.of("link", "set", "lo", "up");
        try (var rt = step(pod, loUp, () -> {
            LinuxCalls.setns(podNs, LinuxCalls.CLONE_NEWNET);
            return RtNetlink.open(answerTimeout);
        })) {
            step(pod, loUp, () -> rt.request(RtNetlink.setUp(LinuxCalls.ifNameToIndex("lo"))));
            int eth0 = step(pod, List.of("addr", "add", cidr, "dev", NetnsNames.POD_IF), () -> {
                int index = LinuxCalls.ifNameToIndex(NetnsNames.POD_IF);
                rt.request(RtNetlink.addIpv4Address(index, lease.address(), lease.subnet().prefixLength()));
                return index;
            });
            step(pod, List.of("link", "set", NetnsNames.POD_IF, "up"), () -> rt.request(RtNetlink.setUp(eth0)));
            step(pod, List.of("route", "replace", "default", "via", lease.gateway(), "dev", NetnsNames.POD_IF),
                    () -> rt.request(RtNetlink.replaceIpv4DefaultRoute(Ipv4Cidr.parseAddress(lease.gateway()), eth0)));
        }
    }

    private static Fd openNetns(Path file) {
        return LinuxCalls.open(file.toString(), LinuxCalls.O_RDONLY | LinuxCalls.O_CLOEXEC, 0);
    }

    /**
     * Moves this thread into a new netns named {@code file} as {@code ip netns add} makes one: an
     * empty file (mode 0) with the thread's netns bind-mounted onto it. Returns the netns's fd.
     */
    private static Fd enterNewNetns(Path file) {
        try {
            LinuxCalls.open(file.toString(), LinuxCalls.O_RDONLY | LinuxCalls.O_CREAT | LinuxCalls.O_EXCL
                    | LinuxCalls.O_CLOEXEC, 0).close();
        } catch (LinuxCallException e) {
            if (!e.is(Errno.EEXIST)) {
                throw e;
            }
            Fd existing = openNetns(file);
            try {
                LinuxCalls.setns(existing, LinuxCalls.CLONE_NEWNET);
                return existing;
            } catch (RuntimeException notANetns) {
                existing.close();
                throw notANetns;
            }
        }
        try {
            LinuxCalls.unshare(LinuxCalls.CLONE_NEWNET);
            LinuxCalls.mount(THREAD_NETNS, file.toString(), "none", LinuxCalls.MS_BIND, null);
        } catch (LinuxCallException e) {
            // An empty file would pass for a netns to the next "ip -n": take it back now.
            try {
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // unplumbPod's "ip netns del" removes it too.
            }
            throw e;
        }
        return LinuxCalls.open(THREAD_NETNS, LinuxCalls.O_RDONLY | LinuxCalls.O_CLOEXEC, 0);
    }

    /** Runs one step, turning a failed call into the failure of the step it belongs to. */
    private static void step(String netns, List<String> step, Runnable work) {
        step(netns, step, () -> {
            work.run();
            return null;
        });
    }

    private static <T> T step(String netns, List<String> step, Supplier<T> work) {
        try {
            return work.get();
        } catch (LinuxCallException e) {
            throw new PodNetworkException.CommandFailed(netns, step, e);
        }
    }
}
