package io.kubevisor.runtime.provider;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;

/**
 * The downward API: pod fields ({@code fieldRef}) and container resources
 * ({@code resourceFieldRef}) as the kubelet renders them for env vars and downwardAPI volumes.
 * Stateless.
 */
final class FieldRefs {

    private static final Pattern SUBSCRIPT = Pattern.compile("metadata\\.(labels|annotations)\\['(.*)'\\]");

    /**
     * What the pod's runtime adds to its spec.
     *
     * @param podIp       the pod's IP, or null before it has one
     * @param hostIp      the node's InternalIP, or null
     * @param allocatable the node's allocatable cpu and memory: a container without a limit sees them
     */
    record Context(String podIp, String hostIp, Map<String, Quantity> allocatable) {
    }

    private FieldRefs() {
    }

    /**
     * A pod field's value.
     *
     * @param forVolume whole label/annotation maps are allowed in volumes only
     * @throws ContainerConfigException for a path the downward API does not offer
     */
    static String podField(Pod pod, String path, Context ctx, boolean forVolume) {
        var m = pod.getMetadata();
        Matcher sub = SUBSCRIPT.matcher(path);
        if (sub.matches()) {
            Map<String, String> map = sub.group(1).equals("labels") ? m.getLabels() : m.getAnnotations();
            String v = map == null ? null : map.get(sub.group(2));
            return v == null ? "" : v;
        }
        return switch (path) {
            case "metadata.name" -> m.getName();
            case "metadata.namespace" -> m.getNamespace();
            case "metadata.uid" -> m.getUid();
            case "spec.nodeName" -> nullToEmpty(pod.getSpec().getNodeName());
            case "spec.serviceAccountName" -> nullToEmpty(pod.getSpec().getServiceAccountName());
            case "status.hostIP", "status.hostIPs" -> nullToEmpty(ctx.hostIp());
            case "status.podIP", "status.podIPs" -> nullToEmpty(ctx.podIp());
            case "metadata.labels" -> {
                if (!forVolume) {
                    throw unsupported(path);
                }
                yield formatMap(m.getLabels());
            }
            case "metadata.annotations" -> {
                if (!forVolume) {
                    throw unsupported(path);
                }
                yield formatMap(m.getAnnotations());
            }
            default -> throw unsupported(path);
        };
    }

    /**
     * A container resource's value in units of {@code divisor}, rounded up as the kubelet does;
     * a missing limit is the node's allocatable, a missing request 0.
     *
     * @throws ContainerConfigException for an unknown container or resource
     */
    static String resource(Pod pod, String containerName, String resource, Quantity divisor, Context ctx) {
        Container c = find(pod, containerName);
        if (c == null) {
            throw new ContainerConfigException("container " + containerName + " not found in pod "
                    + pod.getMetadata().getName());
        }
        String[] parts = resource.split("\\.", 2);
        if (parts.length != 2 || !(parts[0].equals("limits") || parts[0].equals("requests"))) {
            throw new ContainerConfigException("unsupported container resource : " + resource);
        }
        boolean limits = parts[0].equals("limits");
        String name = parts[1];
        var r = c.getResources();
        Map<String, Quantity> set = r == null ? null : limits ? r.getLimits() : r.getRequests();
        Quantity q = set == null ? null : set.get(name);
        if (q == null && limits) {
            q = ctx.allocatable().get(name);
        }
        BigDecimal value = q == null ? BigDecimal.ZERO : q.getNumericalAmount();
        BigDecimal div = divisor == null ? BigDecimal.ONE : divisor.getNumericalAmount();
        if (div.signum() == 0) {
            div = BigDecimal.ONE;
        }
        return switch (name) {
            case "cpu", "memory", "ephemeral-storage" -> value.divide(div, 0, RoundingMode.CEILING).toPlainString();
            default -> {
                if (name.startsWith("hugepages-")) {
                    yield value.divide(div, 0, RoundingMode.CEILING).toPlainString();
                }
                throw new ContainerConfigException("unsupported container resource : " + resource);
            }
        };
    }

    private static Container find(Pod pod, String name) {
        for (List<Container> list : List.of(nz(pod.getSpec().getContainers()), nz(pod.getSpec().getInitContainers()))) {
            for (Container c : list) {
                if (c.getName().equals(name)) {
                    return c;
                }
            }
        }
        return null;
    }

    /** Sorted {@code key="value"} lines, Go-quoted, as the kubelet writes labels and annotations files. */
    static String formatMap(Map<String, String> map) {
        if (map == null || map.isEmpty()) {
            return "";
        }
        StringBuilder out = new StringBuilder();
        for (var e : new TreeMap<>(map).entrySet()) {
            if (!out.isEmpty()) {
                out.append('\n');
            }
            out.append(e.getKey()).append('=').append(goQuote(e.getValue()));
        }
        return out.toString();
    }

    static String goQuote(String s) {
        StringBuilder out = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            switch (ch) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\t' -> out.append("\\t");
                case '\r' -> out.append("\\r");
                default -> {
                    if (ch < 0x20 || ch == 0x7f) {
                        out.append(String.format("\\x%02x", (int) ch));
                    } else {
                        out.append(ch);
                    }
                }
            }
        }
        return out.append('"').toString();
    }

    private static ContainerConfigException unsupported(String path) {
        return new ContainerConfigException("unsupported fieldPath: " + path);
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }

    static <T> List<T> nz(List<T> l) {
        return l == null ? List.of() : l;
    }
}
