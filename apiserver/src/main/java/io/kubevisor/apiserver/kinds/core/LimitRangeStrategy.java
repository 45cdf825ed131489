package io.kubevisor.apiserver.kinds.core;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.kubevisor.api.FieldError;
import io.kubevisor.apiserver.kinds.pod.ResourceValidation;
import io.kubevisor.apiserver.kinds.quantity.Quantity;
import io.kubevisor.apiserver.kinds.quantity.ResourceLists;
import io.kubevisor.apiserver.kinds.support.Decoding;
import io.kubevisor.apiserver.kinds.support.Nodes;
import io.kubevisor.apiserver.kinds.support.Rules;
import io.kubevisor.apiserver.registry.Strategy;
import tools.jackson.databind.node.ObjectNode;

/**
 * LimitRanges: SetDefaults_LimitRangeItem (container defaults from max, default requests from
 * defaults and min) and ValidateLimitRange's ordering of min, max, defaults and ratios. Stateless.
 */
public final class LimitRangeStrategy implements Strategy {

    private static final String[] LISTS = {"max", "min", "default", "defaultRequest", "maxLimitRequestRatio"};
    private static final List<String> TYPES = List.of("Pod", "Container", "PersistentVolumeClaim");

    @Override
    public boolean allowCreateOnUpdate() {
        return true;
    }

    @Override
    public void applyDefaults(ObjectNode obj) {
        Decoding.guard(obj, () -> {
            for (ObjectNode item : Nodes.objects(obj.path("spec"), "limits")) {
                for (String list : LISTS) {
                    ResourceLists.canonicalize(item, list);
                }
                if (Nodes.text(item, "type").equals("Container")) {
                    ObjectNode dflt = Nodes.object(item, "default");
                    ObjectNode request = Nodes.object(item, "defaultRequest");
                    copyMissing(item.get("max") instanceof ObjectNode max ? max : null, dflt);
                    copyMissing(dflt, request);
                    copyMissing(item.get("min") instanceof ObjectNode min ? min : null, request);
                    Nodes.dropEmpty(item, "default", "defaultRequest");
                }
            }
        });
    }

    private static void copyMissing(ObjectNode from, ObjectNode to) {
        if (from != null) {
            for (var e : from.properties()) {
                if (!to.has(e.getKey())) {
                    to.set(e.getKey(), e.getValue().deepCopy());
                }
            }
        }
    }

    @Override
    public List<FieldError> validate(ObjectNode obj) {
        List<FieldError> errs = new ArrayList<>();
        List<ObjectNode> items = Nodes.objects(obj.path("spec"), "limits");
        Set<String> types = new HashSet<>();
        for (int i = 0; i < items.size(); i++) {
            ObjectNode item = items.get(i);
            String p = Rules.index("spec.limits", i);
            String type = Nodes.text(item, "type");
            int before = errs.size();
            Rules.qualifiedName(errs, p + ".type", type);
            if (errs.size() == before && !type.contains("/") && !TYPES.contains(type)) {
                errs.add(FieldError.invalid(p + ".type", type, "must be a standard limit type or fully qualified"));
            }
            if (!types.add(type)) {
                errs.add(FieldError.duplicate(p + ".type", type));
            }
            if (type.equals("Pod")) {
                for (String f : new String[] {"default", "defaultRequest"}) {
                    if (Nodes.hasEntries(item, f)) {
                        errs.add(FieldError.forbidden(p + "." + f, "may not be specified when `type` is 'Pod'"));
                    }
                }
            }
            if (type.equals("PersistentVolumeClaim") && !Nodes.has(item.path("min"), "storage")
                    && !Nodes.has(item.path("max"), "storage")) {
                errs.add(FieldError.required(p + ".limits",
                        "either minimum or maximum storage value is required, but neither was provided"));
            }
            item(errs, p, item);
        }
        return errs;
    }

    private static void item(List<FieldError> errs, String p, ObjectNode item) {
        Map<String, Quantity> max = ResourceLists.entries(item.get("max"));
        Map<String, Quantity> min = ResourceLists.entries(item.get("min"));
        Map<String, Quantity> dflt = ResourceLists.entries(item.get("default"));
        Map<String, Quantity> req = ResourceLists.entries(item.get("defaultRequest"));
        Map<String, Quantity> ratio = ResourceLists.entries(item.get("maxLimitRequestRatio"));
        Set<String> keys = new LinkedHashSet<>();
        for (String list : LISTS) {
            for (String k : ResourceLists.entries(item.get(list)).keySet()) {
                Rules.qualifiedName(errs, Rules.key(p + "." + list, k), k);
                keys.add(k);
            }
        }
        for (String k : keys) {
            Quantity mn = min.get(k);
            Quantity mx = max.get(k);
            Quantity d = dflt.get(k);
            Quantity r = req.get(k);
            Quantity ra = ratio.get(k);
            if (mn != null && mx != null && mn.compareTo(mx) > 0) {
                errs.add(FieldError.invalid(Rules.key(p + ".min", k), mn.toString(),
                        "min value " + mn + " is greater than max value " + mx));
            }
            if (r != null && mn != null && mn.compareTo(r) > 0) {
                errs.add(FieldError.invalid(Rules.key(p + ".defaultRequest", k), r.toString(),
                        "min value " + mn + " is greater than default request value " + r));
            }
            if (r != null && mx != null && r.compareTo(mx) > 0) {
                errs.add(FieldError.invalid(Rules.key(p + ".defaultRequest", k), r.toString(),
                        "default request value " + r + " is greater than max value " + mx));
            }
            if (r != null && d != null && r.compareTo(d) > 0) {
                errs.add(FieldError.invalid(Rules.key(p + ".defaultRequest", k), r.toString(),
                        "default request value " + r + " is greater than default limit value " + d));
            }
            if (d != null && mn != null && mn.compareTo(d) > 0) {
                errs.add(FieldError.invalid(Rules.key(p + ".default", k), mn.toString(),
                        "min value " + mn + " is greater than default value " + d));
            }
            if (d != null && mx != null && d.compareTo(mx) > 0) {
                errs.add(FieldError.invalid(Rules.key(p + ".default", k), mx.toString(),
                        "default value " + d + " is greater than max value " + mx));
            }
            if (ra != null && ra.compareTo(Quantity.parse("1")) < 0) {
                errs.add(FieldError.invalid(Rules.key(p + ".maxLimitRequestRatio", k), ra.toString(),
                        "ratio " + ra + " is less than 1"));
            }
            if (!ResourceValidation.overcommitAllowed(k) && d != null && r != null && d.compareTo(r) != 0) {
                errs.add(FieldError.invalid(Rules.key(p + ".defaultRequest", k), r.toString(),
                        "default value " + d + " must equal to defaultRequest value " + r + " in " + k));
            }
        }
    }
}
