package io.kubevisor.apiserver.admission;

import java.util.Optional;
import java.util.function.Function;

import io.kubevisor.api.ApiException;
import io.kubevisor.api.resource.ResourceType;
import io.kubevisor.apiserver.registry.Admission;
import io.kubevisor.apiserver.registry.AdmissionRequest;
import tools.jackson.databind.node.ObjectNode;

/**
 * The admission every server runs on creates: namespace lifecycle (no new objects in missing or
 * terminating namespaces) and service address allocation.
 */
public final class BuiltinAdmission implements Admission {

    private final Function<String, Optional<ObjectNode>> namespaces;
    private final ServiceAllocator services;

    /**
     * @param namespaces looks a namespace up by name
     * @param services   allocates ClusterIPs and node ports
     */
    public BuiltinAdmission(Function<String, Optional<ObjectNode>> namespaces, ServiceAllocator services) {
        this.namespaces = namespaces;
        this.services = services;
    }

    @Override
    public void admit(AdmissionRequest request) {
        if (request.operation() != AdmissionRequest.Operation.CREATE) {
            return;
        }
        ResourceType type = request.type();
        ObjectNode obj = request.object();
        if (type.namespaced()) {
            String ns = request.namespace();
            ObjectNode namespace = namespaces.apply(ns)
                    .orElseThrow(() -> new ApiException.NotFound("", "namespaces", ns));
            if (namespace.path("metadata").hasNonNull("deletionTimestamp")
                    || "Terminating".equals(namespace.path("status").path("phase").asString(""))) {
                throw request.forbidden("unable to create new content in namespace " + ns
                        + " because it is being terminated");
            }
        }
        if (type.group().isEmpty() && type.plural().equals("services")) {
            services.allocate(obj);
        }
    }
}
