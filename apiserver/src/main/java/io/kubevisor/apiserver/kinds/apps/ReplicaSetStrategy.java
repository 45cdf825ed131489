package io.kubevisor.apiserver.kinds.apps;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.kubevisor.api.FieldError;
import io.kubevisor.apiserver.kinds.pod.PodTemplates;
import io.kubevisor.apiserver.kinds.support.Decoding;
import io.kubevisor.apiserver.kinds.support.Nodes;
import io.kubevisor.apiserver.kinds.support.Rules;
import io.kubevisor.apiserver.registry.Strategy;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** ReplicaSets (apps/v1): one replica by default, ValidateReplicaSetSpec, selectable status.replicas. */
public final class ReplicaSetStrategy implements Strategy {

    @Override
    public boolean tracksGeneration() {
        return true;
    }

    @Override
    public void applyDefaults(ObjectNode obj) {
        Decoding.guard(obj, () -> {
            ObjectNode spec = Nodes.object(obj, "spec");
            Nodes.dropZero(spec, "minReadySeconds");
            Nodes.defaultNumber(spec, "replicas", 1);
            PodTemplates.applyDefaults(Nodes.object(spec, "template"));
        });
        // ReplicaSetStatus.replicas has no omitempty: Kubernetes always writes it.
        Nodes.defaultNumber(Nodes.object(obj, "status"), "replicas", 0);
    }

    @Override
    public void prepareForCreate(ObjectNode obj) {
        obj.putObject("status").put("replicas", 0);
    }

    @Override
    public List<FieldError> validate(ObjectNode obj) {
        List<FieldError> errs = new ArrayList<>();
        JsonNode spec = obj.path("spec");
        Rules.nonNegative(errs, "spec.replicas", spec, "replicas");
        Rules.nonNegative(errs, "spec.minReadySeconds", spec, "minReadySeconds");
        Workloads.selector(errs, spec, "empty selector is invalid for deployment");
        Workloads.replicaSetTemplate(errs, spec, "ReplicaSet");
        return errs;
    }

    @Override
    public List<FieldError> validateUpdate(ObjectNode obj, ObjectNode old) {
        List<FieldError> errs = validate(obj);
        Workloads.selectorImmutable(errs, obj.path("spec"), old.path("spec"));
        return errs;
    }

    @Override
    public List<String> selectableFieldNames() {
        return List.of("status.replicas");
    }

    @Override
    public Map<String, String> selectableFields(ObjectNode obj) {
        return Map.of("status.replicas", Long.toString(Nodes.number(obj.path("status"), "replicas", 0)));
    }
}
