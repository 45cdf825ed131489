package io.kubevisor.apiserver.kinds.apps;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import io.kubevisor.api.FieldError;
import io.kubevisor.apiserver.kinds.pod.PodTemplates;
import io.kubevisor.apiserver.kinds.support.Decoding;
import io.kubevisor.apiserver.kinds.support.GoValue;
import io.kubevisor.apiserver.kinds.support.Nodes;
import io.kubevisor.apiserver.kinds.support.Rules;
import io.kubevisor.apiserver.registry.Strategy;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** DaemonSets (apps/v1): SetDefaults_DaemonSet and ValidateDaemonSetSpec. Stateless. */
public final class DaemonSetStrategy implements Strategy {

    @Override
    public boolean tracksGeneration() {
        return true;
    }

    @Override
    public void applyDefaults(ObjectNode obj) {
        Decoding.guard(obj, () -> {
            ObjectNode spec = Nodes.object(obj, "spec");
            Nodes.dropZero(spec, "minReadySeconds", "templateGeneration");
            ObjectNode us = Nodes.object(spec, "updateStrategy");
            Nodes.defaultText(us, "type", "RollingUpdate");
            if (Nodes.text(us, "type").equals("RollingUpdate")) {
                ObjectNode ru = Nodes.object(us, "rollingUpdate");
                if (!Nodes.has(ru, "maxUnavailable")) {
                    ru.put("maxUnavailable", 1);
                }
                if (!Nodes.has(ru, "maxSurge")) {
                    ru.put("maxSurge", 0);
                }
            }
            Nodes.defaultNumber(spec, "revisionHistoryLimit", 10);
            PodTemplates.applyDefaults(Nodes.object(spec, "template"));
        });
        statusCounts(Nodes.object(obj, "status"));
    }

    /** The status counters without omitempty, which Kubernetes always writes. */
    private static void statusCounts(ObjectNode status) {
        for (String f : new String[] {"currentNumberScheduled", "numberMisscheduled", "desiredNumberScheduled",
            "numberReady"}) {
            Nodes.defaultNumber(status, f, 0);
        }
    }

    @Override
    public void prepareForCreate(ObjectNode obj) {
        statusCounts(obj.putObject("status"));
    }

    @Override
    public List<FieldError> validate(ObjectNode obj) {
        List<FieldError> errs = new ArrayList<>();
        JsonNode spec = obj.path("spec");
        Rules.labelSelector(errs, "spec.selector", spec.get("selector"));
        if (Workloads.selectorMisses(spec)) {
            errs.add(Workloads.labelsMismatch(spec));
        }
        JsonNode selector = spec.get("selector");
        if (selector != null && selector.isObject() && Rules.emptySelector(selector)) {
            errs.add(FieldError.invalid("spec.selector", GoValue.labelSelector(selector), "empty selector is invalid for daemonset"));
        }
        errs.addAll(PodTemplates.validate(spec.get("template"), "spec.template", Set.of()));
        Workloads.restartAlways(errs, spec);
        JsonNode podSpec = spec.path("template").path("spec");
        if (Nodes.has(podSpec, "activeDeadlineSeconds")) {
            errs.add(FieldError.invalid("spec.template.spec.activeDeadlineSeconds", podSpec.get("activeDeadlineSeconds")
                    .asLong(), "activeDeadlineSeconds in DaemonSet is not Supported"));
        }
        Rules.nonNegative(errs, "spec.minReadySeconds", spec, "minReadySeconds");
        Rules.nonNegative(errs, "spec.templateGeneration", spec, "templateGeneration");
        updateStrategy(errs, spec.path("updateStrategy"));
        Rules.nonNegative(errs, "spec.revisionHistoryLimit", spec, "revisionHistoryLimit");
        return errs;
    }

    private static void updateStrategy(List<FieldError> errs, JsonNode us) {
        String type = Nodes.text(us, "type");
        switch (type) {
            case "OnDelete" -> {
            }
            case "RollingUpdate" -> {
                JsonNode ru = us.get("rollingUpdate");
                String p = "spec.updateStrategy.rollingUpdate";
                if (ru == null || ru.isNull()) {
                    errs.add(FieldError.required(p, ""));
                    return;
                }
                Workloads.positiveIntOrPercent(errs, p + ".maxUnavailable", ru.get("maxUnavailable"));
                Workloads.positiveIntOrPercent(errs, p + ".maxSurge", ru.get("maxSurge"));
                Workloads.notOver100Percent(errs, p + ".maxUnavailable", ru.get("maxUnavailable"));
                Workloads.notOver100Percent(errs, p + ".maxSurge", ru.get("maxSurge"));
                boolean unavailable = Workloads.intOrPercentValue(ru.get("maxUnavailable")) != 0;
                boolean surge = Workloads.intOrPercentValue(ru.get("maxSurge")) != 0;
                if (unavailable && surge) {
                    errs.add(FieldError.invalid(p + ".maxSurge", GoValue.intOrString(ru.get("maxSurge")),
                            "may not be set when maxUnavailable is non-zero"));
                } else if (!unavailable && !surge) {
                    errs.add(FieldError.required(p + ".maxUnavailable", "cannot be 0 when maxSurge is 0"));
                }
            }
            default -> errs.add(FieldError.notSupported("spec.updateStrategy", new GoValue(
                    "apps.DaemonSetUpdateStrategy{Type:" + GoValue.quote(type)
                            + ", RollingUpdate:(*apps.RollingUpdateDaemonSet)(nil)}"), List.of("RollingUpdate", "OnDelete")));
        }
    }

    @Override
    public List<FieldError> validateUpdate(ObjectNode obj, ObjectNode old) {
        List<FieldError> errs = validate(obj);
        Workloads.selectorImmutable(errs, obj.path("spec"), old.path("spec"));
        return errs;
    }
}
