package io.kubevisor.apiserver.kinds.apps;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import io.kubevisor.api.FieldError;
import io.kubevisor.apiserver.kinds.pod.ClaimSpecDefaults;
import io.kubevisor.apiserver.kinds.pod.PodTemplates;
import io.kubevisor.apiserver.kinds.support.Decoding;
import io.kubevisor.apiserver.kinds.support.GoValue;
import io.kubevisor.apiserver.kinds.support.Nodes;
import io.kubevisor.apiserver.kinds.support.Rules;
import io.kubevisor.apiserver.registry.Strategy;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * StatefulSets (apps/v1): SetDefaults_StatefulSet (with claim template defaults),
 * ValidateStatefulSetSpec, and which spec fields an update may change. The pod template is
 * validated with the claim templates counted as volumes, which is what mounts refer to.
 */
public final class StatefulSetStrategy implements Strategy {

    static final String UPDATE_FORBIDDEN = "updates to statefulset spec for fields other than 'replicas', "
            + "'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and "
            + "'minReadySeconds' are forbidden";
    private static final List<String> RETENTION = List.of("Retain", "Delete");

    @Override
    public boolean tracksGeneration() {
        return true;
    }

    @Override
    public void applyDefaults(ObjectNode obj) {
        Decoding.guard(obj, () -> {
            ObjectNode spec = Nodes.object(obj, "spec");
            Nodes.dropZero(spec, "minReadySeconds", "serviceName", "podManagementPolicy");
            Nodes.defaultText(spec, "podManagementPolicy", "OrderedReady");
            ObjectNode us = Nodes.object(spec, "updateStrategy");
            if (Nodes.text(us, "type").isEmpty()) {
                us.put("type", "RollingUpdate");
                Nodes.object(us, "rollingUpdate");
            }
            if (Nodes.text(us, "type").equals("RollingUpdate") && Nodes.objectOrNull(us, "rollingUpdate") != null) {
                Nodes.defaultNumber(Nodes.object(us, "rollingUpdate"), "partition", 0);
            }
            ObjectNode retention = Nodes.object(spec, "persistentVolumeClaimRetentionPolicy");
            Nodes.defaultText(retention, "whenDeleted", "Retain");
            Nodes.defaultText(retention, "whenScaled", "Retain");
            Nodes.defaultNumber(spec, "replicas", 1);
            Nodes.defaultNumber(spec, "revisionHistoryLimit", 10);
            PodTemplates.applyDefaults(Nodes.object(spec, "template"));
            for (ObjectNode claim : Nodes.objects(spec, "volumeClaimTemplates")) {
                PodTemplates.templateMeta(Nodes.object(claim, "metadata"));
                ClaimSpecDefaults.apply(Nodes.object(claim, "spec"));
                Nodes.defaultText(Nodes.object(claim, "status"), "phase", "Pending");
            }
        });
        statusCounts(Nodes.object(obj, "status"));
    }

    private static void statusCounts(ObjectNode status) {
        Nodes.defaultNumber(status, "replicas", 0);
        Nodes.defaultNumber(status, "availableReplicas", 0);
    }

    @Override
    public void prepareForCreate(ObjectNode obj) {
        statusCounts(obj.putObject("status"));
    }

