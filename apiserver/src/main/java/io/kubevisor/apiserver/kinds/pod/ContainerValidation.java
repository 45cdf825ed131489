package io.kubevisor.apiserver.kinds.pod;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.kubevisor.api.FieldError;
import io.kubevisor.apiserver.kinds.support.Nodes;
import io.kubevisor.apiserver.kinds.support.Rules;
import tools.jackson.databind.JsonNode;

/**
 * Checks of regular and init containers (validateContainers, validateInitContainers and
 * validateContainerCommon), in Kubernetes' order so multi-error messages read the same.
 */
final class ContainerValidation {

    private static final List<String> PULL_POLICIES = List.of("Always", "IfNotPresent", "Never");
    private static final List<String> MESSAGE_POLICIES = List.of("File", "FallbackToLogsOnError");
    private static final List<String> PROTOCOLS = List.of("SCTP", "TCP", "UDP");
    private static final List<String> SCHEMES = List.of("HTTP", "HTTPS");
    private static final String INIT_ONLY = "may not be set for init containers without restartPolicy=Always";
    private static final long MAX_ID = Integer.MAX_VALUE;

    private ContainerValidation() {
    }

    static void containers(List<FieldError> errs, String path, JsonNode spec, Map<String, JsonNode> volumes,
                           Set<String> names) {
        List<JsonNode> cs = Nodes.elements(spec, "containers");
        if (cs.isEmpty()) {
            errs.add(FieldError.required(path, ""));
            return;
        }
        Set<String> hostPorts = new HashSet<>();
        for (int i = 0; i < cs.size(); i++) {
            JsonNode c = cs.get(i);
            String p = Rules.index(path, i);
            common(errs, p, c, volumes);
            String name = Nodes.text(c, "name");
            if (!names.add(name)) {
                errs.add(FieldError.duplicate(p + ".name", name));
            }
            if (Nodes.has(c, "lifecycle")) {
                lifecycle(errs, p + ".lifecycle", c.get("lifecycle"));
            }
            probes(errs, p, c);
            if (Nodes.has(c, "restartPolicy")) {
                errs.add(FieldError.forbidden(p + ".restartPolicy", "may not be set for non-init containers"));
            }
        }
        for (int i = 0; i < cs.size(); i++) {
            hostPorts(errs, Rules.index(path, i), cs.get(i), hostPorts);
        }
    }

    static void initContainers(List<FieldError> errs, String path, JsonNode spec, Map<String, JsonNode> volumes,
                               Set<String> names) {
        List<JsonNode> cs = Nodes.elements(spec, "initContainers");
        for (int i = 0; i < cs.size(); i++) {
            JsonNode c = cs.get(i);
            String p = Rules.index(path, i);
            common(errs, p, c, volumes);
            boolean sidecar = false;
            if (Nodes.has(c, "restartPolicy")) {
                String rp = Nodes.text(c, "restartPolicy");
                if (!rp.equals("Always")) {
                    errs.add(FieldError.notSupported(p + ".restartPolicy", rp, List.of("Always")));
                }
                sidecar = rp.equals("Always");
            }
            String name = Nodes.text(c, "name");
            if (names.contains(name)) {
                errs.add(FieldError.duplicate(p + ".name", name));
            } else if (!name.isEmpty()) {
                names.add(name);
            }
            hostPorts(errs, p, c, new HashSet<>());
            if (sidecar) {
                if (Nodes.has(c, "lifecycle")) {
                    lifecycle(errs, p + ".lifecycle", c.get("lifecycle"));
                }
                probes(errs, p, c);
            } else {
                for (String f : new String[] {"lifecycle", "livenessProbe", "readinessProbe", "startupProbe"}) {
                    if (Nodes.has(c, f)) {
                        errs.add(FieldError.forbidden(p + "." + f, INIT_ONLY));
                    }
                }
            }
        }
    }

