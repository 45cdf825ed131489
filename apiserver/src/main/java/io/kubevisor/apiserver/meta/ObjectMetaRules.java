package io.kubevisor.apiserver.meta;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import io.kubevisor.api.FieldError;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** Validation of {@code metadata} common to every kind, with Kubernetes' field paths and messages. */
public final class ObjectMetaRules {

    private static final int MAX_ANNOTATIONS_BYTES = 256 * 1024;
    private static final Set<String> STANDARD_FINALIZERS = Set.of("kubernetes", "orphan", "foregroundDeletion");

    private ObjectMetaRules() {
    }

    /** Checks a new object's metadata. The name must be set by now (generateName already applied). */
    public static List<FieldError> validate(ObjectNode obj, boolean namespaced, NameRule nameRule) {
        List<FieldError> errs = new ArrayList<>();
        JsonNode meta = obj.path("metadata");
        String name = meta.path("name").asString("");
        if (name.isEmpty()) {
            errs.add(FieldError.required("metadata.name", "name or generateName is required"));
        } else {
            for (String m : nameRule.check(name)) {
                errs.add(FieldError.invalid("metadata.name", name, m));
            }
        }
        String ns = meta.path("namespace").asString("");
        if (namespaced) {
            if (ns.isEmpty()) {
                errs.add(FieldError.required("metadata.namespace", ""));
            } else {
                for (String m : Validation.dns1123Label(ns)) {
                    errs.add(FieldError.invalid("metadata.namespace", ns, m));
                }
            }
        } else if (!ns.isEmpty()) {
            errs.add(FieldError.forbidden("metadata.namespace", "not allowed on this type"));
        }
        if (meta.has("generation") && meta.path("generation").asLong(0) < 0) {
            errs.add(FieldError.invalid("metadata.generation", meta.path("generation").asLong(), "must be greater than or equal to 0"));
        }
        errs.addAll(labels(meta.path("labels"), "metadata.labels"));
        errs.addAll(annotations(meta.path("annotations")));
        errs.addAll(finalizers(meta.path("finalizers")));
        errs.addAll(ownerReferences(meta.path("ownerReferences")));
        return errs;
    }

    /** Checks the metadata of an update against the stored object. */
    public static List<FieldError> validateUpdate(ObjectNode obj, ObjectNode old, boolean namespaced, NameRule nameRule) {
        List<FieldError> errs = new ArrayList<>(validate(obj, namespaced, nameRule));
        immutable(errs, obj, old, "name");
        immutable(errs, obj, old, "namespace");
        immutable(errs, obj, old, "uid");
        return errs;
    }

    private static void immutable(List<FieldError> errs, ObjectNode obj, ObjectNode old, String field) {
        String now = obj.path("metadata").path(field).asString("");
        String before = old.path("metadata").path(field).asString("");
        if (!now.equals(before)) {
            errs.add(FieldError.invalid("metadata." + field, now, "field is immutable"));
        }
    }

    /** Label keys and values; also used for selectors' match labels elsewhere. */
    public static List<FieldError> labels(JsonNode labels, String path) {
        List<FieldError> errs = new ArrayList<>();
        if (labels.isMissingNode() || labels.isNull()) {
            return errs;
        }
        if (!labels.isObject()) {
            errs.add(FieldError.invalid(path, labels.toString(), "must be a map of strings"));
            return errs;
        }
        for (Map.Entry<String, JsonNode> e : labels.properties()) {
            for (String m : Validation.qualifiedName(e.getKey())) {
                errs.add(FieldError.invalid(path, e.getKey(), m));
            }
            String v = e.getValue().isString() ? e.getValue().asString() : e.getValue().toString();
            for (String m : Validation.labelValue(v)) {
                errs.add(FieldError.invalid(path, v, m));
            }
        }
        return errs;
    }

    private static List<FieldError> annotations(JsonNode annotations) {
        List<FieldError> errs = new ArrayList<>();
        if (annotations.isMissingNode() || annotations.isNull() || !annotations.isObject()) {
            return errs;
        }
        long total = 0;
        for (Map.Entry<String, JsonNode> e : annotations.properties()) {
            for (String m : Validation.qualifiedName(e.getKey().toLowerCase(Locale.ROOT))) {
                errs.add(FieldError.invalid("metadata.annotations", e.getKey(), m));
            }
            total += e.getKey().getBytes(StandardCharsets.UTF_8).length
                    + e.getValue().asString("").getBytes(StandardCharsets.UTF_8).length;
        }
        if (total > MAX_ANNOTATIONS_BYTES) {
            errs.add(new FieldError(FieldError.Type.TOO_LONG, "metadata.annotations", null,
                    "must have at most " + MAX_ANNOTATIONS_BYTES + " bytes"));
        }
        return errs;
    }

    private static List<FieldError> finalizers(JsonNode finalizers) {
        List<FieldError> errs = new ArrayList<>();
        if (!finalizers.isArray()) {
            return errs;
        }
        for (int i = 0; i < finalizers.size(); i++) {
            String f = finalizers.get(i).asString("");
            String path = "metadata.finalizers[" + i + "]";
            for (String m : Validation.qualifiedName(f)) {
                errs.add(FieldError.invalid(path, f, m));
            }
            if (!f.contains("/") && !STANDARD_FINALIZERS.contains(f)) {
                errs.add(FieldError.invalid(path, f, "name is neither a standard finalizer name nor is it fully qualified"));
            }
        }
        return errs;
    }

    private static List<FieldError> ownerReferences(JsonNode refs) {
        List<FieldError> errs = new ArrayList<>();
        if (!refs.isArray()) {
            return errs;
        }
        int controllers = 0;
        for (int i = 0; i < refs.size(); i++) {
            JsonNode r = refs.get(i);
            String p = "metadata.ownerReferences[" + i + "]";
            if (r.path("apiVersion").asString("").isEmpty()) {
                errs.add(FieldError.invalid(p + ".apiVersion", "", "version must not be empty"));
            }
            if (r.path("kind").asString("").isEmpty()) {
                errs.add(FieldError.invalid(p + ".kind", "", "kind must not be empty"));
            }
            if (r.path("name").asString("").isEmpty()) {
                errs.add(FieldError.invalid(p + ".name", "", "name must not be empty"));
            }
            if (r.path("uid").asString("").isEmpty()) {
                errs.add(FieldError.invalid(p + ".uid", "", "uid must not be empty"));
            }
            if (r.path("controller").asBoolean(false)) {
                controllers++;
            }
        }
        if (controllers > 1) {
            errs.add(FieldError.invalid("metadata.ownerReferences", refs.toString(),
                    "Only one reference can have Controller set to true"));
        }
        return errs;
    }
}
