package io.kubevisor.apiserver.kinds.coordination;

import java.util.ArrayList;
import java.util.List;

import io.kubevisor.api.FieldError;
import io.kubevisor.apiserver.kinds.support.Nodes;
import io.kubevisor.apiserver.registry.Strategy;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** Leases (coordination.k8s.io/v1): a positive duration and non-negative transitions. Stateless. */
public final class LeaseStrategy implements Strategy {

    @Override
    public boolean allowCreateOnUpdate() {
        return true;
    }

    @Override
    public List<FieldError> validate(ObjectNode obj) {
        List<FieldError> errs = new ArrayList<>();
        JsonNode spec = obj.path("spec");
        if (Nodes.has(spec, "leaseDurationSeconds") && spec.get("leaseDurationSeconds").asLong() <= 0) {
            errs.add(FieldError.invalid("spec.leaseDurationSeconds", spec.get("leaseDurationSeconds").asLong(),
                    "must be greater than 0"));
        }
        if (Nodes.has(spec, "leaseTransitions") && spec.get("leaseTransitions").asLong() < 0) {
            errs.add(FieldError.invalid("spec.leaseTransitions", spec.get("leaseTransitions").asLong(),
                    "must be greater than or equal to 0"));
        }
        return errs;
    }
}
