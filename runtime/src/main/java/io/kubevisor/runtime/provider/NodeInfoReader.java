package io.kubevisor.runtime.provider;

import java.io.IOException;
import java.math.BigDecimal;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.fabric8.kubernetes.api.model.Quantity;
import io.kubevisor.node.provider.NodeResources;

/**
 * The node as the kubelet describes it: capacity from the host (CPUs, MemTotal, the pod limit,
 * ephemeral storage of the state directory's file system) with configured overrides, allocatable
 * as capacity minus reservations, the InternalIP (configured, or the host's first non-loopback
 * IPv4 address) and Hostname, the runtime's version, the kernel release and the OS's pretty name.
 * Thread-safe. The figures are read from the host at most every {@link #FACTS_TTL}: a pod start
 * asks for them several times (its downward API context, its status), and reading them (the
 * interfaces, the file system's size, five files) cost about 1 ms per ask on a busy node. They
 * change rarely; the kubelet also works from machine facts it read earlier.
 */
final class NodeInfoReader implements NodeFacts {

    /** How long host figures are reused; as long as the node agent's status period. */
    static final Duration FACTS_TTL = Duration.ofSeconds(10);

    private final GvisorProviderConfig config;
    private volatile String runtimeVersion;
    private volatile Read<NodeResources.NodeInfo> info;
    private volatile Read<Optional<String>> primaryIp;

    /** A value and when it was read ({@link System#nanoTime}). */
    private record Read<T>(T value, long at) {
        boolean fresh() {
            return System.nanoTime() - at < FACTS_TTL.toNanos();
        }
    }

    NodeInfoReader(GvisorProviderConfig config) {
        this.config = config;
    }

    NodeResources.NodeInfo nodeInfo() {
        Read<NodeResources.NodeInfo> r = info;
        if (r == null || !r.fresh()) {
            r = new Read<>(readNodeInfo(), System.nanoTime());
            info = r;
        }
        return r.value();
    }

    private NodeResources.NodeInfo readNodeInfo() {
        Map<String, String> capacity = capacity();
        Map<String, String> allocatable = new LinkedHashMap<>();
        capacity.forEach((k, v) -> {
            String reserved = config.capacity().reserved().get(k);
            if (reserved == null) {
                allocatable.put(k, v);
            } else {
                BigDecimal left = new Quantity(v).getNumericalAmount().subtract(new Quantity(reserved).getNumericalAmount())
                        .max(BigDecimal.ZERO);
                allocatable.put(k, format(k, left));
            }
        });
        Map<String, String> addresses = new LinkedHashMap<>();
        String ip = hostIp();
        if (ip != null) {
            addresses.put("InternalIP", ip);
        }
        addresses.put("Hostname", hostname());
        return new NodeResources.NodeInfo(capacity, allocatable, addresses, runtimeVersion(), kernel(), osImage(),
                Map.of(), List.of());
    }

    @Override
    public String hostIp() {
        if (config.internalIp() != null) {
            return config.internalIp();
        }
        Read<Optional<String>> r = primaryIp;
        if (r == null || !r.fresh()) {
            r = new Read<>(Optional.ofNullable(primaryIpv4()), System.nanoTime());
            primaryIp = r;
        }
        return r.value().orElse(null);
    }

    @Override
    public Map<String, Quantity> allocatable() {
        Map<String, Quantity> out = new LinkedHashMap<>();
        nodeInfo().allocatable().forEach((k, v) -> out.put(k, new Quantity(v)));
        return out;
    }

    private Map<String, String> capacity() {
        Map<String, String> c = new LinkedHashMap<>();
        c.put("cpu", Integer.toString(Runtime.getRuntime().availableProcessors()));
        long memKi = memTotalKi();
        if (memKi > 0) {
            c.put("memory", memKi + "Ki");
        }
        try {
            Files.createDirectories(config.stateDir());
            long bytes = Files.getFileStore(config.stateDir()).getTotalSpace();
            c.put("ephemeral-storage", (bytes / 1024) + "Ki");
        } catch (IOException e) {
            // no figure: leave it out
        }
        c.put("pods", Integer.toString(config.capacity().maxPods()));
        c.putAll(config.capacity().overrides());
        return c;
    }

    private static String format(String resource, BigDecimal amount) {
        if (resource.equals("cpu")) {
            return amount.multiply(BigDecimal.valueOf(1000)).toBigInteger() + "m";
        }
        if (resource.equals("memory") || resource.equals("ephemeral-storage")) {
            return amount.divide(BigDecimal.valueOf(1024), 0, java.math.RoundingMode.DOWN).toBigInteger() + "Ki";
        }
        return amount.toBigInteger().toString();
    }

    private String runtimeVersion() {
        String v = runtimeVersion;
        if (v == null) {
            v = config.runtime().version();
            runtimeVersion = v;
        }
        return v;
    }

    static long memTotalKi() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemTotal:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
        return 0;
    }

    static String kernel() {
        try {
            return Files.readString(Path.of("/proc/sys/kernel/osrelease")).strip();
        } catch (IOException e) {
            return "";
        }
    }

    static String osImage() {
        try {
            for (String line : Files.readAllLines(Path.of("/etc/os-release"))) {
                if (line.startsWith("PRETTY_NAME=")) {
                    return line.substring(12).replace("\"", "");
                }
            }
        } catch (IOException e) {
            return "";
        }
        return "";
    }

    static String hostname() {
        try {
            return Files.readString(Path.of("/proc/sys/kernel/hostname")).strip();
        } catch (IOException e) {
            return "localhost";
        }
    }

    /** The first IPv4 address of an up, non-loopback, non-virtual interface, or null. */
    static String primaryIpv4() {
        try {
            for (NetworkInterface nif : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                if (!nif.isUp() || nif.isLoopback() || nif.isVirtual()) {
                    continue;
                }
                for (InetAddress a : Collections.list(nif.getInetAddresses())) {
                    if (a instanceof Inet4Address && !a.isLoopbackAddress() && !a.isLinkLocalAddress()) {
                        return a.getHostAddress();
                    }
                }
            }
        } catch (SocketException e) {
            return null;
        }
        return null;
    }
}