    /** validateContainerCommon. */
    private static void common(List<FieldError> errs, String p, JsonNode c, Map<String, JsonNode> volumes) {
        String name = Nodes.text(c, "name");
        if (name.isEmpty()) {
            errs.add(FieldError.required(p + ".name", ""));
        } else {
            Rules.dns1123Label(errs, p + ".name", name);
        }
        if (Nodes.text(c, "image").isEmpty()) {
            errs.add(FieldError.required(p + ".image", ""));
        }
        Rules.oneOf(errs, p + ".terminationMessagePolicy", Nodes.text(c, "terminationMessagePolicy"),
                MESSAGE_POLICIES);
        ports(errs, p + ".ports", c);
        EnvValidation.env(errs, p + ".env", c);
        EnvValidation.envFrom(errs, p + ".envFrom", c);
        VolumeValidation.mounts(errs, p + ".volumeMounts", c, volumes);
        Rules.oneOf(errs, p + ".imagePullPolicy", Nodes.text(c, "imagePullPolicy"), PULL_POLICIES);
        ResourceValidation.requirements(errs, p + ".resources", c.get("resources"));
        securityContext(errs, p + ".securityContext", c.get("securityContext"));
    }

    private static void ports(List<FieldError> errs, String path, JsonNode c) {
        Set<String> names = new HashSet<>();
        List<JsonNode> ports = Nodes.elements(c, "ports");
        for (int i = 0; i < ports.size(); i++) {
            JsonNode port = ports.get(i);
            String p = Rules.index(path, i);
            String name = Nodes.text(port, "name");
            if (!name.isEmpty()) {
                List<String> msgs = Rules.portName(name);
                if (!msgs.isEmpty()) {
                    msgs.forEach(m -> errs.add(FieldError.invalid(p + ".name", name, m)));
                } else if (!names.add(name)) {
                    errs.add(FieldError.duplicate(p + ".name", name));
                }
            }
            long containerPort = Nodes.number(port, "containerPort", 0);
            if (containerPort == 0) {
                errs.add(FieldError.required(p + ".containerPort", ""));
            } else {
                Rules.portNumber(containerPort).forEach(m -> errs.add(FieldError.invalid(p + ".containerPort",
                        containerPort, m)));
            }
            long hostPort = Nodes.number(port, "hostPort", 0);
            if (hostPort != 0) {
                Rules.portNumber(hostPort).forEach(m -> errs.add(FieldError.invalid(p + ".hostPort", hostPort, m)));
            }
            Rules.oneOf(errs, p + ".protocol", Nodes.text(port, "protocol"), PROTOCOLS);
        }
    }

    private static void hostPorts(List<FieldError> errs, String p, JsonNode c, Set<String> seen) {
        List<JsonNode> ports = Nodes.elements(c, "ports");
        for (int i = 0; i < ports.size(); i++) {
            long hostPort = Nodes.number(ports.get(i), "hostPort", 0);
            if (hostPort == 0) {
                continue;
            }
            String key = Nodes.text(ports.get(i), "protocol") + "/" + Nodes.text(ports.get(i), "hostIP") + "/" + hostPort;
            if (!seen.add(key)) {
                errs.add(FieldError.duplicate(Rules.index(p + ".ports", i) + ".hostPort", key));
            }
        }
    }

    private static void probes(List<FieldError> errs, String p, JsonNode c) {
        if (Nodes.has(c, "livenessProbe")) {
            probe(errs, p + ".livenessProbe", c.get("livenessProbe"));
            successOne(errs, p + ".livenessProbe", c.get("livenessProbe"));
        }
        if (Nodes.has(c, "readinessProbe")) {
            probe(errs, p + ".readinessProbe", c.get("readinessProbe"));
            if (Nodes.has(c.get("readinessProbe"), "terminationGracePeriodSeconds")) {
                errs.add(FieldError.invalid(p + ".readinessProbe.terminationGracePeriodSeconds",
                        c.get("readinessProbe").get("terminationGracePeriodSeconds").asLong(),
                        "must not be set for readinessProbes"));
            }
        }
        if (Nodes.has(c, "startupProbe")) {
            probe(errs, p + ".startupProbe", c.get("startupProbe"));
            successOne(errs, p + ".startupProbe", c.get("startupProbe"));
        }
    }

