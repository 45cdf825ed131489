package io.kubevisor.apiserver.kinds.batch;

import java.util.List;

import io.kubevisor.api.FieldError;
import io.kubevisor.apiserver.kinds.support.GoValue;
import io.kubevisor.apiserver.kinds.support.Nodes;
import io.kubevisor.apiserver.kinds.support.Rules;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * What a Job update may change (ValidateJobSpecUpdate): the selector, template, completion mode
 * and failure policies are fixed; completions change only for Indexed jobs together with
 * parallelism; a suspended job that never started may change its scheduling directives.
 */
final class JobUpdates {

    private JobUpdates() {
    }

    static void validate(List<FieldError> errs, JsonNode job, JsonNode old) {
        JsonNode spec = job.path("spec");
        JsonNode oldSpec = old.path("spec");
        completions(errs, spec, oldSpec);
        JsonNode selector = spec.get("selector");
        if (!Nodes.semanticEquals(selector, oldSpec.get("selector"))) {
            errs.add(FieldError.invalid("spec.selector", selector == null || selector.isNull() ? null
                    : GoValue.labelSelector(selector), Rules.IMMUTABLE));
        }
        boolean mutableScheduling = Nodes.isTrue(oldSpec, "suspend") && !Nodes.has(old.path("status"), "startTime");
        JsonNode template = spec.get("template");
        JsonNode oldTemplate = oldSpec.get("template");
        if (mutableScheduling && template instanceof ObjectNode t && oldTemplate instanceof ObjectNode o) {
            template = withoutSchedulingDirectives(t);
            oldTemplate = withoutSchedulingDirectives(o);
        }
        if (!Nodes.semanticEquals(template, oldTemplate)) {
            errs.add(FieldError.invalid("spec.template", new GoValue("core.PodTemplateSpec" + spec.path("template")),
                    Rules.IMMUTABLE));
        }
        for (String f : new String[] {"completionMode", "podFailurePolicy", "backoffLimitPerIndex", "managedBy",
            "successPolicy"}) {
            Rules.immutable(errs, "spec." + f, spec.get(f), oldSpec.get(f), Rules.shown(spec.get(f)));
        }
    }

    private static void completions(List<FieldError> errs, JsonNode spec, JsonNode oldSpec) {
        JsonNode now = spec.get("completions");
        if (Nodes.semanticEquals(now, oldSpec.get("completions"))) {
            return;
        }
        if (!"Indexed".equals(Nodes.text(spec, "completionMode"))) {
            errs.add(FieldError.invalid("spec.completions", Rules.shown(now), Rules.IMMUTABLE));
        } else if (now != null && !now.isNull() && now.asLong() != Nodes.number(spec, "parallelism", -1)) {
            errs.add(FieldError.invalid("spec.completions", now.asLong(),
                    "can only be modified in tandem with spec.parallelism"));
        }
    }

    private static ObjectNode withoutSchedulingDirectives(ObjectNode template) {
        ObjectNode t = template.deepCopy();
        ObjectNode meta = Nodes.object(t, "metadata");
        meta.remove("labels");
        meta.remove("annotations");
        ObjectNode spec = Nodes.object(t, "spec");
        spec.remove("nodeSelector");
        spec.remove("tolerations");
        spec.remove("schedulingGates");
        if (spec.get("affinity") instanceof ObjectNode affinity) {
            affinity.remove("nodeAffinity");
        }
        return t;
    }
}
