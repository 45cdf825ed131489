package io.kubevisor.apiserver.admission;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

import io.kubevisor.api.ApiException;
import io.kubevisor.api.FieldError;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Hands out ClusterIPs from the service CIDR and node ports from 30000-32767. What is in use is
 * read from the stored services; addresses handed out but not yet stored are remembered for a
 * minute so concurrent creates cannot get the same one. Thread-safe.
 */
public final class ServiceAllocator {

    private static final int NODE_PORT_MIN = 30000;
    private static final int NODE_PORT_MAX = 32767;
    private static final long HOLD_NANOS = Duration.ofMinutes(1).toNanos();

    private final long first;
    private final long last;
    private final String cidr;
    private final Supplier<List<ObjectNode>> services;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, Long> recentlyAllocated = new HashMap<>();

    /**
     * @param cidr     an IPv4 range such as 10.96.0.0/12; its first address is the kubernetes service's
     * @param services every stored service
     */
    public ServiceAllocator(String cidr, Supplier<List<ObjectNode>> services) {
        this.cidr = cidr;
        this.services = services;
        String[] parts = cidr.split("/");
        if (parts.length != 2) {
            throw new IllegalArgumentException("service CIDR must look like 10.96.0.0/12: " + cidr);
        }
        int bits = Integer.parseInt(parts[1]);
        if (bits < 8 || bits > 30) {
            throw new IllegalArgumentException("service CIDR prefix must be between /8 and /30: " + cidr);
        }
        long base = toLong(parts[0]) & (0xffffffffL << (32 - bits)) & 0xffffffffL;
        long size = 1L << (32 - bits);
        this.first = base + 1;
        this.last = base + size - 2;
    }

    /** The address reserved for the {@code kubernetes} service in {@code default}. */
    public String kubernetesServiceIp() {
        return fromLong(first);
    }

    public synchronized void allocate(ObjectNode svc) {
        ObjectNode spec = svc.get("spec") instanceof ObjectNode s ? s : svc.putObject("spec");
        String type = spec.path("type").asString("ClusterIP");
        if (type.equals("ExternalName")) {
            return;
        }
        long now = System.nanoTime();
        recentlyAllocated.values().removeIf(t -> now - t > HOLD_NANOS);
        Set<String> usedIps = new HashSet<>(recentlyAllocated.keySet());
        Set<Integer> usedPorts = new HashSet<>();
        for (ObjectNode other : services.get()) {
            JsonNode os = other.path("spec");
            for (JsonNode ip : os.path("clusterIPs")) {
                usedIps.add(ip.asString(""));
            }
            usedIps.add(os.path("clusterIP").asString(""));
            for (JsonNode p : os.path("ports")) {
                if (p.path("nodePort").asInt(0) > 0) {
                    usedPorts.add(p.path("nodePort").asInt());
                }
            }
        }
        for (String k : recentlyAllocated.keySet()) {
            if (k.startsWith("port:")) {
                usedPorts.add(Integer.parseInt(k.substring(5)));
            }
        }
        String requested = spec.path("clusterIP").asString("");
        if (requested.isEmpty() && spec.path("clusterIPs").isArray() && !spec.path("clusterIPs").isEmpty()) {
            requested = spec.path("clusterIPs").get(0).asString("");
        }
        String ip;
        if (requested.equals("None")) {
            ip = "None";
        } else if (!requested.isEmpty()) {
            long v;
            try {
                v = toLong(requested);
            } catch (IllegalArgumentException e) {
                throw invalid(svc, requested, "failed to allocate IP " + requested + ": not a valid IP");
            }
            if (v < first || v > last) {
                throw invalid(svc, requested, "failed to allocate IP " + requested
                        + ": the provided IP (" + requested + ") is not in the valid range. The range of valid IPs is "
                        + cidr);
            }
            if (usedIps.contains(requested)) {
                throw invalid(svc, requested, "failed to allocate IP " + requested + ": provided IP is already allocated");
            }
            ip = requested;
        } else {
            ip = pickIp(usedIps);
        }
        spec.put("clusterIP", ip);
        ArrayNode ips = spec.putArray("clusterIPs");
        ips.add(ip);
        if (!ip.equals("None")) {
            recentlyAllocated.put(ip, now);
        }
        if (type.equals("NodePort") || type.equals("LoadBalancer")) {
            for (JsonNode p : spec.path("ports")) {
                if (!(p instanceof ObjectNode po)) {
                    continue;
                }
                int np = po.path("nodePort").asInt(0);
                if (np == 0) {
                    np = pickPort(usedPorts);
                    po.put("nodePort", np);
                } else if (np < NODE_PORT_MIN || np > NODE_PORT_MAX || usedPorts.contains(np)) {
                    throw new ApiException.Invalid("", "Service", svc.path("metadata").path("name").asString(""),
                            List.of(FieldError.invalid("spec.ports[0].nodePort", np,
                                    "provided port is already allocated or not in the valid range "
                                            + NODE_PORT_MIN + "-" + NODE_PORT_MAX)));
                }
                usedPorts.add(np);
                recentlyAllocated.put("port:" + np, now);
            }
        }
    }

    private String pickIp(Set<String> used) {
        long size = last - first + 1;
        for (int attempt = 0; attempt < 64; attempt++) {
            long v = first + 1 + (long) (random.nextDouble() * (size - 1));
            String s = fromLong(Math.min(v, last));
            if (!used.contains(s)) {
                return s;
            }
        }
        for (long v = first + 1; v <= last; v++) {
            String s = fromLong(v);
            if (!used.contains(s)) {
                return s;
            }
        }
        throw new ApiException.InternalError("failed to allocate a serviceIP: range is full");
    }

    private int pickPort(Set<Integer> used) {
        for (int attempt = 0; attempt < 64; attempt++) {
            int p = NODE_PORT_MIN + random.nextInt(NODE_PORT_MAX - NODE_PORT_MIN + 1);
            if (!used.contains(p)) {
                return p;
            }
        }
        for (int p = NODE_PORT_MIN; p <= NODE_PORT_MAX; p++) {
            if (!used.contains(p)) {
                return p;
            }
        }
        throw new ApiException.InternalError("failed to allocate a nodePort: range is full");
    }

    private static ApiException invalid(ObjectNode svc, String ip, String why) {
        return new ApiException.Invalid("", "Service", svc.path("metadata").path("name").asString(""),
                List.of(FieldError.invalid("spec.clusterIPs", "[]string{\"" + ip + "\"}", why)));
    }

    private static long toLong(String ip) {
        try {
            byte[] b = InetAddress.getByName(ip).getAddress();
            if (b.length != 4 || !ip.matches("[0-9.]+")) {
                throw new IllegalArgumentException("not an IPv4 address: " + ip);
            }
            return ((b[0] & 0xffL) << 24) | ((b[1] & 0xffL) << 16) | ((b[2] & 0xffL) << 8) | (b[3] & 0xffL);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an IPv4 address: " + ip, e);
        }
    }

    private static String fromLong(long v) {
        return ((v >> 24) & 0xff) + "." + ((v >> 16) & 0xff) + "." + ((v >> 8) & 0xff) + "." + (v & 0xff);
    }
}
