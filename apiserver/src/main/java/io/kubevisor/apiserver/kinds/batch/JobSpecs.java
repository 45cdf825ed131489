package io.kubevisor.apiserver.kinds.batch;

import java.util.List;
import java.util.Set;

import io.kubevisor.api.FieldError;
import io.kubevisor.apiserver.kinds.pod.PodTemplates;
import io.kubevisor.apiserver.kinds.support.Nodes;
import io.kubevisor.apiserver.kinds.support.Rules;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** Defaults and checks of a JobSpec, shared by Jobs and CronJob job templates (validateJobSpec). */
final class JobSpecs {

    private static final List<String> COMPLETION_MODES = List.of("NonIndexed", "Indexed");
    private static final List<String> REPLACEMENT = List.of("Failed", "TerminatingOrFailed");
    private static final long MAX_INDEXED_PARALLELISM = 100_000;

    private JobSpecs() {
    }

    /** The pod template defaults every JobSpec gets (also inside CronJobs). */
    static void templateDefaults(ObjectNode spec) {
        PodTemplates.applyDefaults(Nodes.object(spec, "template"));
    }

    /** SetDefaults_Job's spec part: counts, completion mode, suspend, replacement policy. */
    static void jobDefaults(ObjectNode spec) {
        if (!Nodes.has(spec, "completions") && !Nodes.has(spec, "parallelism")) {
            spec.put("completions", 1);
            spec.put("parallelism", 1);
        }
        Nodes.defaultNumber(spec, "parallelism", 1);
        Nodes.defaultNumber(spec, "backoffLimit", Nodes.has(spec, "backoffLimitPerIndex") ? Integer.MAX_VALUE : 6);
        Nodes.defaultText(spec, "completionMode", "NonIndexed");
        Nodes.defaultBoolean(spec, "suspend", false);
        boolean failurePolicy = Nodes.has(spec, "podFailurePolicy");
        if (failurePolicy) {
            for (JsonNode rule : Nodes.elements(spec.get("podFailurePolicy"), "rules")) {
                for (ObjectNode pattern : Nodes.objects(rule, "onPodConditions")) {
                    Nodes.defaultText(pattern, "status", "True");
                }
            }
        }
        Nodes.defaultText(spec, "podReplacementPolicy", failurePolicy ? "Failed" : "TerminatingOrFailed");
    }

    /** validateJobSpec at {@code path} (spec, or spec.jobTemplate.spec). */
    static void validate(List<FieldError> errs, String path, JsonNode spec) {
        for (String f : new String[] {"parallelism", "completions", "activeDeadlineSeconds", "backoffLimit",
            "ttlSecondsAfterFinished"}) {
            Rules.nonNegative(errs, path + "." + f, spec, f);
        }
        if (Nodes.has(spec, "completionMode")) {
            String mode = Nodes.text(spec, "completionMode");
            if (!COMPLETION_MODES.contains(mode)) {
                errs.add(FieldError.notSupported(path + ".completionMode", mode, COMPLETION_MODES));
            }
            if (mode.equals("Indexed")) {
                if (!Nodes.has(spec, "completions")) {
                    errs.add(FieldError.required(path + ".completions", "when completion mode is Indexed"));
                }
                long parallelism = Nodes.number(spec, "parallelism", 0);
                if (parallelism > MAX_INDEXED_PARALLELISM) {
                    errs.add(FieldError.invalid(path + ".parallelism", parallelism,
                            "must be less than or equal to 100000 when completion mode is Indexed"));
                }
            }
        }
        if (Nodes.has(spec, "podReplacementPolicy")) {
            String policy = Nodes.text(spec, "podReplacementPolicy");
            if (Nodes.has(spec, "podFailurePolicy")) {
                if (!policy.equals("Failed")) {
                    errs.add(FieldError.notSupported(path + ".podReplacementPolicy", policy, List.of("Failed")));
                }
            } else if (!REPLACEMENT.contains(policy)) {
                errs.add(FieldError.notSupported(path + ".podReplacementPolicy", policy, REPLACEMENT));
            }
        }
        String restart = Nodes.text(spec.path("template").path("spec"), "restartPolicy");
        String restartPath = path + ".template.spec.restartPolicy";
        if (!restart.equals("OnFailure") && !restart.equals("Never")) {
            errs.add(FieldError.notSupported(restartPath, restart, List.of("OnFailure", "Never")));
        } else if (restart.equals("OnFailure") && Nodes.has(spec, "podFailurePolicy")) {
            errs.add(FieldError.invalid(restartPath, restart, "only \"Never\" is supported when podFailurePolicy is specified"));
        }
        errs.addAll(PodTemplates.validate(spec.get("template"), path + ".template", Set.of()));
    }
}