    private static void successOne(List<FieldError> errs, String p, JsonNode probe) {
        long s = Nodes.number(probe, "successThreshold", 0);
        if (s != 1) {
            errs.add(FieldError.invalid(p + ".successThreshold", s, "must be 1"));
        }
    }

    private static void probe(List<FieldError> errs, String p, JsonNode probe) {
        handler(errs, p, probe, false);
        for (String f : new String[] {"initialDelaySeconds", "timeoutSeconds", "periodSeconds", "successThreshold",
            "failureThreshold"}) {
            Rules.nonNegative(errs, p + "." + f, probe, f);
        }
        if (Nodes.has(probe, "terminationGracePeriodSeconds")
                && probe.get("terminationGracePeriodSeconds").asLong() <= 0) {
            errs.add(FieldError.invalid(p + ".terminationGracePeriodSeconds",
                    probe.get("terminationGracePeriodSeconds").asLong(), "must be greater than 0"));
        }
    }

    private static void lifecycle(List<FieldError> errs, String p, JsonNode lc) {
        for (String hook : new String[] {"postStart", "preStop"}) {
            if (Nodes.has(lc, hook)) {
                handler(errs, p + "." + hook, lc.get(hook), true);
            }
        }
    }

    /** validateHandler: exactly one action, each well-formed. */
    private static void handler(List<FieldError> errs, String p, JsonNode h, boolean allowSleep) {
        int count = 0;
        for (String type : new String[] {"exec", "httpGet", "tcpSocket", "grpc", "sleep"}) {
            if (!Nodes.has(h, type) || type.equals("grpc") && allowSleep || type.equals("sleep") && !allowSleep) {
                continue;
            }
            if (count++ > 0) {
                errs.add(FieldError.forbidden(p + "." + type, "may not specify more than 1 handler type"));
                continue;
            }
            JsonNode a = h.get(type);
            String ap = p + "." + type;
            switch (type) {
                case "exec" -> {
                    if (!Nodes.hasItems(a, "command")) {
                        errs.add(FieldError.required(ap + ".command", ""));
                    }
                }
                case "httpGet" -> {
                    if (Nodes.text(a, "path").isEmpty()) {
                        errs.add(FieldError.required(ap + ".path", ""));
                    }
                    Rules.portNumOrName(errs, ap + ".port", a.get("port"));
                    String scheme = Nodes.text(a, "scheme");
                    if (!SCHEMES.contains(scheme)) {
                        errs.add(FieldError.notSupported(ap + ".scheme", scheme, SCHEMES));
                    }
                }
                case "tcpSocket", "grpc" -> Rules.portNumOrName(errs, ap + ".port", a.get("port"));
                default -> {
                    long seconds = Nodes.number(a, "seconds", 0);
                    if (seconds <= 0) {
                        errs.add(FieldError.invalid(ap + ".seconds", seconds, "must be greater than 0"));
                    }
                }
            }
        }
        if (count == 0) {
            errs.add(FieldError.required(p, "must specify a handler type"));
        }
    }

    /** Container securityContext: user and group ids in range. */
    private static void securityContext(List<FieldError> errs, String p, JsonNode sc) {
        ids(errs, p, sc, "runAsUser", "runAsGroup");
    }

    /** Ids (runAsUser and friends) must lie in 0..2^31-1. */
    static void ids(List<FieldError> errs, String p, JsonNode sc, String... fields) {
        if (sc == null || !sc.isObject()) {
            return;
        }
        for (String f : fields) {
            JsonNode v = sc.get(f);
            if (v != null && v.isNumber() && (v.asLong() < 0 || v.asLong() > MAX_ID)) {
                errs.add(FieldError.invalid(p + "." + f, v.asLong(), Rules.inclusiveRange(0, MAX_ID)));
            }
        }
    }
}
