package io.kubevisor.runtime.provider;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HostAlias;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.kubevisor.runtime.image.ImageConfig;
import io.kubevisor.runtime.sandbox.Resources;

/**
 * What the kubelet derives from a pod spec: its QoS class, its sandbox's limits, hostname,
 * /etc/hosts and /etc/resolv.conf, a container's user. Stateless.
 */
final class PodSpecs {

    private PodSpecs() {
    }

    static String restartPolicy(Pod pod) {
        String p = pod.getSpec().getRestartPolicy();
        return p == null || p.isEmpty() ? "Always" : p;
    }

    /**
     * Whether the pod gets a single-container sandbox (no pause container): one container, no
     * init or ephemeral containers. It starts as fast as the bare runtime, can be checkpointed
     * with its work, and its container can have a terminal ({@code tty}); what it costs is that
     * between a container's exit and its restart nothing holds the pod's loopback (port-forward
     * is refused then, where the kubelet's pause keeps it).
     */
    static boolean singleContainerSandbox(Pod pod) {
        var spec = pod.getSpec();
        return FieldRefs.nz(spec.getContainers()).size() == 1
                && FieldRefs.nz(spec.getInitContainers()).isEmpty()
                && FieldRefs.nz(spec.getEphemeralContainers()).isEmpty();
    }

    /** Guaranteed, Burstable or BestEffort, by the API's rules (requests default to limits). */
    static String qosClass(Pod pod) {
        List<Container> all = new ArrayList<>(FieldRefs.nz(pod.getSpec().getContainers()));
        all.addAll(FieldRefs.nz(pod.getSpec().getInitContainers()));
        boolean any = false;
        boolean guaranteed = true;
        for (Container c : all) {
            Map<String, Quantity> limits = c.getResources() == null || c.getResources().getLimits() == null
                    ? Map.of() : c.getResources().getLimits();
            Map<String, Quantity> requests = c.getResources() == null || c.getResources().getRequests() == null
                    ? Map.of() : c.getResources().getRequests();
            for (String r : List.of("cpu", "memory")) {
                Quantity l = limits.get(r);
                Quantity q = requests.get(r) != null ? requests.get(r) : l;
                if (l != null || q != null) {
                    any = true;
                }
                if (l == null || q == null || l.getNumericalAmount().compareTo(q.getNumericalAmount()) != 0) {
                    guaranteed = false;
                }
            }
        }
        if (!any) {
            return "BestEffort";
        }
        return guaranteed ? "Guaranteed" : "Burstable";
    }

    /**
     * The sandbox's limits: per resource, the sum of the containers' limits if every container
     * has one (else none), at least the largest init container's; CPU shares from the requests.
     */
    static Resources sandboxResources(Pod pod, long pidsLimit) {
        long cpuMillis = effective(pod, "cpu", true).multiply(BigDecimal.valueOf(1000)).longValue();
        long memory = effective(pod, "memory", true).longValue();
        long requestMillis = effective(pod, "cpu", false).multiply(BigDecimal.valueOf(1000)).longValue();
        long shares = requestMillis <= 0 ? 0 : Math.max(2, requestMillis * 1024 / 1000);
        return new Resources(Math.max(0, cpuMillis), shares, Math.max(0, memory), pidsLimit);
    }

    private static BigDecimal effective(Pod pod, String resource, boolean limits) {
        BigDecimal sum = BigDecimal.ZERO;
        for (Container c : FieldRefs.nz(pod.getSpec().getContainers())) {
            Quantity q = amount(c, resource, limits);
            if (q == null) {
                if (limits) {
                    return BigDecimal.ZERO;
                }
                continue;
            }
            sum = sum.add(q.getNumericalAmount());
        }
        for (Container c : FieldRefs.nz(pod.getSpec().getInitContainers())) {
            Quantity q = amount(c, resource, limits);
            if (q == null) {
                if (limits) {
                    return BigDecimal.ZERO;
                }
                continue;
            }
            sum = sum.max(q.getNumericalAmount());
        }
        return sum;
    }

    private static Quantity amount(Container c, String resource, boolean limits) {
        var r = c.getResources();
        if (r == null) {
            return null;
        }
        Map<String, Quantity> m = limits ? r.getLimits() : (r.getRequests() != null && r.getRequests().get(resource) != null
                ? r.getRequests() : r.getLimits());
        return m == null ? null : m.get(resource);
    }

    /** {@code spec.hostname} or the pod's name, cut to 63 characters as the kubelet does. */
    static String hostname(Pod pod) {
        String h = pod.getSpec().getHostname();
        if (h == null || h.isEmpty()) {
            h = pod.getMetadata().getName();
        }
        if (h.length() > 63) {
            h = h.substring(0, 63);
            while (h.endsWith("-") || h.endsWith(".")) {
                h = h.substring(0, h.length() - 1);
            }
        }
        return h;
    }

