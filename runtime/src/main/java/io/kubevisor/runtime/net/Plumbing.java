package io.kubevisor.runtime.net;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

import io.kubevisor.runtime.net.PodNetworkException.CommandFailed.Kind;

/**
 * The {@code ip} command sequences that build and tear down bridges and pod interfaces, and the
 * in-process {@link PodPlumber} for the one on every pod start. Every link is created inside a
 * named network namespace ({@code ip -n}, or a thread moved into it); the only commands that act
 * in the agent's own namespace are {@code ip netns add/del}, which only create or remove the
 * namespace files. Callers hold the Kubernetes namespace's lock; this class adds only a lock
 * around {@code ip netns add/del} (iproute2 races when several processes set up
 * {@code /run/netns} at once; the in-process plumbing never sets it up, so it needs no lock).
 */
final class Plumbing {

    /**
     * The bridge netns routes nothing: no forwarding (IPv4 inherits the host's setting in a new
     * netns otherwise), and no IPv6 at all so the gateway cannot become an IPv6 router either.
     * {@code -e}: a kernel without IPv6 lacks those keys.
     */
    private static final List<String> BRIDGE_SYSCTLS = List.of(IpRunner.locate("sysctl"), "-e", "-q", "-w",
        "net.ipv4.ip_forward=0", "net.ipv4.conf.all.forwarding=0", "net.ipv4.conf.default.forwarding=0",
        "net.ipv6.conf.all.forwarding=0", "net.ipv6.conf.all.disable_ipv6=1",
        "net.ipv6.conf.default.disable_ipv6=1");

    private final IpRunner ip;
    private final NetnsNames names;
    private final PodPlumber plumber;
    private final ReentrantLock netnsFiles = new ReentrantLock();
    /** Bridges completed by this process: re-checking them on every attach would cost commands. */
    private final Set<String> readyBridges = ConcurrentHashMap.newKeySet();

    Plumbing(IpRunner ip, NetnsNames names, PodPlumber plumber) {
        this.ip = ip;
        this.names = names;
        this.plumber = plumber;
    }

    /** Creates the namespace's bridge netns, bridge and gateway address unless present. */
    void ensureBridge(String namespace, Ipv4Cidr subnet) {
        String ns = names.bridgeNetns(namespace);
        boolean existed = Files.exists(NetnsNames.path(ns));
        if (existed && readyBridges.contains(namespace)) {
            return;
        }
        String gateway = Ipv4Cidr.format(subnet.host(1)) + "/" + subnet.prefixLength();
        if (existed) {
            // Left by an earlier run: complete it step by step, each step tolerating "done".
            ip.execChecked(ns, BRIDGE_SYSCTLS);
            ip.ipUnless(Kind.EXISTS, ns, "link", "add", NetnsNames.BRIDGE, "type", "bridge");
            ip.ipUnless(Kind.EXISTS, ns, "addr", "add", gateway, "dev", NetnsNames.BRIDGE);
            ip.ip(ns, "link", "set", NetnsNames.BRIDGE, "up");
        } else {
            addNetns(ns);
            ip.execChecked(ns, BRIDGE_SYSCTLS);
            ip.batch(ns, List.of(
                    List.of("link", "add", NetnsNames.BRIDGE, "up", "type", "bridge"),
                    List.of("addr", "add", gateway, "dev", NetnsNames.BRIDGE)));
        }
        readyBridges.add(namespace);
    }

    /** Removes the namespace's bridge netns (and with it the bridge). Idempotent. */
    void removeBridge(String namespace) {
        readyBridges.remove(namespace);
        deleteNetns(names.bridgeNetns(namespace));
    }

