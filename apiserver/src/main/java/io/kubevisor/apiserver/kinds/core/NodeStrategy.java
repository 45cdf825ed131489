package io.kubevisor.apiserver.kinds.core;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.kubevisor.api.FieldError;
import io.kubevisor.apiserver.kinds.pod.ResourceValidation;
import io.kubevisor.apiserver.kinds.quantity.Quantity;
import io.kubevisor.apiserver.kinds.quantity.ResourceLists;
import io.kubevisor.apiserver.kinds.support.Decoding;
import io.kubevisor.apiserver.kinds.support.GoValue;
import io.kubevisor.apiserver.kinds.support.IpAddresses;
import io.kubevisor.apiserver.kinds.support.Nodes;
import io.kubevisor.apiserver.kinds.support.Rules;
import io.kubevisor.apiserver.meta.Validation;
import io.kubevisor.apiserver.registry.Strategy;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Nodes: podCIDR and podCIDRs kept in step as the v1 conversion does, allocatable defaulting to
 * capacity, taints checked, and podCIDRs and providerID fixed once set. Stateless.
 */
public final class NodeStrategy implements Strategy {

    private static final List<String> EFFECTS = List.of("NoSchedule", "PreferNoSchedule", "NoExecute");
    private static final String POD_CIDR_FIXED = "node updates may not change podCIDR except from \"\" to valid";

    @Override
    public void applyDefaults(ObjectNode obj) {
        ObjectNode spec = Nodes.object(obj, "spec");
        Nodes.dropZero(spec, "unschedulable", "podCIDR", "providerID", "externalID");
        String cidr = Nodes.text(spec, "podCIDR");
        List<String> cidrs = Nodes.strings(spec, "podCIDRs");
        if (!cidr.isEmpty() && (cidrs.isEmpty() || !cidrs.getFirst().equals(cidr))) {
            // podCIDR wins over podCIDRs, for older clients.
            spec.putArray("podCIDRs").add(cidr);
        } else if (cidr.isEmpty() && !cidrs.isEmpty()) {
            spec.put("podCIDR", cidrs.getFirst());
        }
        Decoding.guard(obj, () -> {
            if (obj.get("status") instanceof ObjectNode status) {
                ResourceLists.canonicalize(status, "capacity");
                ResourceLists.canonicalize(status, "allocatable");
                if (!status.has("allocatable") && status.get("capacity") instanceof ObjectNode cap) {
                    status.set("allocatable", cap.deepCopy());
                }
            }
        });
    }

    @Override
    public List<FieldError> validate(ObjectNode obj) {
        List<FieldError> errs = new ArrayList<>();
        taints(errs, obj.path("spec"));
        resources(errs, obj.path("status"));
        List<String> cidrs = Nodes.strings(obj.path("spec"), "podCIDRs");
        for (int i = 0; i < cidrs.size(); i++) {
            if (!IpAddresses.isCidr(cidrs.get(i))) {
                errs.add(FieldError.invalid(Rules.index("spec.podCIDRs", i), cidrs.get(i),
                        "must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)"));
            }
        }
        if (cidrs.size() > 1) {
            boolean dual = cidrs.size() == 2 && IpAddresses.isIpv4(cidrs.get(0).split("/")[0])
                    != IpAddresses.isIpv4(cidrs.get(1).split("/")[0]);
            if (!dual) {
                errs.add(FieldError.invalid("spec.podCIDRs", GoValue.stringSlice(cidrs, false),
                        "may specify no more than one CIDR for each IP family"));
            }
        }
        return errs;
    }

    private static void taints(List<FieldError> errs, JsonNode spec) {
        List<JsonNode> taints = Nodes.elements(spec, "taints");
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < taints.size(); i++) {
            JsonNode t = taints.get(i);
            // Kubernetes reports taints under metadata.taints; users see that path, so keep it.
            String p = Rules.index("metadata.taints", i);
            String key = Nodes.text(t, "key");
            Rules.qualifiedName(errs, p + ".key", key);
            String value = Nodes.text(t, "value");
            List<String> msgs = Validation.labelValue(value);
            if (!msgs.isEmpty()) {
                errs.add(FieldError.invalid(p + ".value", value, String.join(";", msgs)));
            }
            String effect = Nodes.text(t, "effect");
            if (effect.isEmpty()) {
                errs.add(FieldError.required(p + ".effect", ""));
            } else if (!EFFECTS.contains(effect)) {
                errs.add(FieldError.notSupported(p + ".effect", effect, EFFECTS));
            }
            if (!seen.add(effect + "/" + key)) {
                errs.add(new FieldError(FieldError.Type.DUPLICATE, p, new GoValue("core.Taint{Key:" + GoValue.quote(key)
                        + ", Value:" + GoValue.quote(value) + ", Effect:" + GoValue.quote(effect)
                        + ", TimeAdded:(*v1.Time)(nil)}"), "taints must be unique by key and effect pair"));
            }
        }
    }

    private static void resources(List<FieldError> errs, JsonNode status) {
        for (String list : new String[] {"capacity", "allocatable"}) {
            for (Map.Entry<String, Quantity> e : ResourceLists.entries(status.get(list)).entrySet()) {
                String p = Rules.key("status." + list, e.getKey());
                Rules.qualifiedName(errs, p, e.getKey());
                ResourceValidation.quantityValue(errs, p, e.getKey(), e.getValue());
            }
        }
    }

    @Override
    public List<FieldError> validateUpdate(ObjectNode obj, ObjectNode old) {
        List<FieldError> errs = new ArrayList<>(validate(obj));
        JsonNode spec = obj.path("spec");
        JsonNode oldSpec = old.path("spec");
        List<String> cidrs = Nodes.strings(spec, "podCIDRs");
        List<String> oldCidrs = Nodes.strings(oldSpec, "podCIDRs");
        if (!oldCidrs.isEmpty()) {
            if (oldCidrs.size() != cidrs.size()) {
                errs.add(FieldError.forbidden("spec.podCIDRs", POD_CIDR_FIXED));
            } else {
                for (int i = 0; i < oldCidrs.size(); i++) {
                    if (!oldCidrs.get(i).equals(cidrs.get(i))) {
                        errs.add(FieldError.forbidden("spec.podCIDRs", POD_CIDR_FIXED));
                    }
                }
            }
        }
        String providerId = Nodes.text(oldSpec, "providerID");
        if (!providerId.isEmpty() && !providerId.equals(Nodes.text(spec, "providerID"))) {
            errs.add(FieldError.forbidden("spec.providerID", "node updates may not change providerID except from \"\" to valid"));
        }
        Set<String> addresses = new HashSet<>();
        List<JsonNode> addrs = Nodes.elements(obj.path("status"), "addresses");
        for (int i = 0; i < addrs.size(); i++) {
            String key = Nodes.text(addrs.get(i), "type") + "/" + Nodes.text(addrs.get(i), "address");
            if (!addresses.add(key)) {
                errs.add(FieldError.duplicate(Rules.index("status.addresses", i), new GoValue("core.NodeAddress{Type:"
                        + GoValue.quote(Nodes.text(addrs.get(i), "type")) + ", Address:"
                        + GoValue.quote(Nodes.text(addrs.get(i), "address")) + "}")));
            }
        }
        return errs;
    }

    @Override
    public List<String> selectableFieldNames() {
        return List.of("spec.unschedulable");
    }

    @Override
    public Map<String, String> selectableFields(ObjectNode obj) {
        return Map.of("spec.unschedulable", Boolean.toString(Nodes.isTrue(obj.path("spec"), "unschedulable")));
    }
}
