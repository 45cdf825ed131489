package io.kubevisor.apiserver.kinds.discovery;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import io.kubevisor.api.FieldError;
import io.kubevisor.apiserver.kinds.support.IpAddresses;
import io.kubevisor.apiserver.kinds.support.Nodes;
import io.kubevisor.apiserver.kinds.support.Rules;
import io.kubevisor.apiserver.meta.Validation;
import io.kubevisor.apiserver.registry.Strategy;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * EndpointSlices (discovery.k8s.io/v1): port names and protocols defaulted, addresses checked
 * against the address type, limits on sizes, and the address type fixed. Loopback addresses are
 * accepted, as for Endpoints, because Kubevisor advertises them in development. Stateless.
 */
public final class EndpointSliceStrategy implements Strategy {

    private static final List<String> ADDRESS_TYPES = List.of("FQDN", "IPv4", "IPv6");
    private static final List<String> PROTOCOLS = List.of("SCTP", "TCP", "UDP");
    private static final int MAX_ENDPOINTS = 1000;
    private static final int MAX_ADDRESSES = 100;
    private static final int MAX_PORTS = 20000;

    @Override
    public boolean tracksGeneration() {
        return true;
    }

    @Override
    public void applyDefaults(ObjectNode obj) {
        for (ObjectNode port : Nodes.objects(obj, "ports")) {
            if (!Nodes.has(port, "name")) {
                port.put("name", "");
            }
            if (!Nodes.has(port, "protocol")) {
                port.put("protocol", "TCP");
            }
        }
    }

    @Override
    public List<FieldError> validate(ObjectNode obj) {
        List<FieldError> errs = new ArrayList<>();
        String type = Nodes.text(obj, "addressType");
        Rules.oneOf(errs, "addressType", type, ADDRESS_TYPES);
        endpoints(errs, obj, type);
        ports(errs, Nodes.elements(obj, "ports"));
        return errs;
    }

    private static void endpoints(List<FieldError> errs, JsonNode obj, String type) {
        List<JsonNode> endpoints = Nodes.elements(obj, "endpoints");
        if (endpoints.size() > MAX_ENDPOINTS) {
            errs.add(new FieldError(FieldError.Type.TOO_MANY, "endpoints", endpoints.size(),
                    "must have at most " + MAX_ENDPOINTS + " items"));
            return;
        }
        for (int i = 0; i < endpoints.size(); i++) {
            JsonNode ep = endpoints.get(i);
            String p = Rules.index("endpoints", i);
            List<String> addresses = Nodes.strings(ep, "addresses");
            if (addresses.isEmpty()) {
                errs.add(FieldError.required(p + ".addresses", "must contain at least 1 address"));
            } else if (addresses.size() > MAX_ADDRESSES) {
                errs.add(new FieldError(FieldError.Type.TOO_MANY, p + ".addresses", addresses.size(),
                        "must have at most " + MAX_ADDRESSES + " items"));
            }
            for (int a = 0; a < addresses.size(); a++) {
                String addr = addresses.get(a);
                String ap = Rules.index(p + ".addresses", a);
                switch (type) {
                    case "IPv4" -> {
                        if (!IpAddresses.isIpv4(addr) || addr.contains(":")) {
                            errs.add(FieldError.invalid(ap, addr, "must be a valid IPv4 address"));
                        }
                    }
                    case "IPv6" -> {
                        if (!IpAddresses.isIpv6(addr)) {
                            errs.add(FieldError.invalid(ap, addr, "must be a valid IPv6 address"));
                        }
                    }
                    case "FQDN" -> fqdn(errs, ap, addr);
                    default -> {
                    }
                }
            }
            if (Nodes.has(ep, "nodeName")) {
                Rules.dns1123Subdomain(errs, p + ".nodeName", Nodes.text(ep, "nodeName"));
            }
            if (Nodes.has(ep, "hostname")) {
                Rules.dns1123Label(errs, p + ".hostname", Nodes.text(ep, "hostname"));
            }
            Rules.labels(errs, p + ".deprecatedTopology", ep.get("deprecatedTopology"));
        }
    }

    private static void fqdn(List<FieldError> errs, String p, String name) {
        if (name.isEmpty()) {
            errs.add(FieldError.required(p, ""));
            return;
        }
        String trimmed = name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
        for (String m : Validation.dns1123Subdomain(trimmed)) {
            errs.add(FieldError.invalid(p, name, m));
        }
        if (!trimmed.contains(".")) {
            errs.add(FieldError.invalid(p, name, "should be a domain with at least two segments separated by dots"));
        }
    }

    private static void ports(List<FieldError> errs, List<JsonNode> ports) {
        if (ports.size() > MAX_PORTS) {
            errs.add(new FieldError(FieldError.Type.TOO_MANY, "ports", ports.size(), "must have at most " + MAX_PORTS + " items"));
            return;
        }
        Set<String> names = new HashSet<>();
        for (int i = 0; i < ports.size(); i++) {
            JsonNode port = ports.get(i);
            String p = Rules.index("ports", i);
            String name = Nodes.text(port, "name");
            if (!name.isEmpty()) {
                Rules.dns1123Label(errs, p + ".name", name);
            }
            if (!names.add(name)) {
                errs.add(FieldError.duplicate(p + ".name", name));
            }
            if (!Nodes.has(port, "protocol")) {
                errs.add(FieldError.required(p + ".protocol", ""));
            } else if (!PROTOCOLS.contains(Nodes.text(port, "protocol"))) {
                errs.add(FieldError.notSupported(p + ".protocol", Nodes.text(port, "protocol"), PROTOCOLS));
            }
            if (Nodes.has(port, "appProtocol")) {
                Rules.qualifiedName(errs, p + ".appProtocol", Nodes.text(port, "appProtocol"));
            }
        }
    }

    @Override
    public List<FieldError> validateUpdate(ObjectNode obj, ObjectNode old) {
        List<FieldError> errs = validate(obj);
        Rules.immutable(errs, "addressType", obj.get("addressType"), old.get("addressType"),
                Nodes.text(obj, "addressType"));
        return errs;
    }
}
