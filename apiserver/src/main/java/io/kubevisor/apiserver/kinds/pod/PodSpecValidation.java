package io.kubevisor.apiserver.kinds.pod;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.kubevisor.api.FieldError;
import io.kubevisor.apiserver.kinds.support.GoValue;
import io.kubevisor.apiserver.kinds.support.IpAddresses;
import io.kubevisor.apiserver.kinds.support.Nodes;
import io.kubevisor.apiserver.kinds.support.Rules;
import io.kubevisor.apiserver.meta.Validation;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * Checks of a pod spec (ValidatePodSpec) shared by pods and pod templates, with Kubernetes' field
 * paths and messages. Validation never mutates. Stateless.
 */
public final class PodSpecValidation {

    private static final List<String> RESTART = List.of("Always", "OnFailure", "Never");
    private static final List<String> DNS = List.of("ClusterFirstWithHostNet", "ClusterFirst", "Default", "None");
    private static final List<String> OPERATORS = List.of("Equal", "Exists");
    private static final List<String> EFFECTS = List.of("NoSchedule", "PreferNoSchedule", "NoExecute");
    private static final List<String> WHEN_UNSATISFIABLE = List.of("DoNotSchedule", "ScheduleAnyway");
    private static final List<String> PREEMPTION = List.of("Never", "PreemptLowerPriority");

    private PodSpecValidation() {
    }

    /**
     * Validates a pod spec.
     *
     * @param spec         the (defaulted) spec
     * @param path         its field path, e.g. {@code spec} or {@code spec.template.spec}
     * @param extraVolumes names mounts may use besides the spec's volumes (StatefulSet claim templates)
     */
    public static List<FieldError> validate(JsonNode spec, String path, Set<String> extraVolumes) {
        List<FieldError> errs = new ArrayList<>();
        if (spec == null || !spec.isObject()) {
            spec = JsonNodeFactory.instance.objectNode();
        }
        if (!Nodes.has(spec, "terminationGracePeriodSeconds")) {
            errs.add(FieldError.required(path + ".terminationGracePeriodSeconds", ""));
        }
        Map<String, JsonNode> volumes = VolumeValidation.volumes(errs, path + ".volumes", spec);
        for (String extra : extraVolumes) {
            volumes.putIfAbsent(extra, JsonNodeFactory.instance.objectNode());
        }
        Set<String> names = new HashSet<>();
        ContainerValidation.containers(errs, path + ".containers", spec, volumes, names);
        ContainerValidation.initContainers(errs, path + ".initContainers", spec, volumes, names);
        Rules.oneOf(errs, path + ".restartPolicy", Nodes.text(spec, "restartPolicy"), RESTART);
        String dnsPolicy = Nodes.text(spec, "dnsPolicy");
        Rules.oneOf(errs, path + ".dnsPolicy", dnsPolicy, DNS);
        Rules.labels(errs, path + ".nodeSelector", spec.get("nodeSelector"));
        ContainerValidation.ids(errs, path + ".securityContext", spec.get("securityContext"), "runAsUser",
                "runAsGroup", "fsGroup");
        dnsConfig(errs, path + ".dnsConfig", spec, dnsPolicy);
        topologySpread(errs, path + ".topologySpreadConstraints", spec);
        String sa = Nodes.text(spec, "serviceAccountName");
        if (!sa.isEmpty()) {
            Rules.dns1123Subdomain(errs, path + ".serviceAccountName", sa);
        }
        String nodeName = Nodes.text(spec, "nodeName");
        if (!nodeName.isEmpty()) {
            Rules.dns1123Subdomain(errs, path + ".nodeName", nodeName);
        }
        if (Nodes.has(spec, "activeDeadlineSeconds")) {
            long v = spec.get("activeDeadlineSeconds").asLong();
            if (v < 1 || v > Integer.MAX_VALUE) {
                errs.add(FieldError.invalid(path + ".activeDeadlineSeconds", v, Rules.inclusiveRange(1,
                        Integer.MAX_VALUE)));
            }
        }
        for (String f : new String[] {"hostname", "subdomain"}) {
            String v = Nodes.text(spec, f);
            if (!v.isEmpty()) {
                Rules.dns1123Label(errs, path + "." + f, v);
            }
        }
        tolerations(errs, path + ".tolerations", spec);
        String pc = Nodes.text(spec, "priorityClassName");
        if (!pc.isEmpty()) {
            Rules.dns1123Subdomain(errs, path + ".priorityClassName", pc);
        }
        if (Nodes.has(spec, "preemptionPolicy") && !PREEMPTION.contains(Nodes.text(spec, "preemptionPolicy"))) {
            errs.add(FieldError.notSupported(path + ".preemptionPolicy", Nodes.text(spec, "preemptionPolicy"),
                    PREEMPTION));
        }
        return errs;
    }

