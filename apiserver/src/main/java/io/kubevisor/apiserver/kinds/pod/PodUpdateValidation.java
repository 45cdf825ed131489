package io.kubevisor.apiserver.kinds.pod;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

import io.kubevisor.api.FieldError;
import io.kubevisor.apiserver.kinds.support.Nodes;
import io.kubevisor.apiserver.kinds.support.Rules;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * What a pod update may change (ValidatePodUpdate): container images, activeDeadlineSeconds
 * (only lowered), additions to tolerations, removal of scheduling gates, and a negative grace
 * period raised to 1. Everything else in the spec is immutable.
 */
final class PodUpdateValidation {

    static final String MUTABLE = "pod updates may not change fields other than `spec.containers[*].image`,"
            + "`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to "
            + "existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was "
            + "previously negative)";

    private PodUpdateValidation() {
    }

    static List<FieldError> validate(JsonNode spec, JsonNode oldSpec) {
        List<FieldError> errs = new ArrayList<>();
        for (String list : new String[] {"containers", "initContainers"}) {
            List<JsonNode> now = Nodes.elements(spec, list);
            List<JsonNode> before = Nodes.elements(oldSpec, list);
            if (now.size() != before.size()) {
                errs.add(FieldError.forbidden("spec." + list, "pod updates may not add or remove containers"));
                return errs;
            }
            for (int i = 0; i < now.size(); i++) {
                String image = Nodes.text(now.get(i), "image");
                String p = Rules.index("spec." + list, i) + ".image";
                if (image.isEmpty()) {
                    errs.add(FieldError.required(p, ""));
                } else if (!image.strip().equals(image)) {
                    errs.add(FieldError.invalid(p, image, "must not have leading or trailing whitespace"));
                }
            }
        }
        if (Nodes.has(spec, "activeDeadlineSeconds")) {
            long v = spec.get("activeDeadlineSeconds").asLong();
            if (v < 0 || v > Integer.MAX_VALUE) {
                errs.add(FieldError.invalid("spec.activeDeadlineSeconds", v, Rules.inclusiveRange(0, Integer.MAX_VALUE)));
                return errs;
            }
            if (Nodes.has(oldSpec, "activeDeadlineSeconds") && oldSpec.get("activeDeadlineSeconds").asLong() < v) {
                errs.add(FieldError.invalid("spec.activeDeadlineSeconds", v, "must be less than or equal to previous value"));
                return errs;
            }
        } else if (Nodes.has(oldSpec, "activeDeadlineSeconds")) {
            errs.add(FieldError.invalid("spec.activeDeadlineSeconds", null, "must not update from a positive integer to nil value"));
        }
        tolerations(errs, spec, oldSpec);
        ObjectNode munged = munge(spec, oldSpec);
        if (!Nodes.semanticEquals(munged, oldSpec)) {
            errs.add(FieldError.forbidden("spec", MUTABLE + "\n" + diff(oldSpec, munged)));
        }
        return errs;
    }

    private static void tolerations(List<FieldError> errs, JsonNode spec, JsonNode oldSpec) {
        List<JsonNode> now = Nodes.elements(spec, "tolerations");
        for (JsonNode old : Nodes.elements(oldSpec, "tolerations")) {
            boolean found = false;
            for (JsonNode t : now) {
                ObjectNode a = ((ObjectNode) old).deepCopy();
                ObjectNode b = t instanceof ObjectNode o ? o.deepCopy() : JsonNodeFactory.instance.objectNode();
                a.remove("tolerationSeconds");
                b.remove("tolerationSeconds");
                if (Nodes.semanticEquals(a, b)) {
                    found = true;
                    break;
                }
            }
            if (!found) {
                errs.add(FieldError.forbidden("spec.tolerations", "existing toleration can not be modified except its tolerationSeconds"));
                return;
            }
        }
    }

    /** The new spec with the mutable fields taken from the old one. */
    private static ObjectNode munge(JsonNode spec, JsonNode oldSpec) {
        ObjectNode m = spec instanceof ObjectNode o ? o.deepCopy() : JsonNodeFactory.instance.objectNode();
        for (String list : new String[] {"containers", "initContainers"}) {
            if (m.get(list) instanceof ArrayNode arr && oldSpec.get(list) instanceof ArrayNode old) {
                for (int i = 0; i < arr.size() && i < old.size(); i++) {
                    if (arr.get(i) instanceof ObjectNode c) {
                        JsonNode image = old.get(i).get("image");
                        if (image == null) {
                            c.remove("image");
                        } else {
                            c.set("image", image.deepCopy());
                        }
                    }
                }
            }
        }
        for (String f : new String[] {"activeDeadlineSeconds", "tolerations", "schedulingGates"}) {
            copy(oldSpec, m, f);
        }
        if (Nodes.number(oldSpec, "terminationGracePeriodSeconds", 0) < 0
                && Nodes.number(m, "terminationGracePeriodSeconds", 0) == 1) {
            copy(oldSpec, m, "terminationGracePeriodSeconds");
        }
        return m;
    }

    private static void copy(JsonNode from, ObjectNode to, String field) {
        JsonNode v = from.get(field);
        if (v == null) {
            to.remove(field);
        } else {
            to.set(field, v.deepCopy());
        }
    }

    /** A short account of the changed spec fields, in place of Kubernetes' Go diff. */
    private static String diff(JsonNode before, JsonNode after) {
        StringBuilder sb = new StringBuilder();
        TreeSet<String> fields = new TreeSet<>();
        before.propertyNames().forEach(fields::add);
        after.propertyNames().forEach(fields::add);
        for (String f : fields) {
            JsonNode a = before.get(f);
            JsonNode b = after.get(f);
            if (!Nodes.semanticEquals(a, b)) {
                sb.append("  spec.").append(f).append(":\n");
                sb.append("- ").append(a == null ? "<unset>" : a.toString()).append('\n');
                sb.append("+ ").append(b == null ? "<unset>" : b.toString()).append('\n');
            }
        }
        return sb.toString();
    }
}
