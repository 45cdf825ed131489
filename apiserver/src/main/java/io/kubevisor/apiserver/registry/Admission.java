package io.kubevisor.apiserver.registry;

import io.kubevisor.api.resource.ResourceType;
import tools.jackson.databind.node.ObjectNode;

/**
 * Checks a write may happen, after validation and before storage. Implementations throw an
 * {@link io.kubevisor.api.ApiException} to refuse; they may mutate the object (mutating admission).
 */
public interface Admission {

    /** Called for creates (including create-on-update and apply-creates). */
    void admitCreate(ResourceType type, ObjectNode obj);

    Admission NONE = (type, obj) -> {
    };
}
