package io.kubevisor.apiserver.kinds.core;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import io.kubevisor.api.FieldError;
import io.kubevisor.apiserver.kinds.support.GoValue;
import io.kubevisor.apiserver.kinds.support.IpAddresses;
import io.kubevisor.apiserver.kinds.support.Nodes;
import io.kubevisor.apiserver.kinds.support.Rules;
import tools.jackson.databind.JsonNode;

/** ValidateService and ValidateServiceUpdate, for the rules users meet. Stateless. */
final class ServiceValidation {

    private static final List<String> TYPES = List.of("ClusterIP", "ExternalName", "LoadBalancer", "NodePort");
    private static final List<String> PROTOCOLS = List.of("SCTP", "TCP", "UDP");
    private static final List<String> AFFINITY = List.of("ClientIP", "None");
    private static final List<String> TRAFFIC = List.of("Cluster", "Local");
    private static final List<String> FAMILY_POLICIES = List.of("PreferDualStack", "RequireDualStack", "SingleStack");
    private static final List<String> FAMILIES = List.of("IPv4", "IPv6");
    private static final String BAD_IP = "must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)";
    private static final long KUBELET_PORT = 10250;

    private ServiceValidation() {
    }

    static List<FieldError> validate(JsonNode svc) {
        List<FieldError> errs = new ArrayList<>();
        JsonNode spec = svc.path("spec");
        String type = Nodes.text(spec, "type");
        List<JsonNode> ports = Nodes.elements(spec, "ports");
        boolean headless = "None".equals(Nodes.text(spec, "clusterIP"));
        if (ports.isEmpty() && !headless && !type.equals("ExternalName")) {
            errs.add(FieldError.required("spec.ports", ""));
        }
        switch (type) {
            case "LoadBalancer" -> {
                for (int i = 0; i < ports.size(); i++) {
                    if (Nodes.number(ports.get(i), "port", 0) == KUBELET_PORT) {
                        errs.add(FieldError.invalid(Rules.index("spec.ports", i), KUBELET_PORT,
                                "may not expose port 10250 externally since it is used by kubelet"));
                    }
                }
                if (headless) {
                    errs.add(FieldError.invalid("spec.clusterIPs[0]", "None", "may not be set to 'None' for LoadBalancer services"));
                }
            }
            case "NodePort" -> {
                if (headless) {
                    errs.add(FieldError.invalid("spec.clusterIPs[0]", "None", "may not be set to 'None' for NodePort services"));
                }
            }
            case "ExternalName" -> externalName(errs, spec);
            default -> {
            }
        }
        Set<String> names = new HashSet<>();
        for (int i = 0; i < ports.size(); i++) {
            port(errs, Rules.index("spec.ports", i), ports.get(i), ports.size() > 1, names);
        }
        if (Nodes.has(spec, "selector")) {
            Rules.labels(errs, "spec.selector", spec.get("selector"));
        }
        String affinity = Nodes.text(spec, "sessionAffinity");
        Rules.oneOf(errs, "spec.sessionAffinity", affinity, AFFINITY);
        if (affinity.equals("ClientIP")) {
            long timeout = Nodes.number(spec.path("sessionAffinityConfig").path("clientIP"), "timeoutSeconds", 0);
            if (timeout <= 0 || timeout > 86400) {
                errs.add(FieldError.invalid("spec.sessionAffinityConfig.clientIP.timeoutSeconds", timeout,
                        "must be greater than 0 and less than 86400"));
            }
        } else if (affinity.equals("None") && Nodes.has(spec, "sessionAffinityConfig")) {
            errs.add(FieldError.forbidden("spec.sessionAffinityConfig", "must not be set when session affinity is None"));
        }
        if (!type.equals("ExternalName")) {
            clusterIps(errs, spec);
        }
        List<String> externalIps = Nodes.strings(spec, "externalIPs");
        for (int i = 0; i < externalIps.size(); i++) {
            if (IpAddresses.parse(externalIps.get(i)).isEmpty()) {
                errs.add(FieldError.invalid(Rules.index("spec.externalIPs", i), externalIps.get(i), BAD_IP));
            }
        }
        Rules.oneOf(errs, "spec.type", type, TYPES);
        if (type.equals("ClusterIP")) {
            for (int i = 0; i < ports.size(); i++) {
                if (Nodes.number(ports.get(i), "nodePort", 0) != 0) {
                    errs.add(FieldError.forbidden(Rules.index("spec.ports", i) + ".nodePort",
                            "may not be used when `type` is 'ClusterIP'"));
                }
            }
        }
        duplicatePorts(errs, ports);
        trafficPolicies(errs, spec, type);
        return errs;
    }

