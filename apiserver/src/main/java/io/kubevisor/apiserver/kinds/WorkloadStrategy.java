package io.kubevisor.apiserver.kinds;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.kubevisor.api.FieldError;
import io.kubevisor.apiserver.registry.Strategy;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Deployments, ReplicaSets, StatefulSets, DaemonSets, Jobs and CronJobs: generation tracking,
 * status reset on create, defaults of the spec and its pod template, and the selector rules.
 */
final class WorkloadStrategy implements Strategy {

    private final String kind;

    WorkloadStrategy(String kind) {
        this.kind = kind;
    }

    @Override
    public boolean tracksGeneration() {
        return true;
    }

    @Override
    public void applyDefaults(ObjectNode obj) {
        ObjectNode spec = Objects.object(obj, "spec");
        switch (kind) {
            case "Deployment" -> {
                Objects.putIfAbsent(spec, "replicas", 1);
                Objects.putIfAbsent(spec, "revisionHistoryLimit", 10);
                Objects.putIfAbsent(spec, "progressDeadlineSeconds", 600);
                ObjectNode strategy = Objects.object(spec, "strategy");
                Objects.putIfAbsent(strategy, "type", "RollingUpdate");
                if (strategy.path("type").asString().equals("RollingUpdate")) {
                    ObjectNode ru = Objects.object(strategy, "rollingUpdate");
                    Objects.putIfAbsent(ru, "maxUnavailable", "25%");
                    Objects.putIfAbsent(ru, "maxSurge", "25%");
                }
            }
            case "ReplicaSet" -> Objects.putIfAbsent(spec, "replicas", 1);
            case "StatefulSet" -> {
                Objects.putIfAbsent(spec, "replicas", 1);
                Objects.putIfAbsent(spec, "podManagementPolicy", "OrderedReady");
                Objects.putIfAbsent(spec, "revisionHistoryLimit", 10);
                ObjectNode us = Objects.object(spec, "updateStrategy");
                Objects.putIfAbsent(us, "type", "RollingUpdate");
                if (us.path("type").asString().equals("RollingUpdate")) {
                    Objects.putIfAbsent(Objects.object(us, "rollingUpdate"), "partition", 0);
                }
                ObjectNode retention = Objects.object(spec, "persistentVolumeClaimRetentionPolicy");
                Objects.putIfAbsent(retention, "whenDeleted", "Retain");
                Objects.putIfAbsent(retention, "whenScaled", "Retain");
            }
            case "DaemonSet" -> {
                Objects.putIfAbsent(spec, "revisionHistoryLimit", 10);
                ObjectNode us = Objects.object(spec, "updateStrategy");
                Objects.putIfAbsent(us, "type", "RollingUpdate");
                if (us.path("type").asString().equals("RollingUpdate")) {
                    ObjectNode ru = Objects.object(us, "rollingUpdate");
                    Objects.putIfAbsent(ru, "maxUnavailable", 1);
                    Objects.putIfAbsent(ru, "maxSurge", 0);
                }
            }
            case "Job" -> jobSpec(spec, obj);
            case "CronJob" -> {
                Objects.putIfAbsent(spec, "concurrencyPolicy", "Allow");
                Objects.putIfAbsent(spec, "suspend", false);
                Objects.putIfAbsent(spec, "successfulJobsHistoryLimit", 3);
                Objects.putIfAbsent(spec, "failedJobsHistoryLimit", 1);
                ObjectNode jt = Objects.object(spec, "jobTemplate");
                jobSpec(Objects.object(jt, "spec"), null);
                return;
            }
            default -> {
            }
        }
        if (spec.get("template") instanceof ObjectNode template && template.get("spec") instanceof ObjectNode ps) {
            PodDefaults.apply(ps);
        }
    }

    private static void jobSpec(ObjectNode spec, ObjectNode job) {
        Objects.putIfAbsent(spec, "parallelism", 1);
        Objects.putIfAbsent(spec, "completions", 1);
        Objects.putIfAbsent(spec, "backoffLimit", 6);
        Objects.putIfAbsent(spec, "completionMode", "NonIndexed");
        Objects.putIfAbsent(spec, "suspend", false);
        Objects.putIfAbsent(spec, "podReplacementPolicy", "TerminatingOrFailed");
        if (spec.get("template") instanceof ObjectNode template) {
            ObjectNode ps = Objects.object(template, "spec");
            Objects.putIfAbsent(ps, "restartPolicy", "Never");
            PodDefaults.apply(ps);
        }
    }

    @Override
    public void prepareForCreate(ObjectNode obj) {
        obj.remove("status");
        obj.putObject("status");
    }

    @Override
    public List<FieldError> validate(ObjectNode obj) {
        List<FieldError> errs = new ArrayList<>();
        JsonNode spec = obj.path("spec");
        if (kind.equals("CronJob")) {
            if (spec.path("schedule").asString("").isBlank()) {
                errs.add(FieldError.required("spec.schedule", ""));
            }
            errs.addAll(PodStrategy.PodValidation.spec(spec.path("jobTemplate").path("spec").path("template")
                    .path("spec"), "spec.jobTemplate.spec.template.spec"));
            return errs;
        }
        if (!kind.equals("Job")) {
            JsonNode selector = spec.path("selector");
            if (selector.isMissingNode() || selector.isNull()) {
                errs.add(FieldError.required("spec.selector", ""));
            } else {
                Map<String, String> labels = io.kubevisor.apiserver.selection.Selectors.labelsOf(
                        spec.path("template").path("metadata").path("labels"));
                if (selector.path("matchLabels").isEmpty() && selector.path("matchExpressions").isEmpty()) {
                    errs.add(FieldError.invalid("spec.selector", selector.toString(),
                            "empty selector is invalid for deployment"));
                } else if (!io.kubevisor.apiserver.selection.Selectors.fromLabelSelector(selector).matches(labels)) {
                    errs.add(FieldError.invalid("spec.template.metadata.labels", labels.toString(),
                            "`selector` does not match template `labels`"));
                }
            }
            if (spec.has("replicas") && spec.path("replicas").asLong() < 0) {
                errs.add(FieldError.invalid("spec.replicas", spec.path("replicas").asLong(),
                        "must be greater than or equal to 0"));
            }
        }
        errs.addAll(PodStrategy.PodValidation.spec(spec.path("template").path("spec"), "spec.template.spec"));
        return errs;
    }

    @Override
    public List<FieldError> validateUpdate(ObjectNode obj, ObjectNode old) {
        List<FieldError> errs = new ArrayList<>(validate(obj));
        if (!kind.equals("CronJob") && !kind.equals("Job")) {
            JsonNode sel = obj.path("spec").path("selector");
            if (!sel.equals(old.path("spec").path("selector"))) {
                errs.add(FieldError.invalid("spec.selector", sel.toString(), "field is immutable"));
            }
        }
        return errs;
    }
}
