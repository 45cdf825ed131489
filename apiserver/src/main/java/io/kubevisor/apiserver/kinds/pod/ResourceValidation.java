package io.kubevisor.apiserver.kinds.pod;

import java.util.List;
import java.util.Map;

import io.kubevisor.api.FieldError;
import io.kubevisor.apiserver.kinds.quantity.Quantity;
import io.kubevisor.apiserver.kinds.quantity.ResourceLists;
import io.kubevisor.apiserver.kinds.support.Rules;
import io.kubevisor.apiserver.meta.Validation;
import tools.jackson.databind.JsonNode;

/**
 * Checks of resource names and quantities: container requests and limits
 * (validateResourceRequirements) and the shared name rules of quotas and limit ranges.
 */
public final class ResourceValidation {

    private static final List<String> STANDARD_CONTAINER = List.of("cpu", "memory", "ephemeral-storage");

    private ResourceValidation() {
    }

    /** A container's {@code resources}: names, non-negative values, requests not above limits. */
    static void requirements(List<FieldError> errs, String path, JsonNode resources) {
        if (resources == null || !resources.isObject()) {
            return;
        }
        Map<String, Quantity> limits = ResourceLists.entries(resources.get("limits"));
        Map<String, Quantity> requests = ResourceLists.entries(resources.get("requests"));
        for (Map.Entry<String, Quantity> e : limits.entrySet()) {
            String p = Rules.key(path + ".limits", e.getKey());
            containerResourceName(errs, p, e.getKey());
            quantityValue(errs, p, e.getKey(), e.getValue());
        }
        for (Map.Entry<String, Quantity> e : requests.entrySet()) {
            String name = e.getKey();
            String p = Rules.key(path + ".requests", name);
            containerResourceName(errs, p, name);
            quantityValue(errs, p, name, e.getValue());
            Quantity limit = limits.get(name);
            if (limit != null) {
                if (e.getValue().compareTo(limit) != 0 && !overcommitAllowed(name)) {
                    errs.add(FieldError.invalid(path + ".requests", e.getValue().toString(),
                            "must be equal to " + name + " limit of " + limit));
                } else if (e.getValue().compareTo(limit) > 0) {
                    errs.add(FieldError.invalid(path + ".requests", e.getValue().toString(),
                            "must be less than or equal to " + name + " limit of " + limit));
                }
            } else if (!overcommitAllowed(name)) {
                errs.add(FieldError.required(path + ".limits", "Limit must be set for non overcommitable resources"));
            }
        }
    }

    /** A quantity must not be negative, and must be whole for integer resources. */
    public static void quantityValue(List<FieldError> errs, String path, String resource, Quantity q) {
        if (q.signum() < 0) {
            errs.add(FieldError.invalid(path, q.toString(), Rules.NEGATIVE));
        }
        if (integerResource(resource) && q.milliValue() % 1000 != 0) {
            errs.add(FieldError.invalid(path, q.toString(), Rules.NOT_INTEGER));
        }
    }

    private static void containerResourceName(List<FieldError> errs, String path, String name) {
        int before = errs.size();
        Rules.qualifiedName(errs, path, name);
        if (errs.size() > before) {
            return;
        }
        if (!name.contains("/")) {
            if (!STANDARD_CONTAINER.contains(name) && !name.startsWith("hugepages-")) {
                errs.add(FieldError.invalid(path, name, "must be a standard resource for containers"));
            }
        } else if (!nativeResource(name) && !extendedResource(name)) {
            errs.add(FieldError.invalid(path, name, "doesn't follow extended resource name standard"));
        }
    }

    /** Whether the resource lives in the kubernetes.io namespace (or has none). */
    public static boolean nativeResource(String name) {
        return !name.contains("/") || name.contains("kubernetes.io/");
    }

    /** Whether the resource is an extended one such as {@code example.com/gpu}. */
    public static boolean extendedResource(String name) {
        if (nativeResource(name) || name.startsWith("requests.")) {
            return false;
        }
        return Validation.qualifiedName("requests." + name).isEmpty();
    }

    /** Whether requests may be below limits (native resources except huge pages). */
    public static boolean overcommitAllowed(String name) {
        return nativeResource(name) && !name.startsWith("hugepages-");
    }

    /** Whether the resource counts whole things (objects, extended resources). */
    public static boolean integerResource(String name) {
        return switch (name) {
            case "pods", "services", "replicationcontrollers", "resourcequotas", "secrets", "configmaps",
                 "persistentvolumeclaims", "services.nodeports", "services.loadbalancers" -> true;
            default -> name.startsWith("count/") || extendedResource(name)
                    || name.startsWith("requests.") && extendedResource(name.substring("requests.".length()));
        };
    }
}