    /** ValidateTolerations. */
    static void tolerations(List<FieldError> errs, String path, JsonNode spec) {
        List<JsonNode> ts = Nodes.elements(spec, "tolerations");
        for (int i = 0; i < ts.size(); i++) {
            JsonNode t = ts.get(i);
            String p = Rules.index(path, i);
            String key = Nodes.text(t, "key");
            String op = Nodes.text(t, "operator");
            String effect = Nodes.text(t, "effect");
            if (!key.isEmpty()) {
                Rules.qualifiedName(errs, p + ".key", key);
            }
            if (key.isEmpty() && !op.equals("Exists")) {
                errs.add(FieldError.invalid(p + ".operator", op,
                        "operator must be Exists when `key` is empty, which means \"match all values and all keys\""));
            }
            if (Nodes.has(t, "tolerationSeconds") && !effect.equals("NoExecute")) {
                errs.add(FieldError.invalid(p + ".effect", effect, "effect must be 'NoExecute' when `tolerationSeconds` is set"));
            }
            String value = Nodes.text(t, "value");
            switch (op) {
                case "Equal", "" -> {
                    List<String> msgs = Validation.labelValue(value);
                    if (!msgs.isEmpty()) {
                        errs.add(FieldError.invalid(p + ".operator", value, String.join(";", msgs)));
                    }
                }
                case "Exists" -> {
                    if (!value.isEmpty()) {
                        errs.add(FieldError.invalid(p + ".operator", new GoValue(
                                "core.Toleration{Key:" + quote(key) + ", Operator:\"Exists\", Value:" + quote(value)
                                        + ", Effect:" + quote(effect) + "}"),
                                "value must be empty when `operator` is 'Exists'"));
                    }
                }
                default -> errs.add(FieldError.notSupported(p + ".operator", op, OPERATORS));
            }
            if (!effect.isEmpty() && !EFFECTS.contains(effect)) {
                errs.add(FieldError.notSupported(p + ".effect", effect, EFFECTS));
            }
        }
    }

    private static String quote(String s) {
        return GoValue.quote(s);
    }

    private static void dnsConfig(List<FieldError> errs, String p, JsonNode spec, String dnsPolicy) {
        JsonNode cfg = spec.get("dnsConfig");
        if (dnsPolicy.equals("None")) {
            if (cfg == null || cfg.isNull()) {
                errs.add(FieldError.required(p, "must provide `dnsConfig` when `dnsPolicy` is None"));
                return;
            }
            if (!Nodes.hasItems(cfg, "nameservers")) {
                errs.add(FieldError.required(p + ".nameservers",
                        "must provide at least one DNS nameserver when `dnsPolicy` is None"));
            }
        }
        if (cfg == null || !cfg.isObject()) {
            return;
        }
        List<String> servers = Nodes.strings(cfg, "nameservers");
        if (servers.size() > 3) {
            errs.add(FieldError.invalid(p + ".nameservers", GoValue.stringSlice(servers, false), "must not have more than 3 nameservers"));
        }
        for (int i = 0; i < servers.size(); i++) {
            if (IpAddresses.parse(servers.get(i)).isEmpty()) {
                errs.add(FieldError.invalid(Rules.index(p + ".nameservers", i), servers.get(i),
                        "must be a valid IP address"));
            }
        }
        List<String> searches = Nodes.strings(cfg, "searches");
        if (searches.size() > 32) {
            errs.add(FieldError.invalid(p + ".searches", GoValue.stringSlice(searches, false), "must not have more than 32 search paths"));
        }
        for (int i = 0; i < searches.size(); i++) {
            String s = searches.get(i);
            String trimmed = s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
            if (!trimmed.equals(".")) {
                Rules.dns1123Subdomain(errs, Rules.index(p + ".searches", i), trimmed);
            }
        }
    }

    private static void topologySpread(List<FieldError> errs, String path, JsonNode spec) {
        List<JsonNode> cs = Nodes.elements(spec, "topologySpreadConstraints");
        for (int i = 0; i < cs.size(); i++) {
            JsonNode c = cs.get(i);
            String p = Rules.index(path, i);
            long skew = Nodes.number(c, "maxSkew", 0);
            if (skew <= 0) {
                errs.add(FieldError.invalid(p + ".maxSkew", skew, Rules.NOT_POSITIVE));
            }
            if (Nodes.text(c, "topologyKey").isEmpty()) {
                errs.add(FieldError.required(p + ".topologyKey", "can not be empty"));
            }
            String when = Nodes.text(c, "whenUnsatisfiable");
            if (!WHEN_UNSATISFIABLE.contains(when)) {
                errs.add(FieldError.notSupported(p + ".whenUnsatisfiable", when, WHEN_UNSATISFIABLE));
            }
            if (Nodes.has(c, "labelSelector")) {
                Rules.labelSelector(errs, p + ".labelSelector", c.get("labelSelector"));
            }
        }
    }
}
