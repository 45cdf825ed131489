package io.kubevisor.apiserver.kinds.core;

import java.util.ArrayList;
import java.util.List;

import io.kubevisor.api.FieldError;
import io.kubevisor.apiserver.kinds.support.IpAddresses;
import io.kubevisor.apiserver.kinds.support.Nodes;
import io.kubevisor.apiserver.kinds.support.Rules;
import io.kubevisor.apiserver.registry.Strategy;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Endpoints: port protocols default to TCP; subsets need addresses, addresses need IPs, ports
 * need names when there are several. Kubevisor advertises loopback addresses in development, so
 * unlike Kubernetes it does not reject loopback or link-local endpoint IPs. Stateless.
 */
public final class EndpointsStrategy implements Strategy {

    private static final List<String> PROTOCOLS = List.of("SCTP", "TCP", "UDP");

    @Override
    public boolean allowCreateOnUpdate() {
        return true;
    }

    @Override
    public void applyDefaults(ObjectNode obj) {
        for (ObjectNode subset : Nodes.objects(obj, "subsets")) {
            for (ObjectNode port : Nodes.objects(subset, "ports")) {
                Nodes.dropZero(port, "name");
                Nodes.defaultText(port, "protocol", "TCP");
            }
        }
    }

    @Override
    public List<FieldError> validate(ObjectNode obj) {
        List<FieldError> errs = new ArrayList<>();
        List<JsonNode> subsets = Nodes.elements(obj, "subsets");
        for (int i = 0; i < subsets.size(); i++) {
            JsonNode ss = subsets.get(i);
            String p = Rules.index("subsets", i);
            if (!Nodes.hasItems(ss, "addresses") && !Nodes.hasItems(ss, "notReadyAddresses")) {
                errs.add(FieldError.required(p, "must specify `addresses` or `notReadyAddresses`"));
            }
            for (String list : new String[] {"addresses", "notReadyAddresses"}) {
                List<JsonNode> addrs = Nodes.elements(ss, list);
                for (int a = 0; a < addrs.size(); a++) {
                    address(errs, Rules.index(p + "." + list, a), addrs.get(a));
                }
            }
            List<JsonNode> ports = Nodes.elements(ss, "ports");
            for (int n = 0; n < ports.size(); n++) {
                port(errs, Rules.index(p + ".ports", n), ports.get(n), ports.size() > 1);
            }
        }
        return errs;
    }

    private static void address(List<FieldError> errs, String p, JsonNode addr) {
        String ip = Nodes.text(addr, "ip");
        if (IpAddresses.parse(ip).isEmpty()) {
            errs.add(FieldError.invalid(p + ".ip", ip, "must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)"));
        }
        String hostname = Nodes.text(addr, "hostname");
        if (!hostname.isEmpty()) {
            Rules.dns1123Label(errs, p + ".hostname", hostname);
        }
        if (Nodes.has(addr, "nodeName")) {
            Rules.dns1123Subdomain(errs, p + ".nodeName", Nodes.text(addr, "nodeName"));
        }
    }

    private static void port(List<FieldError> errs, String p, JsonNode port, boolean requireName) {
        String name = Nodes.text(port, "name");
        if (requireName && name.isEmpty()) {
            errs.add(FieldError.required(p + ".name", ""));
        } else if (!name.isEmpty()) {
            Rules.dns1123Label(errs, p + ".name", name);
        }
        long number = Nodes.number(port, "port", 0);
        Rules.portNumber(number).forEach(m -> errs.add(FieldError.invalid(p + ".port", number, m)));
        Rules.oneOf(errs, p + ".protocol", Nodes.text(port, "protocol"), PROTOCOLS);
        if (Nodes.has(port, "appProtocol")) {
            Rules.qualifiedName(errs, p + ".appProtocol", Nodes.text(port, "appProtocol"));
        }
    }
}
