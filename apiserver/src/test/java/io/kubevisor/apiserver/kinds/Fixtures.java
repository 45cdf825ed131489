package io.kubevisor.apiserver.kinds;

import java.util.ArrayList;
import java.util.List;

import io.kubevisor.api.ApiException;
import io.kubevisor.api.FieldError;
import io.kubevisor.api.Json;
import io.kubevisor.apiserver.meta.NameRule;
import io.kubevisor.apiserver.meta.ObjectMetaRules;
import io.kubevisor.apiserver.registry.Strategy;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Runs strategies the way the registry does (defaults, then system metadata, then prepare, then
 * validate) so tests can assert what a client would see.
 */
public final class Fixtures {

    public static final String UID = "0a1b2c3d-0000-4000-8000-00000000000a";
    public static final String CREATED = "2025-01-02T03:04:05Z";

    private Fixtures() {
    }

    public static ObjectNode json(String text) {
        return (ObjectNode) Json.parse(text);
    }

    /** Any JSON value (arrays for list expectations). */
    public static JsonNode node(String text) {
        return Json.parse(text);
    }

    /** Defaults, system metadata and prepareForCreate: the object as the registry would store it. */
    public static ObjectNode created(Strategy s, ObjectNode input) {
        ObjectNode obj = input.deepCopy();
        s.applyDefaults(obj);
        ObjectNode meta = obj.get("metadata") instanceof ObjectNode m ? m : obj.putObject("metadata");
        meta.put("uid", UID);
        meta.put("creationTimestamp", CREATED);
        s.prepareForCreate(obj);
        return obj;
    }

    /** The errors a create would report: metadata rules, then the strategy's. */
    public static List<FieldError> createErrors(Strategy s, ObjectNode input, boolean namespaced) {
        ObjectNode obj = created(s, input);
        List<FieldError> errs = new ArrayList<>(ObjectMetaRules.validate(obj, namespaced, s.nameRule()));
        errs.addAll(s.validate(obj));
        return errs;
    }

    /** The errors of an update of {@code old} (already stored) to {@code input}; status stays the old one. */
    public static List<FieldError> updateErrors(Strategy s, ObjectNode old, ObjectNode input) {
        return s.validateUpdate(updated(s, old, input), old);
    }

    /** The object an update would store (before validation). */
    public static ObjectNode updated(Strategy s, ObjectNode old, ObjectNode input) {
        ObjectNode obj = input.deepCopy();
        s.applyDefaults(obj);
        JsonNode status = old.get("status");
        if (status == null) {
            obj.remove("status");
        } else {
            obj.set("status", status.deepCopy());
        }
        s.prepareForUpdate(obj, old);
        ObjectNode meta = (ObjectNode) obj.path("metadata");
        meta.put("uid", old.path("metadata").path("uid").asString(""));
        meta.put("creationTimestamp", old.path("metadata").path("creationTimestamp").asString(""));
        return obj;
    }

    /** The rendered errors, as Kubernetes prints each cause. */
    public static List<String> rendered(List<FieldError> errs) {
        return errs.stream().map(FieldError::render).toList();
    }

    /** The message of the 422 a client would get. */
    public static String message(String group, String kind, String name, List<FieldError> errs) {
        return new ApiException.Invalid(group, kind, name, errs).getMessage();
    }

    /** Name syntax errors for {@code name} under {@code rule}. */
    public static List<String> nameErrors(NameRule rule, String name) {
        return rule.check(name);
    }
}
