package io.kubevisor.apiserver.kinds;

import java.util.ArrayList;
import java.util.List;

import io.kubevisor.api.FieldError;
import io.kubevisor.apiserver.meta.NameRule;
import io.kubevisor.apiserver.registry.Strategy;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Services: defaults as Kubernetes sets them; ClusterIPs and node ports are allocated by
 * admission on create and kept across updates that leave them out.
 */
final class ServiceStrategy implements Strategy {

    private static final List<String> TYPES = List.of("ClusterIP", "NodePort", "LoadBalancer", "ExternalName");

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
        ObjectNode spec = Objects.object(obj, "spec");
        Objects.putIfAbsent(spec, "type", "ClusterIP");
        String type = spec.path("type").asString();
        if (!type.equals("ExternalName")) {
            Objects.putIfAbsent(spec, "sessionAffinity", "None");
            Objects.putIfAbsent(spec, "internalTrafficPolicy", "Cluster");
            if (!spec.hasNonNull("ipFamilies")) {
                spec.putArray("ipFamilies").add("IPv4");
            }
            Objects.putIfAbsent(spec, "ipFamilyPolicy", "SingleStack");
        }
        if (type.equals("NodePort") || type.equals("LoadBalancer")) {
            Objects.putIfAbsent(spec, "externalTrafficPolicy", "Cluster");
        }
        if (type.equals("LoadBalancer")) {
            Objects.putIfAbsent(spec, "allocateLoadBalancerNodePorts", true);
        }
        if (spec.get("ports") instanceof ArrayNode ports) {
            for (JsonNode p : ports) {
                if (p instanceof ObjectNode po) {
                    Objects.putIfAbsent(po, "protocol", "TCP");
                    if (!po.hasNonNull("targetPort") && po.has("port")) {
                        po.set("targetPort", po.get("port").deepCopy());
                    }
                }
            }
        }
    }

    @Override
    public void prepareForCreate(ObjectNode obj) {
        obj.putObject("status").putObject("loadBalancer");
    }

    @Override
    public void prepareForUpdate(ObjectNode obj, ObjectNode old) {
        ObjectNode spec = Objects.object(obj, "spec");
        JsonNode oldSpec = old.path("spec");
        // Clients often send a service without its allocated values; keep them.
        for (String f : new String[] {"clusterIP", "clusterIPs"}) {
            if (!spec.hasNonNull(f) && oldSpec.hasNonNull(f) && spec.path("type").asString("").equals(
                    oldSpec.path("type").asString(""))) {
                spec.set(f, oldSpec.get(f).deepCopy());
            }
        }
        if (spec.get("ports") instanceof ArrayNode ports && oldSpec.path("ports").isArray()) {
            for (JsonNode p : ports) {
                if (p instanceof ObjectNode po && !po.hasNonNull("nodePort")) {
                    for (JsonNode op : oldSpec.path("ports")) {
                        if (op.path("port").asInt() == po.path("port").asInt() && op.hasNonNull("nodePort")
                                && op.path("protocol").asString("TCP").equals(po.path("protocol").asString("TCP"))) {
                            po.set("nodePort", op.get("nodePort").deepCopy());
                        }
                    }
                }
            }
        }
    }

    @Override
    public List<FieldError> validate(ObjectNode obj) {
        List<FieldError> errs = new ArrayList<>();
        JsonNode spec = obj.path("spec");
        String type = spec.path("type").asString("ClusterIP");
        if (!TYPES.contains(type)) {
            errs.add(FieldError.notSupported("spec.type", type, TYPES));
        }
        boolean headless = "None".equals(spec.path("clusterIP").asString(""));
        JsonNode ports = spec.path("ports");
        if (!type.equals("ExternalName") && !headless && (!ports.isArray() || ports.isEmpty())) {
            errs.add(FieldError.required("spec.ports", ""));
        }
        if (type.equals("ExternalName") && spec.path("externalName").asString("").isEmpty()) {
            errs.add(FieldError.required("spec.externalName", ""));
        }
        java.util.Set<String> names = new java.util.HashSet<>();
        for (int i = 0; i < ports.size(); i++) {
            JsonNode p = ports.get(i);
            String path = "spec.ports[" + i + "]";
            long port = p.path("port").asLong(0);
            if (port < 1 || port > 65535) {
                errs.add(FieldError.invalid(path + ".port", port, "must be between 1 and 65535, inclusive"));
            }
            String name = p.path("name").asString("");
            if (ports.size() > 1 && name.isEmpty()) {
                errs.add(FieldError.required(path + ".name", ""));
            }
            if (!name.isEmpty() && !names.add(name)) {
                errs.add(FieldError.duplicate(path + ".name", name));
            }
        }
        return errs;
    }

    @Override
    public List<FieldError> validateUpdate(ObjectNode obj, ObjectNode old) {
        List<FieldError> errs = new ArrayList<>(validate(obj));
        String ip = obj.path("spec").path("clusterIP").asString("");
        String oldIp = old.path("spec").path("clusterIP").asString("");
        if (!oldIp.isEmpty() && !ip.equals(oldIp) && obj.path("spec").path("type").asString("")
                .equals(old.path("spec").path("type").asString(""))) {
            errs.add(FieldError.invalid("spec.clusterIPs[0]", ip, "may not change once set"));
        }
        return errs;
    }

    @Override
    public List<String> selectableFieldNames() {
        return List.of("spec.clusterIP", "spec.type");
    }

    @Override
    public java.util.Map<String, String> selectableFields(ObjectNode obj) {
        return java.util.Map.of("spec.clusterIP", obj.path("spec").path("clusterIP").asString(""),
                "spec.type", obj.path("spec").path("type").asString(""));
    }
}
