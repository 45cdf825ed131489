package io.kubevisor.apiserver.kinds.apps;

import java.util.ArrayList;
import java.util.List;

import io.kubevisor.api.FieldError;
import io.kubevisor.apiserver.kinds.pod.PodTemplates;
import io.kubevisor.apiserver.kinds.support.Decoding;
import io.kubevisor.apiserver.kinds.support.GoValue;
import io.kubevisor.apiserver.kinds.support.Nodes;
import io.kubevisor.apiserver.kinds.support.Rules;
import io.kubevisor.apiserver.registry.Strategy;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** Deployments (apps/v1): SetDefaults_Deployment and ValidateDeploymentSpec. Stateless. */
public final class DeploymentStrategy implements Strategy {

    @Override
    public boolean tracksGeneration() {
        return true;
    }

    @Override
    public void applyDefaults(ObjectNode obj) {
        Decoding.guard(obj, () -> {
            ObjectNode spec = Nodes.object(obj, "spec");
            Nodes.dropZero(spec, "minReadySeconds", "paused");
            Nodes.defaultNumber(spec, "replicas", 1);
            ObjectNode strategy = Nodes.object(spec, "strategy");
            Nodes.defaultText(strategy, "type", "RollingUpdate");
            if (Nodes.text(strategy, "type").equals("RollingUpdate")) {
                ObjectNode ru = Nodes.object(strategy, "rollingUpdate");
                if (!Nodes.has(ru, "maxUnavailable")) {
                    ru.put("maxUnavailable", "25%");
                }
                if (!Nodes.has(ru, "maxSurge")) {
                    ru.put("maxSurge", "25%");
                }
            }
            Nodes.defaultNumber(spec, "revisionHistoryLimit", 10);
            Nodes.defaultNumber(spec, "progressDeadlineSeconds", 600);
            PodTemplates.applyDefaults(Nodes.object(spec, "template"));
        });
    }

    @Override
    public void prepareForCreate(ObjectNode obj) {
        obj.putObject("status");
    }

    @Override
    public List<FieldError> validate(ObjectNode obj) {
        List<FieldError> errs = new ArrayList<>();
        JsonNode spec = obj.path("spec");
        Rules.nonNegative(errs, "spec.replicas", spec, "replicas");
        Workloads.selector(errs, spec, "empty selector is invalid for deployment");
        Workloads.replicaSetTemplate(errs, spec, "ReplicaSet");
        strategy(errs, spec.path("strategy"));
        Rules.nonNegative(errs, "spec.minReadySeconds", spec, "minReadySeconds");
        Rules.nonNegative(errs, "spec.revisionHistoryLimit", spec, "revisionHistoryLimit");
        if (Nodes.has(spec, "progressDeadlineSeconds")) {
            long deadline = spec.get("progressDeadlineSeconds").asLong();
            Rules.nonNegative(errs, "spec.progressDeadlineSeconds", deadline);
            if (deadline <= Nodes.number(spec, "minReadySeconds", 0)) {
                errs.add(FieldError.invalid("spec.progressDeadlineSeconds", deadline, "must be greater than minReadySeconds"));
            }
        }
        return errs;
    }

    private static void strategy(List<FieldError> errs, JsonNode strategy) {
        String type = Nodes.text(strategy, "type");
        switch (type) {
            case "Recreate" -> {
                if (Nodes.has(strategy, "rollingUpdate")) {
                    errs.add(FieldError.forbidden("spec.strategy.rollingUpdate",
                            "may not be specified when strategy `type` is 'Recreate'"));
                }
            }
            case "RollingUpdate" -> {
                JsonNode ru = strategy.get("rollingUpdate");
                if (ru == null || ru.isNull()) {
                    errs.add(FieldError.required("spec.strategy.rollingUpdate", "this should be defaulted and never be nil"));
                    return;
                }
                String p = "spec.strategy.rollingUpdate";
                Workloads.positiveIntOrPercent(errs, p + ".maxUnavailable", ru.get("maxUnavailable"));
                Workloads.positiveIntOrPercent(errs, p + ".maxSurge", ru.get("maxSurge"));
                if (Workloads.intOrPercentValue(ru.get("maxUnavailable")) == 0
                        && Workloads.intOrPercentValue(ru.get("maxSurge")) == 0) {
                    errs.add(FieldError.invalid(p + ".maxUnavailable", GoValue.intOrString(ru.get("maxUnavailable")),
                            "may not be 0 when `maxSurge` is 0"));
                }
                Workloads.notOver100Percent(errs, p + ".maxUnavailable", ru.get("maxUnavailable"));
            }
            default -> errs.add(FieldError.notSupported("spec.strategy", new GoValue("apps.DeploymentStrategy{Type:"
                    + GoValue.quote(type) + ", RollingUpdate:(*apps.RollingUpdateDeployment)(nil)}"),
                    List.of("Recreate", "RollingUpdate")));
        }
    }

    @Override
    public List<FieldError> validateUpdate(ObjectNode obj, ObjectNode old) {
        List<FieldError> errs = validate(obj);
        Workloads.selectorImmutable(errs, obj.path("spec"), old.path("spec"));
        return errs;
    }
}