    @Override
    public List<FieldError> validate(ObjectNode obj) {
        List<FieldError> errs = new ArrayList<>();
        JsonNode spec = obj.path("spec");
        String pmp = Nodes.text(spec, "podManagementPolicy");
        if (pmp.isEmpty()) {
            errs.add(FieldError.required("spec.podManagementPolicy", ""));
        } else if (!pmp.equals("OrderedReady") && !pmp.equals("Parallel")) {
            errs.add(FieldError.invalid("spec.podManagementPolicy", pmp, "must be 'OrderedReady' or 'Parallel'"));
        }
        updateStrategy(errs, spec.path("updateStrategy"));
        JsonNode retention = spec.path("persistentVolumeClaimRetentionPolicy");
        for (String f : new String[] {"whenDeleted", "whenScaled"}) {
            String v = Nodes.text(retention, f);
            if (!RETENTION.contains(v)) {
                errs.add(FieldError.notSupported("spec.persistentVolumeClaimRetentionPolicy." + f, v, RETENTION));
            }
        }
        Rules.nonNegative(errs, "spec.replicas", spec, "replicas");
        Rules.nonNegative(errs, "spec.ordinals.start", spec.path("ordinals"), "start");
        Rules.nonNegative(errs, "spec.minReadySeconds", spec, "minReadySeconds");
        Workloads.selector(errs, spec, "empty selector is invalid for statefulset");
        JsonNode selector = spec.get("selector");
        if (selector != null && selector.isObject() && !Rules.emptySelector(selector) && Workloads.selectorMisses(spec)) {
            errs.add(Workloads.labelsMismatch(spec));
        }
        Set<String> claims = new LinkedHashSet<>();
        for (JsonNode claim : Nodes.elements(spec, "volumeClaimTemplates")) {
            claims.add(Nodes.text(claim.path("metadata"), "name"));
        }
        errs.addAll(PodTemplates.validate(spec.get("template"), "spec.template", claims));
        Workloads.restartAlways(errs, spec);
        if (Nodes.has(spec.path("template").path("spec"), "activeDeadlineSeconds")) {
            errs.add(FieldError.forbidden("spec.template.spec.activeDeadlineSeconds",
                    "activeDeadlineSeconds in StatefulSet is not Supported"));
        }
        return errs;
    }

    private static void updateStrategy(List<FieldError> errs, JsonNode us) {
        String type = Nodes.text(us, "type");
        switch (type) {
            case "" -> errs.add(FieldError.required("spec.updateStrategy", ""));
            case "OnDelete" -> {
                if (Nodes.has(us, "rollingUpdate")) {
                    errs.add(FieldError.invalid("spec.updateStrategy.rollingUpdate", new GoValue(
                            "apps.RollingUpdateStatefulSetStrategy{Partition:"
                                    + Nodes.number(us.path("rollingUpdate"), "partition", 0)
                                    + ", MaxUnavailable:(*intstr.IntOrString)(nil)}"),
                            "only allowed for updateStrategy 'RollingUpdate'"));
                }
            }
            case "RollingUpdate" -> {
                JsonNode ru = us.get("rollingUpdate");
                if (ru != null && ru.isObject()) {
                    Rules.nonNegative(errs, "spec.updateStrategy.rollingUpdate.partition", ru, "partition");
                    if (Nodes.has(ru, "maxUnavailable")) {
                        Workloads.positiveIntOrPercent(errs, "spec.updateStrategy.rollingUpdate.maxUnavailable",
                                ru.get("maxUnavailable"));
                    }
                }
            }
            default -> errs.add(FieldError.invalid("spec.updateStrategy", new GoValue(
                    "apps.StatefulSetUpdateStrategy{Type:" + GoValue.quote(type)
                            + ", RollingUpdate:(*apps.RollingUpdateStatefulSetStrategy)(nil)}"),
                    "must be 'RollingUpdate' or 'OnDelete'"));
        }
    }

    @Override
    public List<FieldError> validateUpdate(ObjectNode obj, ObjectNode old) {
        List<FieldError> errs = validate(obj);
        ObjectNode spec = obj.path("spec") instanceof ObjectNode s ? s.deepCopy() : obj.objectNode();
        ObjectNode oldSpec = old.path("spec") instanceof ObjectNode s ? s.deepCopy() : obj.objectNode();
        for (String f : new String[] {"replicas", "ordinals", "template", "updateStrategy",
            "persistentVolumeClaimRetentionPolicy", "minReadySeconds"}) {
            spec.remove(f);
            oldSpec.remove(f);
        }
        if (!Nodes.semanticEquals(spec, oldSpec)) {
            errs.add(FieldError.forbidden("spec", UPDATE_FORBIDDEN));
        }
        return errs;
    }
}
