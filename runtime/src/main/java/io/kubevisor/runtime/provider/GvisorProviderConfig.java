package io.kubevisor.runtime.provider;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

import io.kubevisor.node.provider.PodResources;
import io.kubevisor.runtime.image.ImageStore;
import io.kubevisor.runtime.net.PodNetwork;
import io.kubevisor.runtime.sandbox.SandboxRuntime;

/**
 * Everything a {@link GvisorProvider} needs. Immutable; the {@code with*} methods return copies.
 *
 * @param nodeName      the node's name ({@code spec.nodeName} of its pods)
 * @param stateDir      the provider's own directory: {@code pods/} (one state directory per pod, what
 *                      a restarted agent re-adopts from), {@code volumes/} (the pods' volumes) and
 *                      {@code logs/} (CRI logs, {@code <ns>_<name>_<uid>/<container>/<restartCount>.log});
 *                      must survive agent restarts
 * @param runtime       the sandbox runtime (runsc); the provider uses its optional
 *                      {@code SandboxExec} and {@code SandboxStats} when present
 * @param images        the node's image store
 * @param network       the node's pod network
 * @param resources     how ConfigMaps and Secrets are read (the agent's client)
 * @param capacity      what the node offers pods
 * @param internalIp    the node's InternalIP (also the pods' hostIP); null picks the host's primary
 *                      non-loopback IPv4 address. Use 127.0.0.1 when the API server reaches the
 *                      kubelet endpoint over loopback
 * @param nameserver    the nameserver written to pods' resolv.conf when their dnsConfig names none:
 *                      a placeholder for the cluster DNS service (pods cannot reach the node's own
 *                      resolvers from the pod network)
 * @param clusterDomain the cluster's DNS domain ({@code cluster.local})
 * @param busybox       a static busybox on the host, run beside pods for httpGet/tcpSocket probes
 * @param syncInterval  how often each pod's worker looks at its containers (exit detection latency)
 * @param volumeResync  how often configMap, secret, downwardAPI and projected volumes are rewritten
 *                      from their sources when those changed
 * @param podPidsLimit  each pod sandbox's process limit (0: none); the runtime adds its own tasks
 * @param clock         stamps statuses and drives back-offs and probes
 */
public record GvisorProviderConfig(String nodeName, Path stateDir, SandboxRuntime runtime, ImageStore images,
                                   PodNetwork network, PodResources resources, NodeCapacity capacity,
                                   String internalIp, String nameserver, String clusterDomain, Path busybox,
                                   Duration syncInterval, Duration volumeResync, long podPidsLimit, Clock clock) {

    /** The placeholder cluster DNS address (kubeadm's default service IP for CoreDNS). */
    public static final String DEFAULT_NAMESERVER = "10.96.0.10";

    /**
     * What the node offers pods.
     *
     * @param overrides capacity values that replace what the host reports ("cpu" → "4", "memory" → "8Gi")
     * @param reserved  subtracted from capacity to give allocatable (system and kube reservations)
     * @param maxPods   the pods capacity (the kubelet's 110)
     */
    public record NodeCapacity(Map<String, String> overrides, Map<String, String> reserved, int maxPods) {
        public NodeCapacity {
            overrides = Map.copyOf(overrides);
            reserved = Map.copyOf(reserved);
            if (maxPods < 1) {
                throw new IllegalArgumentException("maxPods must be at least 1");
            }
        }

        /** The host's own figures, nothing reserved, 110 pods. */
        public static NodeCapacity ofHost() {
            return new NodeCapacity(Map.of(), Map.of(), 110);
        }
    }

    public GvisorProviderConfig {
        Objects.requireNonNull(nodeName, "nodeName");
        Objects.requireNonNull(stateDir, "stateDir");
        Objects.requireNonNull(runtime, "runtime");
        Objects.requireNonNull(images, "images");
        Objects.requireNonNull(network, "network");
        Objects.requireNonNull(resources, "resources");
        Objects.requireNonNull(capacity, "capacity");
        Objects.requireNonNull(nameserver, "nameserver");
        Objects.requireNonNull(clusterDomain, "clusterDomain");
        Objects.requireNonNull(busybox, "busybox");
        Objects.requireNonNull(syncInterval, "syncInterval");
        Objects.requireNonNull(volumeResync, "volumeResync");
        Objects.requireNonNull(clock, "clock");
        stateDir = stateDir.toAbsolutePath();
        if (!syncInterval.isPositive() || !volumeResync.isPositive()) {
            throw new IllegalArgumentException("intervals must be positive");
        }
    }

    /**
     * The defaults: host capacity, auto InternalIP, nameserver {@value #DEFAULT_NAMESERVER},
     * {@code cluster.local}, {@code /bin/busybox}, a 500 ms sync, a 60 s volume resync, 4096 pids
     * per pod, the system clock.
     */
    public static GvisorProviderConfig of(String nodeName, Path stateDir, SandboxRuntime runtime, ImageStore images,
                                          PodNetwork network, PodResources resources) {
        return new GvisorProviderConfig(nodeName, stateDir, runtime, images, network, resources,
                NodeCapacity.ofHost(), null, DEFAULT_NAMESERVER, "cluster.local", Path.of("/bin/busybox"),
                Duration.ofMillis(500), Duration.ofSeconds(60), 4096, Clock.systemUTC());
    }

    public GvisorProviderConfig withCapacity(NodeCapacity c) {
        return new GvisorProviderConfig(nodeName, stateDir, runtime, images, network, resources, c, internalIp,
                nameserver, clusterDomain, busybox, syncInterval, volumeResync, podPidsLimit, clock);
    }

    public GvisorProviderConfig withInternalIp(String ip) {
        return new GvisorProviderConfig(nodeName, stateDir, runtime, images, network, resources, capacity, ip,
                nameserver, clusterDomain, busybox, syncInterval, volumeResync, podPidsLimit, clock);
    }

    public GvisorProviderConfig withDns(String server, String domain) {
        return new GvisorProviderConfig(nodeName, stateDir, runtime, images, network, resources, capacity, internalIp,
                server, domain, busybox, syncInterval, volumeResync, podPidsLimit, clock);
    }

    public GvisorProviderConfig withVolumeResync(Duration d) {
        return new GvisorProviderConfig(nodeName, stateDir, runtime, images, network, resources, capacity, internalIp,
                nameserver, clusterDomain, busybox, syncInterval, d, podPidsLimit, clock);
    }

    public GvisorProviderConfig withPodPidsLimit(long pids) {
        return new GvisorProviderConfig(nodeName, stateDir, runtime, images, network, resources, capacity, internalIp,
                nameserver, clusterDomain, busybox, syncInterval, volumeResync, pids, clock);
    }

    public GvisorProviderConfig withClock(Clock c) {
        return new GvisorProviderConfig(nodeName, stateDir, runtime, images, network, resources, capacity, internalIp,
                nameserver, clusterDomain, busybox, syncInterval, volumeResync, podPidsLimit, c);
    }
}
