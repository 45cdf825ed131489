package io.kubevisor.apiserver.kinds.batch;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.kubevisor.api.FieldError;
import io.kubevisor.apiserver.kinds.support.Decoding;
import io.kubevisor.apiserver.kinds.support.GoValue;
import io.kubevisor.apiserver.kinds.support.Nodes;
import io.kubevisor.apiserver.kinds.support.Rules;
import io.kubevisor.apiserver.meta.Validation;
import io.kubevisor.apiserver.registry.Strategy;
import io.kubevisor.apiserver.selection.Selectors;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Jobs (batch/v1): SetDefaults_Job, the generated selector and pod labels (controller-uid and
 * job-name, new and legacy keys), restartPolicy OnFailure or Never, and the update rules.
 * Stateless.
 */
public final class JobStrategy implements Strategy {

    static final String CONTROLLER_UID = "batch.kubernetes.io/controller-uid";
    static final String LEGACY_CONTROLLER_UID = "controller-uid";
    static final String JOB_NAME = "batch.kubernetes.io/job-name";
    static final String LEGACY_JOB_NAME = "job-name";

    @Override
    public boolean tracksGeneration() {
        return true;
    }

    @Override
    public void applyDefaults(ObjectNode obj) {
        Decoding.guard(obj, () -> {
            ObjectNode spec = Nodes.object(obj, "spec");
            JobSpecs.jobDefaults(spec);
            JobSpecs.templateDefaults(spec);
        });
        copyTemplateLabels(obj);
    }

    /** Jobs without labels take their template's labels (SetDefaults_Job). */
    private static void copyTemplateLabels(ObjectNode obj) {
        ObjectNode meta = Nodes.object(obj, "metadata");
        JsonNode templateLabels = obj.path("spec").path("template").path("metadata").get("labels");
        if (templateLabels instanceof ObjectNode tl && !tl.isEmpty() && !Nodes.hasEntries(meta, "labels")) {
            meta.set("labels", tl.deepCopy());
        }
    }

    @Override
    public void prepareForCreate(ObjectNode obj) {
        obj.putObject("status");
        ObjectNode spec = Nodes.object(obj, "spec");
        if (!Nodes.isTrue(spec, "manualSelector")) {
            generateSelector(obj, spec);
        }
        // Kubernetes defaults again when it reads the stored job, so the generated labels land here too.
        copyTemplateLabels(obj);
    }

    private static void generateSelector(ObjectNode obj, ObjectNode spec) {
        String name = Nodes.text(obj.path("metadata"), "name");
        String uid = Nodes.text(obj.path("metadata"), "uid");
        ObjectNode labels = Nodes.object(Nodes.object(Nodes.object(spec, "template"), "metadata"), "labels");
        for (String key : new String[] {LEGACY_JOB_NAME, JOB_NAME}) {
            if (!labels.has(key)) {
                labels.put(key, name);
            }
        }
        for (String key : new String[] {LEGACY_CONTROLLER_UID, CONTROLLER_UID}) {
            if (!labels.has(key)) {
                labels.put(key, uid);
            }
        }
        ObjectNode matchLabels = Nodes.object(Nodes.object(spec, "selector"), "matchLabels");
        if (!matchLabels.has(CONTROLLER_UID)) {
            matchLabels.put(CONTROLLER_UID, uid);
        }
    }

    @Override
    public List<FieldError> validate(ObjectNode obj) {
        List<FieldError> errs = new ArrayList<>();
        generatedSelector(errs, obj);
        JsonNode spec = obj.path("spec");
        JobSpecs.validate(errs, "spec", spec);
        JsonNode selector = spec.get("selector");
        if (selector == null || selector.isNull()) {
            errs.add(FieldError.required("spec.selector", ""));
        } else {
            Rules.labelSelector(errs, "spec.selector", selector);
            if (!Selectors.fromLabelSelector(selector).matches(Selectors.labelsOf(spec.path("template").path("metadata")
                    .path("labels")))) {
                errs.add(FieldError.invalid("spec.template.metadata.labels",
                        GoValue.stringMap(spec.path("template").path("metadata").get("labels")),
                        "`selector` does not match template `labels`"));
            }
        }
        if ("Indexed".equals(Nodes.text(spec, "completionMode")) && Nodes.number(spec, "completions", 0) > 0) {
            String name = Nodes.text(obj.path("metadata"), "name");
            String maxPod = name + "-" + (Nodes.number(spec, "completions", 0) - 1);
            if (!Validation.dns1123Label(maxPod).isEmpty()) {
                errs.add(FieldError.invalid("metadata.name", name,
                        "will not able to create pod with invalid DNS label: " + maxPod));
            }
        }
        return errs;
    }

    /** validateGeneratedSelector: the generated labels are present and the selector picks the uid. */
    private static void generatedSelector(List<FieldError> errs, ObjectNode obj) {
        JsonNode spec = obj.path("spec");
        if (Nodes.isTrue(spec, "manualSelector") || !Nodes.has(spec, "selector")) {
            return;
        }
        String uid = Nodes.text(obj.path("metadata"), "uid");
        String name = Nodes.text(obj.path("metadata"), "name");
        if (uid.isEmpty()) {
            errs.add(FieldError.required("metadata.uid", ""));
        }
        JsonNode labels = spec.path("template").path("metadata").get("labels");
        hasLabel(errs, labels, LEGACY_CONTROLLER_UID, uid);
        hasLabel(errs, labels, LEGACY_JOB_NAME, name);
        hasLabel(errs, labels, CONTROLLER_UID, uid);
        hasLabel(errs, labels, JOB_NAME, name);
        if (!Selectors.fromLabelSelector(spec.get("selector")).matches(Map.of(CONTROLLER_UID, uid))) {
            errs.add(FieldError.invalid("spec.selector", GoValue.labelSelector(spec.get("selector")),
                    "`selector` not auto-generated"));
        }
    }

    private static void hasLabel(List<FieldError> errs, JsonNode labels, String key, String expected) {
        String path = "spec.template.metadata.labels[" + key + "]";
        if (labels == null || !labels.has(key)) {
            errs.add(FieldError.required(path, "must be '" + expected + "'"));
        } else if (!Nodes.text(labels, key).equals(expected)) {
            errs.add(FieldError.invalid(path, GoValue.stringMap(labels), "must be '" + expected + "'"));
        }
    }

    @Override
    public List<FieldError> validateUpdate(ObjectNode obj, ObjectNode old) {
        List<FieldError> errs = validate(obj);
        JobUpdates.validate(errs, obj, old);
        return errs;
    }

    @Override
    public List<String> selectableFieldNames() {
        return List.of("status.successful");
    }

    @Override
    public Map<String, String> selectableFields(ObjectNode obj) {
        return Map.of("status.successful", Long.toString(Nodes.number(obj.path("status"), "succeeded", 0)));
    }
}
