package io.kubevisor.apiserver.kinds.core;

import java.util.List;
import java.util.Map;

import io.kubevisor.api.FieldError;
import io.kubevisor.apiserver.kinds.support.Nodes;
import io.kubevisor.apiserver.meta.NameRule;
import io.kubevisor.apiserver.registry.Strategy;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Services: SetDefaults_Service plus the IP family fields the REST layer fills in. ClusterIPs and
 * node ports are allocated by admission on create and kept across updates that leave them out;
 * values that belong to the old type are dropped when the type changes. Stateless.
 */
public final class ServiceStrategy implements Strategy {

    @Override
    public NameRule nameRule() {
        return NameRule.DNS1035_LABEL;
    }

    @Override
    public boolean allowCreateOnUpdate() {
        return true;
    }

    @Override
    public boolean returnDeletedObject() {
        return true;
    }

    @Override
    public void applyDefaults(ObjectNode obj) {
        ObjectNode spec = Nodes.object(obj, "spec");
        Nodes.dropZero(spec, "publishNotReadyAddresses", "healthCheckNodePort", "clusterIP", "externalName",
                "loadBalancerIP", "sessionAffinity", "type", "externalTrafficPolicy", "loadBalancerClass");
        Nodes.defaultText(spec, "sessionAffinity", "None");
        String affinity = Nodes.text(spec, "sessionAffinity");
        if (affinity.equals("None")) {
            spec.remove("sessionAffinityConfig");
        } else if (affinity.equals("ClientIP")
                && !Nodes.has(spec.path("sessionAffinityConfig").path("clientIP"), "timeoutSeconds")) {
            Nodes.object(Nodes.object(spec, "sessionAffinityConfig"), "clientIP").put("timeoutSeconds", 10800);
        }
        Nodes.defaultText(spec, "type", "ClusterIP");
        String type = Nodes.text(spec, "type");
        for (ObjectNode p : Nodes.objects(spec, "ports")) {
            Nodes.dropZero(p, "nodePort", "name");
            Nodes.defaultText(p, "protocol", "TCP");
            JsonNode target = p.get("targetPort");
            boolean unset = target == null || target.isNull() || target.isNumber() && target.asLong() == 0
                    || target.isString() && target.stringValue().isEmpty();
            if (unset && p.has("port")) {
                p.set("targetPort", p.get("port").deepCopy());
            }
        }
        if (externallyAccessible(spec)) {
            Nodes.defaultText(spec, "externalTrafficPolicy", "Cluster");
        }
        if (List.of("ClusterIP", "NodePort", "LoadBalancer").contains(type)) {
            Nodes.defaultText(spec, "internalTrafficPolicy", "Cluster");
        }
        if (type.equals("LoadBalancer")) {
            Nodes.defaultBoolean(spec, "allocateLoadBalancerNodePorts", true);
            for (ObjectNode ing : Nodes.objects(obj.path("status").path("loadBalancer"), "ingress")) {
                if (!Nodes.text(ing, "ip").isEmpty()) {
                    Nodes.defaultText(ing, "ipMode", "VIP");
                }
            }
        }
        if (!type.equals("ExternalName")) {
            ipFamilies(spec);
        }
    }

    /** What Kubernetes' service REST layer sets for a single-stack IPv4 cluster. */
    private static void ipFamilies(ObjectNode spec) {
        String ip = Nodes.text(spec, "clusterIP");
        if (ip.isEmpty() && Nodes.hasItems(spec, "clusterIPs")) {
            ip = spec.get("clusterIPs").get(0).asString("");
            spec.put("clusterIP", ip);
        }
        if (!ip.isEmpty() && !Nodes.hasItems(spec, "clusterIPs")) {
            spec.putArray("clusterIPs").add(ip);
        }
        boolean headlessWithoutSelector = ip.equals("None") && !Nodes.hasEntries(spec, "selector");
        Nodes.defaultText(spec, "ipFamilyPolicy", headlessWithoutSelector ? "RequireDualStack" : "SingleStack");
        if (!Nodes.hasItems(spec, "ipFamilies")) {
            ArrayNode families = spec.putArray("ipFamilies");
            families.add(ip.contains(":") ? "IPv6" : "IPv4");
        }
    }

    static boolean externallyAccessible(JsonNode spec) {
        String type = Nodes.text(spec, "type");
        return type.equals("LoadBalancer") || type.equals("NodePort")
                || type.equals("ClusterIP") && Nodes.hasItems(spec, "externalIPs");
    }

    @Override
    public void prepareForCreate(ObjectNode obj) {
        obj.putObject("status").putObject("loadBalancer");
    }

    @Override
    public void prepareForUpdate(ObjectNode obj, ObjectNode old) {
        ObjectNode spec = Nodes.object(obj, "spec");
        JsonNode oldSpec = old.path("spec");
        String type = Nodes.text(spec, "type");
        boolean sameType = type.equals(Nodes.text(oldSpec, "type"));
        if (sameType) {
            // Clients often send a service without its allocated values; keep them.
            for (String f : new String[] {"clusterIP", "clusterIPs"}) {
                if (!Nodes.has(spec, f) && Nodes.has(oldSpec, f)) {
                    spec.set(f, oldSpec.get(f).deepCopy());
                }
            }
        } else if (type.equals("ExternalName")) {
            for (String f : new String[] {"clusterIP", "clusterIPs", "ipFamilies", "ipFamilyPolicy"}) {
                if (!Nodes.has(spec, f) || Nodes.semanticEquals(spec.get(f), oldSpec.get(f))) {
                    spec.remove(f);
                }
            }
        }
        boolean nodePorts = type.equals("NodePort") || type.equals("LoadBalancer");
        for (ObjectNode p : Nodes.objects(spec, "ports")) {
            JsonNode match = null;
            for (JsonNode op : Nodes.elements(oldSpec, "ports")) {
                if (Nodes.number(op, "port", 0) == Nodes.number(p, "port", -1)
                        && Nodes.text(op, "protocol").equals(Nodes.text(p, "protocol"))) {
                    match = op;
                }
            }
            if (nodePorts && !Nodes.has(p, "nodePort") && match != null && Nodes.has(match, "nodePort")) {
                p.set("nodePort", match.get("nodePort").deepCopy());
            } else if (!nodePorts && match != null && Nodes.semanticEquals(p.get("nodePort"), match.get("nodePort"))) {
                p.remove("nodePort");
            }
        }
        if (!(type.equals("LoadBalancer") && "Local".equals(Nodes.text(spec, "externalTrafficPolicy")))
                && Nodes.semanticEquals(spec.get("healthCheckNodePort"), oldSpec.get("healthCheckNodePort"))) {
            spec.remove("healthCheckNodePort");
        }
    }

    @Override
    public List<FieldError> validate(ObjectNode obj) {
        return ServiceValidation.validate(obj);
    }

    @Override
    public List<FieldError> validateUpdate(ObjectNode obj, ObjectNode old) {
        return ServiceValidation.validateUpdate(obj, old);
    }

    @Override
    public List<String> selectableFieldNames() {
        return List.of("spec.clusterIP", "spec.type");
    }

    @Override
    public Map<String, String> selectableFields(ObjectNode obj) {
        return Map.of("spec.clusterIP", Nodes.text(obj.path("spec"), "clusterIP"),
                "spec.type", Nodes.text(obj.path("spec"), "type"));
    }
}
