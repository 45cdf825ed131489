package io.kubevisor.apiserver.kinds;

import java.util.List;
import java.util.Map;

import io.kubevisor.apiserver.meta.NameRule;
import io.kubevisor.apiserver.registry.Strategy;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Namespaces: the {@code kubernetes} finalizer holds a deleted namespace in phase Terminating
 * until the namespace controller has emptied it and removed the finalizer through
 * {@code /finalize}.
 */
final class NamespaceStrategy implements Strategy {

    static final String NAME_LABEL = "kubernetes.io/metadata.name";

    @Override
    public NameRule nameRule() {
        return NameRule.DNS1123_LABEL;
    }

    @Override
    public void applyDefaults(ObjectNode obj) {
        ObjectNode meta = Objects.object(obj, "metadata");
        String name = meta.path("name").asString("");
        if (!name.isEmpty()) {
            Objects.object(meta, "labels").put(NAME_LABEL, name);
        }
    }

    @Override
    public void prepareForCreate(ObjectNode obj) {
        Objects.object(obj, "spec").putArray("finalizers").add("kubernetes");
        ObjectNode status = obj.putObject("status");
        status.put("phase", "Active");
    }

    @Override
    public void prepareForUpdate(ObjectNode obj, ObjectNode old) {
        JsonNode fins = old.path("spec").get("finalizers");
        ObjectNode spec = Objects.object(obj, "spec");
        if (fins == null) {
            spec.remove("finalizers");
        } else {
            spec.set("finalizers", fins.deepCopy());
        }
        if (spec.isEmpty()) {
            obj.remove("spec");
        }
    }

    @Override
    public boolean holdsDeletion(ObjectNode obj) {
        JsonNode fins = obj.path("spec").path("finalizers");
        return fins.isArray() && !fins.isEmpty();
    }

    @Override
    public void prepareForDeletion(ObjectNode obj) {
        Objects.object(obj, "status").put("phase", "Terminating");
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
        return Map.of("status.phase", obj.path("status").path("phase").asString(""));
    }
}