    /**
     * Builds the pod's netns from nothing: a veth created in the bridge netns as a port of the
     * bridge, whose other end is eth0 in the pod's netns; then lo and eth0 up, the address and
     * the default route via the gateway. The bridge must exist. No process: {@link PodPlumber}
     * makes system calls, unless {@code /var/run/netns} is missing (it never is after
     * {@link #ensureBridge}): iproute2 then makes the pod's netns and sets the directory up.
     */
    void plumbPod(Lease lease) {
        if (!Files.isDirectory(NetnsNames.NETNS_DIR)) {
            addNetns(names.podNetns(lease.uid()));
        }
        plumber.plumb(lease);
    }

    private void configureAddress(String pod, Lease lease) {
        ip.ipUnless(Kind.EXISTS, pod, "addr", "add", lease.ip() + "/" + lease.subnet().prefixLength(),
                "dev", NetnsNames.POD_IF);
        ip.ip(pod, "link", "set", NetnsNames.POD_IF, "up");
        ip.ip(pod, "route", "replace", "default", "via", lease.gateway(), "dev", NetnsNames.POD_IF);
    }

    /**
     * Removes the pod's veth (both ends at once, so the pod is off the bridge even if a
     * process still holds its netns) and its netns. Idempotent.
     */
    void unplumbPod(String uid, String namespace) {
        String pod = names.podNetns(uid);
        String bridge = names.bridgeNetns(namespace);
        // Deleting either end deletes the pair; without the pod netns only the bridge end is left.
        if (holdsNetns(NetnsNames.path(pod))) {
            ip.ipUnless(Kind.NOT_FOUND, pod, "link", "del", NetnsNames.POD_IF);
        } else if (Files.exists(NetnsNames.path(bridge))) {
            ip.ipUnless(Kind.NOT_FOUND, bridge, "link", "del", names.hostVeth(uid));
        }
        deleteNetns(pod);
    }

    /** Whether the pod's netns exists with its eth0 in it (the address may be runsc's now). */
    boolean podComplete(String uid) {
        String pod = names.podNetns(uid);
        if (!holdsNetns(NetnsNames.path(pod))) {
            return false;
        }
        try {
            ip.ip(pod, "link", "show", NetnsNames.POD_IF);
            return true;
        } catch (PodNetworkException.CommandFailed e) {
            if (e.kind() == Kind.NOT_FOUND) {
                return false;
            }
            throw e;
        }
    }

    /**
     * Puts the pod's address, link state and default route back if missing. Returns whether
     * the address had to be added.
     */
    boolean restoreAddress(Lease lease) {
        String pod = names.podNetns(lease.uid());
        String shown = ip.ip(pod, "-o", "-4", "addr", "show", "dev", NetnsNames.POD_IF);
        boolean missing = !containsAddress(shown, lease.ip() + "/" + lease.subnet().prefixLength());
        configureAddress(pod, lease);
        return missing;
    }

    /** Whether {@code ip -o addr show} output lists exactly this address (not a longer one). */
    static boolean containsAddress(String ipAddrShow, String cidr) {
        for (String token : ipAddrShow.split("\\s+")) {
            if (token.equals(cidr)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether a netns is mounted on the file, so that {@code ip -n} can enter it. A file left
     * empty (a crash between its creation and the mount) has its directory's device; a mounted
     * one the nsfs's.
     */
    static boolean holdsNetns(Path file) {
        try {
            return !Files.getAttribute(file, "unix:dev").equals(Files.getAttribute(file.getParent(), "unix:dev"));
        } catch (IOException e) {
            return false;
        }
    }

    void forgetBridges() {
        readyBridges.clear();
    }

    void forgetBridge(String namespace) {
        readyBridges.remove(namespace);
    }

    void addNetns(String netns) {
        netnsFiles.lock();
        try {
            ip.ipUnless(Kind.EXISTS, null, "netns", "add", netns);
        } finally {
            netnsFiles.unlock();
        }
    }

    void deleteNetns(String netns) {
        if (!Files.exists(NetnsNames.path(netns))) {
            return;
        }
        netnsFiles.lock();
        try {
            ip.ipUnless(Kind.NOT_FOUND, null, "netns", "del", netns);
        } finally {
            netnsFiles.unlock();
        }
    }
}