    private static void externalName(List<FieldError> errs, JsonNode spec) {
        if (Nodes.hasItems(spec, "clusterIPs")) {
            errs.add(FieldError.forbidden("spec.clusterIPs", "may not be set for ExternalName services"));
        }
        if (Nodes.hasItems(spec, "ipFamilies")) {
            errs.add(FieldError.forbidden("spec.ipFamilies", "may not be set for ExternalName services"));
        }
        if (Nodes.has(spec, "ipFamilyPolicy")) {
            errs.add(FieldError.forbidden("spec.ipFamilyPolicy", "may not be set for ExternalName services"));
        }
        String cname = Nodes.text(spec, "externalName");
        if (cname.endsWith(".")) {
            cname = cname.substring(0, cname.length() - 1);
        }
        if (cname.isEmpty()) {
            errs.add(FieldError.required("spec.externalName", ""));
        } else {
            Rules.dns1123Subdomain(errs, "spec.externalName", cname);
        }
    }

    private static void port(List<FieldError> errs, String p, JsonNode port, boolean requireName, Set<String> names) {
        String name = Nodes.text(port, "name");
        if (requireName && name.isEmpty()) {
            errs.add(FieldError.required(p + ".name", ""));
        } else if (!name.isEmpty()) {
            Rules.dns1123Label(errs, p + ".name", name);
            if (!names.add(name)) {
                errs.add(FieldError.duplicate(p + ".name", name));
            }
        }
        long number = Nodes.number(port, "port", 0);
        Rules.portNumber(number).forEach(m -> errs.add(FieldError.invalid(p + ".port", number, m)));
        Rules.oneOf(errs, p + ".protocol", Nodes.text(port, "protocol"), PROTOCOLS);
        Rules.portNumOrName(errs, p + ".targetPort", port.get("targetPort"));
        if (Nodes.has(port, "appProtocol")) {
            Rules.qualifiedName(errs, p + ".appProtocol", Nodes.text(port, "appProtocol"));
        }
    }

    private static void clusterIps(List<FieldError> errs, JsonNode spec) {
        List<String> ips = Nodes.strings(spec, "clusterIPs");
        String ip = Nodes.text(spec, "clusterIP");
        if (!ips.isEmpty() && !ip.isEmpty() && !ip.equals(ips.getFirst())) {
            errs.add(FieldError.invalid("spec.clusterIPs", GoValue.stringSlice(ips, false), "element [0] must match clusterIP"));
        }
        for (int i = 0; i < ips.size(); i++) {
            String v = ips.get(i);
            if (v.equals("None")) {
                if (i > 0) {
                    errs.add(FieldError.invalid(Rules.index("spec.clusterIPs", i), v, "may not be 'None'"));
                }
            } else if (IpAddresses.parse(v).isEmpty()) {
                errs.add(FieldError.invalid(Rules.index("spec.clusterIPs", i), v, BAD_IP));
            }
        }
        if (Nodes.has(spec, "ipFamilyPolicy") && !FAMILY_POLICIES.contains(Nodes.text(spec, "ipFamilyPolicy"))) {
            errs.add(FieldError.notSupported("spec.ipFamilyPolicy", Nodes.text(spec, "ipFamilyPolicy"), FAMILY_POLICIES));
        }
        List<String> families = Nodes.strings(spec, "ipFamilies");
        for (int i = 0; i < families.size(); i++) {
            if (!FAMILIES.contains(families.get(i))) {
                errs.add(FieldError.notSupported(Rules.index("spec.ipFamilies", i), families.get(i), FAMILIES));
            }
        }
    }

