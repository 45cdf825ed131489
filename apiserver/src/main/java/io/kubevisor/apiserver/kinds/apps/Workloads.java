package io.kubevisor.apiserver.kinds.apps;

import java.util.List;
import java.util.Set;

import io.kubevisor.api.FieldError;
import io.kubevisor.apiserver.kinds.pod.PodTemplates;
import io.kubevisor.apiserver.kinds.support.GoValue;
import io.kubevisor.apiserver.kinds.support.Nodes;
import io.kubevisor.apiserver.kinds.support.Rules;
import io.kubevisor.apiserver.selection.Selectors;
import tools.jackson.databind.JsonNode;

/** Rules the apps/v1 workloads share: selectors, templates, and int-or-percent fields. Stateless. */
final class Workloads {

    private Workloads() {
    }

    /**
     * A required, non-empty, well-formed selector.
     *
     * @param emptyMessage Kubernetes' complaint about an empty selector for this kind
     */
    static void selector(List<FieldError> errs, JsonNode spec, String emptyMessage) {
        JsonNode selector = spec.get("selector");
        if (selector == null || selector.isNull()) {
            errs.add(FieldError.required("spec.selector", ""));
            return;
        }
        Rules.labelSelector(errs, "spec.selector", selector);
        if (Rules.emptySelector(selector)) {
            errs.add(FieldError.invalid("spec.selector", GoValue.labelSelector(selector), emptyMessage));
        }
    }

    /** Whether a present, non-empty selector fails to match the template's labels. */
    static boolean selectorMisses(JsonNode spec) {
        JsonNode selector = spec.get("selector");
        if (selector == null || selector.isNull()) {
            return true;
        }
        if (Rules.emptySelector(selector)) {
            return false;
        }
        return !Selectors.fromLabelSelector(selector).matches(
                Selectors.labelsOf(spec.path("template").path("metadata").path("labels")));
    }

    static FieldError labelsMismatch(JsonNode spec) {
        return FieldError.invalid("spec.template.metadata.labels",
                GoValue.stringMap(spec.path("template").path("metadata").get("labels")),
                "`selector` does not match template `labels`");
    }

    /** ValidatePodTemplateSpecForReplicaSet: matching labels, a valid template, restart Always. */
    static void replicaSetTemplate(List<FieldError> errs, JsonNode spec, String kindForDeadline) {
        JsonNode selector = spec.get("selector");
        if (selector != null && selector.isObject() && !Rules.emptySelector(selector) && selectorMisses(spec)) {
            errs.add(labelsMismatch(spec));
        }
        errs.addAll(PodTemplates.validate(spec.get("template"), "spec.template", Set.of()));
        restartAlways(errs, spec);
        if (Nodes.has(spec.path("template").path("spec"), "activeDeadlineSeconds")) {
            errs.add(FieldError.forbidden("spec.template.spec.activeDeadlineSeconds",
                    "activeDeadlineSeconds in " + kindForDeadline + " is not Supported"));
        }
    }

    /** Pods of these workloads must restart: restartPolicy Always. */
    static void restartAlways(List<FieldError> errs, JsonNode spec) {
        String rp = Nodes.text(spec.path("template").path("spec"), "restartPolicy");
        if (!rp.equals("Always")) {
            errs.add(FieldError.notSupported("spec.template.spec.restartPolicy", rp, List.of("Always")));
        }
    }

    /** ValidatePositiveIntOrPercent. */
    static void positiveIntOrPercent(List<FieldError> errs, String path, JsonNode v) {
        if (v == null || v.isNull()) {
            return;
        }
        if (v.isString()) {
            for (String m : Rules.percent(v.stringValue())) {
                errs.add(FieldError.invalid(path, GoValue.intOrString(v), m));
            }
        } else if (v.isNumber()) {
            Rules.nonNegative(errs, path, v.asLong());
        } else {
            errs.add(FieldError.invalid(path, GoValue.intOrString(v), "must be an integer or percentage (e.g '5%')"));
        }
    }

    /** IsNotMoreThan100Percent. */
    static void notOver100Percent(List<FieldError> errs, String path, JsonNode v) {
        if (v != null && v.isString() && Rules.percent(v.stringValue()).isEmpty() && percent(v) > 100) {
            errs.add(FieldError.invalid(path, GoValue.intOrString(v), "must not be greater than 100%"));
        }
    }

    /** The value of an int-or-percent (a percentage counts as its number), 0 when unparseable. */
    static long intOrPercentValue(JsonNode v) {
        if (v == null || v.isNull()) {
            return 0;
        }
        if (v.isString()) {
            if (Rules.percent(v.stringValue()).isEmpty()) {
                return percent(v);
            }
            try {
                return Long.parseLong(v.stringValue());
            } catch (NumberFormatException e) {
                return 0;
            }
        }
        return v.asLong();
    }

    private static long percent(JsonNode v) {
        String s = v.stringValue();
        try {
            return Long.parseLong(s.substring(0, s.length() - 1));
        } catch (NumberFormatException e) {
            return Long.MAX_VALUE;
        }
    }

    /** The selector is immutable after creation in apps/v1. */
    static void selectorImmutable(List<FieldError> errs, JsonNode spec, JsonNode oldSpec) {
        JsonNode now = spec.get("selector");
        if (!Nodes.semanticEquals(now, oldSpec.get("selector"))) {
            errs.add(FieldError.invalid("spec.selector", now == null || now.isNull() ? null : GoValue.labelSelector(now),
                    Rules.IMMUTABLE));
        }
    }
}