    /** The kubelet's managed /etc/hosts: localhost lines, the pod's IP and names, then hostAliases. */
    static String etcHosts(Pod pod, String podIp, String clusterDomain) {
        StringBuilder b = new StringBuilder("# Kubernetes-managed hosts file.\n");
        b.append("127.0.0.1\tlocalhost\n");
        b.append("::1\tlocalhost ip6-localhost ip6-loopback\n");
        b.append("fe00::0\tip6-localnet\n");
        b.append("fe00::0\tip6-mcastprefix\n");
        b.append("fe00::1\tip6-allnodes\n");
        b.append("fe00::2\tip6-allrouters\n");
        String host = hostname(pod);
        String sub = pod.getSpec().getSubdomain();
        if (podIp != null) {
            if (sub != null && !sub.isEmpty()) {
                b.append(podIp).append('\t').append(host).append('.').append(sub).append('.')
                        .append(pod.getMetadata().getNamespace()).append(".svc.").append(clusterDomain).append('\t')
                        .append(host).append('\n');
            } else {
                b.append(podIp).append('\t').append(host).append('\n');
            }
        }
        List<HostAlias> aliases = FieldRefs.nz(pod.getSpec().getHostAliases());
        if (!aliases.isEmpty()) {
            b.append("\n# Entries added by HostAliases.\n");
            for (HostAlias a : aliases) {
                b.append(a.getIp()).append('\t').append(String.join("\t", FieldRefs.nz(a.getHostnames()))).append('\n');
            }
        }
        return b.toString();
    }

    /**
     * resolv.conf for the pod. The node's own resolvers are not reachable from the pod network, so
     * every policy but {@code None} gets the cluster's search path and the configured nameserver
     * (a placeholder for the cluster DNS service until one exists); dnsConfig adds nameservers,
     * searches and options ({@code None} uses dnsConfig alone).
     */
    static String resolvConf(Pod pod, String nameserver, String clusterDomain) {
        var spec = pod.getSpec();
        var cfg = spec.getDnsConfig();
        List<String> servers = new ArrayList<>();
        List<String> search = new ArrayList<>();
        List<String> options = new ArrayList<>();
        if (!"None".equals(spec.getDnsPolicy())) {
            String ns = pod.getMetadata().getNamespace();
            search.addAll(List.of(ns + ".svc." + clusterDomain, "svc." + clusterDomain, clusterDomain));
            options.add("ndots:5");
        }
        if (cfg != null) {
            servers.addAll(FieldRefs.nz(cfg.getNameservers()));
            for (String s : FieldRefs.nz(cfg.getSearches())) {
                if (!search.contains(s)) {
                    search.add(s);
                }
            }
            for (var o : FieldRefs.nz(cfg.getOptions())) {
                options.removeIf(x -> x.split(":")[0].equals(o.getName()));
                options.add(o.getValue() == null ? o.getName() : o.getName() + ":" + o.getValue());
            }
        }
        if (servers.isEmpty() && !"None".equals(spec.getDnsPolicy())) {
            servers.add(nameserver);
        }
        StringBuilder b = new StringBuilder();
        if (!search.isEmpty()) {
            b.append("search ").append(String.join(" ", search)).append('\n');
        }
        for (String s : servers) {
            b.append("nameserver ").append(s).append('\n');
        }
        if (!options.isEmpty()) {
            b.append("options ").append(String.join(" ", options)).append('\n');
        }
        return b.toString();
    }

    /**
     * The container's uid and gid: the container's securityContext, else the pod's, else the
     * image's {@code User} (numeric, or a name looked up in the image's /etc/passwd and /etc/group);
     * -1 for the runtime's default (root).
     */
    static long[] user(Pod pod, Container c, ImageConfig image, Path rootfs) {
        long uid = -1;
        long gid = -1;
        var psc = pod.getSpec().getSecurityContext();
        var csc = c.getSecurityContext();
        String imageUser = image == null || image.user() == null ? "" : image.user();
        if (!imageUser.isEmpty()) {
            String[] parts = imageUser.split(":", 2);
            uid = lookup(parts[0], rootfs.resolve("etc/passwd"));
            if (parts.length == 2) {
                gid = lookup(parts[1], rootfs.resolve("etc/group"));
            } else if (uid >= 0) {
                gid = primaryGroup(uid, rootfs.resolve("etc/passwd"));
            }
        }
        if (psc != null && psc.getRunAsUser() != null) {
            uid = psc.getRunAsUser();
        }
        if (psc != null && psc.getRunAsGroup() != null) {
            gid = psc.getRunAsGroup();
        }
        if (csc != null && csc.getRunAsUser() != null) {
            uid = csc.getRunAsUser();
        }
        if (csc != null && csc.getRunAsGroup() != null) {
            gid = csc.getRunAsGroup();
        }
        if (uid >= 0 && gid < 0) {
            gid = primaryGroup(uid, rootfs.resolve("etc/passwd"));
            if (gid < 0) {
                gid = 0;
            }
        }
        return new long[] {uid, gid};
    }

    private static long lookup(String nameOrId, Path file) {
        try {
            return Long.parseLong(nameOrId);
        } catch (NumberFormatException notNumeric) {
            for (String line : lines(file)) {
                String[] f = line.split(":");
                if (f.length > 2 && f[0].equals(nameOrId)) {
                    return Long.parseLong(f[2]);
                }
            }
            return -1;
        }
    }

    private static long primaryGroup(long uid, Path passwd) {
        for (String line : lines(passwd)) {
            String[] f = line.split(":");
            if (f.length > 3 && f[2].equals(Long.toString(uid))) {
                try {
                    return Long.parseLong(f[3]);
                } catch (NumberFormatException e) {
                    return -1;
                }
            }
        }
        return -1;
    }

    private static List<String> lines(Path file) {
        try {
            return Files.isRegularFile(file) ? Files.readAllLines(file) : List.of();
        } catch (IOException e) {
            return List.of();
        }
    }
}
