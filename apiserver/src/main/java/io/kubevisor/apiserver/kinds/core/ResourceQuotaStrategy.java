package io.kubevisor.apiserver.kinds.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.kubevisor.api.FieldError;
import io.kubevisor.apiserver.kinds.pod.ResourceValidation;
import io.kubevisor.apiserver.kinds.quantity.Quantity;
import io.kubevisor.apiserver.kinds.quantity.ResourceLists;
import io.kubevisor.apiserver.kinds.support.Decoding;
import io.kubevisor.apiserver.kinds.support.GoValue;
import io.kubevisor.apiserver.kinds.support.Nodes;
import io.kubevisor.apiserver.kinds.support.Rules;
import io.kubevisor.apiserver.registry.Strategy;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * ResourceQuotas: quantities in canonical form, standard resource names, non-negative (and for
 * object counts whole) values, and known scopes. The status belongs to the quota controller.
 */
public final class ResourceQuotaStrategy implements Strategy {

    private static final Set<String> STANDARD = Set.of("pods", "services", "replicationcontrollers", "resourcequotas",
            "secrets", "configmaps", "persistentvolumeclaims", "services.nodeports", "services.loadbalancers", "cpu",
            "memory", "ephemeral-storage", "requests.cpu", "requests.memory", "requests.storage",
            "requests.ephemeral-storage", "limits.cpu", "limits.memory", "limits.ephemeral-storage", "storage");
    private static final List<String> SCOPES = List.of("BestEffort", "CrossNamespacePodAffinity", "NotBestEffort",
            "NotTerminating", "PriorityClass", "Terminating", "VolumeAttributesClass");

    @Override
    public void applyDefaults(ObjectNode obj) {
        Decoding.guard(obj, () -> {
            ResourceLists.canonicalize(Nodes.objectOrNull(obj, "spec"), "hard");
            ResourceLists.canonicalize(Nodes.objectOrNull(obj, "status"), "hard");
            ResourceLists.canonicalize(Nodes.objectOrNull(obj, "status"), "used");
        });
    }

    @Override
    public void prepareForCreate(ObjectNode obj) {
        obj.putObject("status");
    }

    @Override
    public List<FieldError> validate(ObjectNode obj) {
        List<FieldError> errs = new ArrayList<>();
        JsonNode spec = obj.path("spec");
        list(errs, "spec.hard", spec.get("hard"));
        List<String> scopes = Nodes.strings(spec, "scopes");
        for (String scope : scopes) {
            if (!SCOPES.contains(scope)) {
                errs.add(FieldError.invalid("spec.scopes", scope, "unsupported scope"));
            }
        }
        if ((scopes.contains("BestEffort") && scopes.contains("NotBestEffort"))
                || (scopes.contains("Terminating") && scopes.contains("NotTerminating"))) {
            errs.add(FieldError.invalid("spec.scopes", GoValue.stringSlice(scopes, false), "conflicting scopes"));
        }
        list(errs, "status.hard", obj.path("status").get("hard"));
        list(errs, "status.used", obj.path("status").get("used"));
        return errs;
    }

    private static void list(List<FieldError> errs, String path, JsonNode hard) {
        for (Map.Entry<String, Quantity> e : ResourceLists.entries(hard).entrySet()) {
            String name = e.getKey();
            String p = Rules.key(path, name);
            int before = errs.size();
            Rules.qualifiedName(errs, p, name);
            if (errs.size() == before && !name.contains("/") && !STANDARD.contains(name)
                    && !name.startsWith("hugepages-") && !name.startsWith("requests.hugepages-")) {
                errs.add(FieldError.invalid(p, name, "must be a standard resource for quota"));
            }
            ResourceValidation.quantityValue(errs, p, name, e.getValue());
        }
    }

    @Override
    public boolean returnDeletedObject() {
        return true;
    }
}