    private static void duplicatePorts(List<FieldError> errs, List<JsonNode> ports) {
        Set<String> nodePorts = new HashSet<>();
        for (int i = 0; i < ports.size(); i++) {
            long np = Nodes.number(ports.get(i), "nodePort", 0);
            if (np != 0 && !nodePorts.add(Nodes.text(ports.get(i), "protocol") + "/" + np)) {
                errs.add(FieldError.duplicate(Rules.index("spec.ports", i) + ".nodePort", np));
            }
        }
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < ports.size(); i++) {
            String protocol = Nodes.text(ports.get(i), "protocol");
            long port = Nodes.number(ports.get(i), "port", 0);
            if (!seen.add(protocol + "/" + port)) {
                errs.add(FieldError.duplicate(Rules.index("spec.ports", i), new GoValue("core.ServicePort{Name:\"\", "
                        + "Protocol:" + GoValue.quote(protocol) + ", AppProtocol:(*string)(nil), Port:" + port
                        + ", TargetPort:intstr.IntOrString{Type:0, IntVal:0, StrVal:\"\"}, NodePort:0}")));
            }
        }
    }

    private static void trafficPolicies(List<FieldError> errs, JsonNode spec, String type) {
        String external = Nodes.text(spec, "externalTrafficPolicy");
        if (!ServiceStrategy.externallyAccessible(spec)) {
            if (!external.isEmpty()) {
                errs.add(FieldError.invalid("spec.externalTrafficPolicy", external,
                        "may only be set for externally-accessible services"));
            }
        } else {
            Rules.oneOf(errs, "spec.externalTrafficPolicy", external, TRAFFIC);
        }
        long hc = Nodes.number(spec, "healthCheckNodePort", 0);
        boolean needsHealthCheck = type.equals("LoadBalancer") && external.equals("Local");
        if (!needsHealthCheck && hc != 0) {
            errs.add(FieldError.invalid("spec.healthCheckNodePort", hc,
                    "may only be set when `type` is 'LoadBalancer' and `externalTrafficPolicy` is 'Local'"));
        } else if (hc != 0) {
            Rules.portNumber(hc).forEach(m -> errs.add(FieldError.invalid("spec.healthCheckNodePort", hc, m)));
        }
        if (List.of("ClusterIP", "NodePort", "LoadBalancer").contains(type) && !Nodes.has(spec, "internalTrafficPolicy")) {
            errs.add(FieldError.required("spec.internalTrafficPolicy", ""));
        } else if (Nodes.has(spec, "internalTrafficPolicy")
                && !TRAFFIC.contains(Nodes.text(spec, "internalTrafficPolicy"))) {
            errs.add(FieldError.notSupported("spec.internalTrafficPolicy", Nodes.text(spec, "internalTrafficPolicy"), TRAFFIC));
        }
    }

    static List<FieldError> validateUpdate(JsonNode svc, JsonNode old) {
        List<FieldError> errs = new ArrayList<>();
        JsonNode spec = svc.path("spec");
        JsonNode oldSpec = old.path("spec");
        boolean externalName = Nodes.text(spec, "type").equals("ExternalName")
                || Nodes.text(oldSpec, "type").equals("ExternalName");
        if (!externalName) {
            List<String> ips = Nodes.strings(spec, "clusterIPs");
            List<String> oldIps = Nodes.strings(oldSpec, "clusterIPs");
            for (int i = 0; i < oldIps.size() && i < ips.size(); i++) {
                if (!oldIps.get(i).equals(ips.get(i))) {
                    errs.add(FieldError.invalid(Rules.index("spec.clusterIPs", i), GoValue.stringSlice(ips, false),
                            "may not change once set"));
                }
            }
            List<String> fam = Nodes.strings(spec, "ipFamilies");
            List<String> oldFam = Nodes.strings(oldSpec, "ipFamilies");
            if (!fam.isEmpty() && !oldFam.isEmpty() && !fam.getFirst().equals(oldFam.getFirst())) {
                errs.add(FieldError.invalid("spec.ipFamilies[0]", fam.getFirst(), "may not change once set"));
            }
        }
        errs.addAll(validate(svc));
        return errs;
    }
}
