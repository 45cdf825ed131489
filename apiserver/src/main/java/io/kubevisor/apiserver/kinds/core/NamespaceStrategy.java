package io.kubevisor.apiserver.kinds.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.kubevisor.api.FieldError;
import io.kubevisor.apiserver.kinds.support.Nodes;
import io.kubevisor.apiserver.kinds.support.Rules;
import io.kubevisor.apiserver.meta.NameRule;
import io.kubevisor.apiserver.registry.Strategy;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Namespaces: the {@code kubernetes.io/metadata.name} label, and the {@code kubernetes} finalizer
 * that holds a deleted namespace in phase Terminating until the namespace controller has emptied
 * it and removed the finalizer through {@code /finalize}. Stateless.
 */
public final class NamespaceStrategy implements Strategy {

    /** The label every namespace carries with its own name. */
    public static final String NAME_LABEL = "kubernetes.io/metadata.name";
    private static final Set<String> STANDARD_FINALIZERS = Set.of("kubernetes", "orphan", "foregroundDeletion");

    @Override
    public NameRule nameRule() {
        return NameRule.DNS1123_LABEL;
    }

    @Override
    public void applyDefaults(ObjectNode obj) {
        nameLabel(obj);
        Nodes.defaultText(Nodes.object(obj, "status"), "phase", "Active");
    }

    private static void nameLabel(ObjectNode obj) {
        ObjectNode meta = Nodes.object(obj, "metadata");
        String name = Nodes.text(meta, "name");
        if (!name.isEmpty()) {
            Nodes.object(meta, "labels").put(NAME_LABEL, name);
        }
    }

    @Override
    public void prepareForCreate(ObjectNode obj) {
        // Also here, after a generated name is known (Kubernetes does this in Canonicalize).
        nameLabel(obj);
        ObjectNode spec = Nodes.object(obj, "spec");
        ArrayNode fins = spec.get("finalizers") instanceof ArrayNode a ? a : spec.putArray("finalizers");
        boolean has = false;
        for (JsonNode f : fins) {
            has |= "kubernetes".equals(f.asString(""));
        }
        if (!has) {
            fins.add("kubernetes");
        }
        obj.putObject("status").put("phase", "Active");
    }

    @Override
    public void prepareForUpdate(ObjectNode obj, ObjectNode old) {
        JsonNode fins = old.path("spec").get("finalizers");
        ObjectNode spec = Nodes.object(obj, "spec");
        if (fins == null) {
            spec.remove("finalizers");
        } else {
            spec.set("finalizers", fins.deepCopy());
        }
    }

    @Override
    public List<FieldError> validate(ObjectNode obj) {
        List<FieldError> errs = new ArrayList<>();
        for (JsonNode f : Nodes.elements(obj.path("spec"), "finalizers")) {
            String name = f.asString("");
            int before = errs.size();
            Rules.qualifiedName(errs, "spec.finalizers", name);
            if (errs.size() == before && !name.contains("/") && !STANDARD_FINALIZERS.contains(name)) {
                errs.add(FieldError.invalid("spec.finalizers", name,
                        "name is neither a standard finalizer name nor is it fully qualified"));
            }
        }
        return errs;
    }

    @Override
    public List<FieldError> validateUpdate(ObjectNode obj, ObjectNode old) {
        List<FieldError> errs = new ArrayList<>(validate(obj));
        String phase = Nodes.text(obj.path("status"), "phase");
        if (!Nodes.has(obj.path("metadata"), "deletionTimestamp")) {
            if (!phase.equals("Active")) {
                errs.add(FieldError.invalid("status.Phase", phase, "may only be 'Active' if `deletionTimestamp` is empty"));
            }
        } else if (!phase.equals("Terminating")) {
            errs.add(FieldError.invalid("status.Phase", phase, "may only be 'Terminating' if `deletionTimestamp` is not empty"));
        }
        return errs;
    }

    @Override
    public boolean holdsDeletion(ObjectNode obj) {
        return Nodes.hasItems(obj.path("spec"), "finalizers");
    }

    @Override
    public void prepareForDeletion(ObjectNode obj) {
        Nodes.object(obj, "status").put("phase", "Terminating");
    }

    @Override
    public boolean returnDeletedObject() {
        return true;
    }

    @Override
    public List<String> selectableFieldNames() {
        return List.of("status.phase");
    }

    @Override
    public Map<String, String> selectableFields(ObjectNode obj) {
        return Map.of("status.phase", Nodes.text(obj.path("status"), "phase"));
    }
}
