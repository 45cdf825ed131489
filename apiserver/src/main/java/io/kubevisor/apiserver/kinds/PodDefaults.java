package io.kubevisor.apiserver.kinds;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Kubernetes' defaults for a pod spec, shared by pods and every pod template (deployments,
 * jobs, ...). Mirrors what {@code kubectl get -o yaml} shows on a real cluster.
 */
final class PodDefaults {

    private PodDefaults() {
    }

    static void apply(ObjectNode spec) {
        Objects.putIfAbsent(spec, "restartPolicy", "Always");
        Objects.putIfAbsent(spec, "dnsPolicy", "ClusterFirst");
        Objects.putIfAbsent(spec, "terminationGracePeriodSeconds", 30);
        Objects.putIfAbsent(spec, "schedulerName", "default-scheduler");
        Objects.putIfAbsent(spec, "enableServiceLinks", true);
        if (!spec.hasNonNull("securityContext")) {
            spec.putObject("securityContext");
        }
        for (String list : new String[] {"containers", "initContainers", "ephemeralContainers"}) {
            JsonNode cs = spec.get(list);
            if (cs instanceof ArrayNode arr) {
                for (JsonNode c : arr) {
                    if (c instanceof ObjectNode co) {
                        container(co);
                    }
                }
            }
        }
        JsonNode vols = spec.get("volumes");
        if (vols instanceof ArrayNode arr) {
            for (JsonNode v : arr) {
                if (v instanceof ObjectNode vo) {
                    volume(vo);
                }
            }
        }
    }

    private static void container(ObjectNode c) {
        Objects.putIfAbsent(c, "terminationMessagePath", "/dev/termination-log");
        Objects.putIfAbsent(c, "terminationMessagePolicy", "File");
        if (!c.hasNonNull("imagePullPolicy")) {
            c.put("imagePullPolicy", defaultPullPolicy(c.path("image").asString("")));
        }
        if (!c.hasNonNull("resources")) {
            c.putObject("resources");
        }
        JsonNode ports = c.get("ports");
        if (ports instanceof ArrayNode arr) {
            for (JsonNode p : arr) {
                if (p instanceof ObjectNode po) {
                    Objects.putIfAbsent(po, "protocol", "TCP");
                }
            }
        }
        JsonNode env = c.get("env");
        if (env instanceof ArrayNode arr) {
            for (JsonNode e : arr) {
                JsonNode fieldRef = e.path("valueFrom").get("fieldRef");
                if (fieldRef instanceof ObjectNode fr) {
                    Objects.putIfAbsent(fr, "apiVersion", "v1");
                }
            }
        }
        for (String probe : new String[] {"livenessProbe", "readinessProbe", "startupProbe"}) {
            if (c.get(probe) instanceof ObjectNode p) {
                Objects.putIfAbsent(p, "timeoutSeconds", 1);
                Objects.putIfAbsent(p, "periodSeconds", 10);
                Objects.putIfAbsent(p, "successThreshold", 1);
                Objects.putIfAbsent(p, "failureThreshold", 3);
                if (p.get("httpGet") instanceof ObjectNode h) {
                    Objects.putIfAbsent(h, "scheme", "HTTP");
                    Objects.putIfAbsent(h, "path", "/");
                }
            }
        }
    }

    /** Always for ":latest" or untagged images, IfNotPresent otherwise (digests too). */
    static String defaultPullPolicy(String image) {
        if (image.contains("@")) {
            return "IfNotPresent";
        }
        int slash = image.lastIndexOf('/');
        String last = slash < 0 ? image : image.substring(slash + 1);
        int colon = last.lastIndexOf(':');
        if (colon < 0 || last.substring(colon + 1).equals("latest")) {
            return "Always";
        }
        return "IfNotPresent";
    }

    private static void volume(ObjectNode v) {
        for (String src : new String[] {"configMap", "secret", "projected", "downwardAPI"}) {
            if (v.get(src) instanceof ObjectNode s) {
                Objects.putIfAbsent(s, "defaultMode", 420);
            }
        }
        if (v.get("downwardAPI") instanceof ObjectNode d && d.get("items") instanceof ArrayNode items) {
            for (JsonNode i : items) {
                if (i.path("fieldRef") instanceof ObjectNode fr) {
                    Objects.putIfAbsent(fr, "apiVersion", "v1");
                }
            }
        }
    }
}
