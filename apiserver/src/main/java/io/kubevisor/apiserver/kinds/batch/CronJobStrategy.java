package io.kubevisor.apiserver.kinds.batch;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.kubevisor.api.FieldError;
import io.kubevisor.apiserver.kinds.pod.PodTemplates;
import io.kubevisor.apiserver.kinds.support.Decoding;
import io.kubevisor.apiserver.kinds.support.GoValue;
import io.kubevisor.apiserver.kinds.support.Nodes;
import io.kubevisor.apiserver.kinds.support.Rules;
import io.kubevisor.apiserver.registry.Strategy;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * CronJobs (batch/v1): SetDefaults_CronJob plus the job template's pod defaults (job-level
 * defaults apply only to the Jobs created from it), the schedule parsed as cron does, time zones,
 * and names short enough for the Jobs' generated names. Stateless.
 */
public final class CronJobStrategy implements Strategy {

    private static final List<String> CONCURRENCY = List.of("Allow", "Forbid", "Replace");
    private static final int MAX_NAME = 52;

    @Override
    public boolean tracksGeneration() {
        return true;
    }

    @Override
    public void applyDefaults(ObjectNode obj) {
        Decoding.guard(obj, () -> {
            ObjectNode spec = Nodes.object(obj, "spec");
            Nodes.defaultText(spec, "concurrencyPolicy", "Allow");
            Nodes.defaultBoolean(spec, "suspend", false);
            Nodes.defaultNumber(spec, "successfulJobsHistoryLimit", 3);
            Nodes.defaultNumber(spec, "failedJobsHistoryLimit", 1);
            ObjectNode jobTemplate = Nodes.object(spec, "jobTemplate");
            PodTemplates.templateMeta(Nodes.object(jobTemplate, "metadata"));
            JobSpecs.templateDefaults(Nodes.object(jobTemplate, "spec"));
        });
    }

    @Override
    public void prepareForCreate(ObjectNode obj) {
        obj.putObject("status");
    }

    @Override
    public List<FieldError> validate(ObjectNode obj) {
        List<FieldError> errs = new ArrayList<>();
        String name = Nodes.text(obj.path("metadata"), "name");
        if (name.length() > MAX_NAME) {
            errs.add(FieldError.invalid("metadata.name", name, "must be no more than 52 characters"));
        }
        spec(errs, obj.path("spec"), false);
        return errs;
    }

    private static void spec(List<FieldError> errs, JsonNode spec, boolean allowTzInSchedule) {
        String schedule = Nodes.text(spec, "schedule");
        if (schedule.isEmpty()) {
            errs.add(FieldError.required("spec.schedule", ""));
        } else {
            Optional<String> problem = CronSchedule.problem(schedule);
            problem.ifPresent(p -> errs.add(FieldError.invalid("spec.schedule", schedule, p)));
            if (allowTzInSchedule && schedule.contains("TZ") && Nodes.has(spec, "timeZone")) {
                errs.add(FieldError.invalid("spec.schedule", schedule, "cannot use both timeZone field and TZ or CRON_TZ in schedule"));
            } else if (!allowTzInSchedule && schedule.contains("TZ")) {
                errs.add(FieldError.invalid("spec.schedule", schedule, "cannot use TZ or CRON_TZ in schedule, use timeZone field instead"));
            }
        }
        Rules.nonNegative(errs, "spec.startingDeadlineSeconds", spec, "startingDeadlineSeconds");
        timeZone(errs, spec);
        Rules.oneOf(errs, "spec.concurrencyPolicy", Nodes.text(spec, "concurrencyPolicy"), CONCURRENCY);
        JsonNode jobTemplate = spec.path("jobTemplate");
        Rules.labels(errs, "spec.jobTemplate.metadata.labels", jobTemplate.path("metadata").get("labels"));
        Rules.annotations(errs, "spec.jobTemplate.metadata.annotations", jobTemplate.path("metadata").get("annotations"));
        JsonNode jobSpec = jobTemplate.path("spec");
        JobSpecs.validate(errs, "spec.jobTemplate.spec", jobSpec);
        if (Nodes.has(jobSpec, "selector")) {
            errs.add(FieldError.invalid("spec.jobTemplate.spec.selector", GoValue.labelSelector(jobSpec.get("selector")),
                    "`selector` will be auto-generated"));
        }
        if (Nodes.isTrue(jobSpec, "manualSelector")) {
            errs.add(FieldError.notSupported("spec.jobTemplate.spec.manualSelector", true, List.of("nil", "false")));
        }
        Rules.nonNegative(errs, "spec.successfulJobsHistoryLimit", spec, "successfulJobsHistoryLimit");
        Rules.nonNegative(errs, "spec.failedJobsHistoryLimit", spec, "failedJobsHistoryLimit");
    }

    private static void timeZone(List<FieldError> errs, JsonNode spec) {
        if (!Nodes.has(spec, "timeZone")) {
            return;
        }
        String tz = Nodes.text(spec, "timeZone");
        if (tz.isEmpty()) {
            errs.add(FieldError.invalid("spec.timeZone", tz, "timeZone must be nil or non-empty string"));
        } else if (tz.equalsIgnoreCase("Local")) {
            errs.add(FieldError.invalid("spec.timeZone", tz,
                    "timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones"));
        } else if (!CronSchedule.knownTimeZone(tz)) {
            errs.add(FieldError.invalid("spec.timeZone", tz, "unknown time zone " + tz));
        }
    }

    @Override
    public List<FieldError> validateUpdate(ObjectNode obj, ObjectNode old) {
        // The name limit applies to new CronJobs only, so older long-named ones stay updatable.
        List<FieldError> errs = new ArrayList<>();
        spec(errs, obj.path("spec"), Nodes.text(old.path("spec"), "schedule").contains("TZ"));
        return errs;
    }
}
