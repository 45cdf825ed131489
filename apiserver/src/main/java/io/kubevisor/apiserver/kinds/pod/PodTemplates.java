package io.kubevisor.apiserver.kinds.pod;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import io.kubevisor.api.FieldError;
import io.kubevisor.apiserver.kinds.support.Nodes;
import io.kubevisor.apiserver.kinds.support.Rules;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Pod templates inside workloads (PodTemplateSpec): their defaults and ValidatePodTemplateSpec.
 * Stateless.
 */
public final class PodTemplates {

    private PodTemplates() {
    }

    /**
     * Defaults a template in place: the pod spec defaults, and the template's zero creation
     * timestamp, which Kubernetes writes as {@code creationTimestamp: null}.
     *
     * @throws io.kubevisor.apiserver.kinds.quantity.QuantityFormatException for malformed quantities
     */
    public static void applyDefaults(ObjectNode template) {
        templateMeta(Nodes.object(template, "metadata"));
        PodSpecDefaults.apply(Nodes.object(template, "spec"));
    }

    /** Normalizes embedded ObjectMeta as Go writes it: no zero fields, and a null creationTimestamp. */
    public static void templateMeta(ObjectNode meta) {
        Nodes.dropZero(meta, "generation", "name", "namespace", "generateName", "uid", "resourceVersion");
        Nodes.dropEmpty(meta, "labels", "annotations");
        if (!meta.has("creationTimestamp") || meta.get("creationTimestamp").isString()
                && meta.get("creationTimestamp").stringValue().isEmpty()) {
            meta.set("creationTimestamp", Nodes.nullNode());
        }
    }

    /**
     * ValidatePodTemplateSpec: labels, annotations, the pod spec, and no ephemeral containers.
     *
     * @param path         the template's path, e.g. {@code spec.template}
     * @param extraVolumes names mounts may use besides the template's volumes
     */
    public static List<FieldError> validate(JsonNode template, String path, Set<String> extraVolumes) {
        List<FieldError> errs = new ArrayList<>();
        JsonNode meta = template == null ? null : template.get("metadata");
        Rules.labels(errs, path + ".labels", meta == null ? null : meta.get("labels"));
        Rules.annotations(errs, path + ".annotations", meta == null ? null : meta.get("annotations"));
        JsonNode spec = template == null ? null : template.get("spec");
        errs.addAll(PodSpecValidation.validate(spec, path + ".spec", extraVolumes));
        if (Nodes.hasItems(spec, "ephemeralContainers")) {
            errs.add(FieldError.forbidden(path + ".spec.ephemeralContainers",
                    "ephemeral containers not allowed in pod template"));
        }
        return errs;
    }
}
