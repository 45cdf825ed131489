package io.kubevisor.apiserver.kinds;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.kubevisor.api.GroupVersionKind;
import io.kubevisor.apiserver.registry.Strategy;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Events, stored as core/v1 and served as core/v1 and events.k8s.io/v1 with Kubernetes' field
 * mapping between the two.
 */
final class EventStrategy implements Strategy {

    /** core/v1 field ↔ events.k8s.io/v1 field. */
    private static final Map<String, String> CORE_TO_EVENTS = new LinkedHashMap<>();

    static {
        CORE_TO_EVENTS.put("involvedObject", "regarding");
        CORE_TO_EVENTS.put("message", "note");
        CORE_TO_EVENTS.put("reportingComponent", "reportingController");
        CORE_TO_EVENTS.put("source", "deprecatedSource");
        CORE_TO_EVENTS.put("firstTimestamp", "deprecatedFirstTimestamp");
        CORE_TO_EVENTS.put("lastTimestamp", "deprecatedLastTimestamp");
        CORE_TO_EVENTS.put("count", "deprecatedCount");
    }

    private static final List<String> FIELDS = List.of("involvedObject.kind", "involvedObject.namespace",
            "involvedObject.name", "involvedObject.uid", "involvedObject.apiVersion", "involvedObject.resourceVersion",
            "involvedObject.fieldPath", "reason", "reportingComponent", "source", "type");

    @Override
    public boolean allowCreateOnUpdate() {
        return true;
    }

    @Override
    public ObjectNode toStorage(ObjectNode obj, GroupVersionKind from) {
        if (!from.group().equals("events.k8s.io")) {
            return obj;
        }
        ObjectNode out = obj.deepCopy();
        out.put("apiVersion", "v1");
        for (Map.Entry<String, String> e : CORE_TO_EVENTS.entrySet()) {
            rename(out, e.getValue(), e.getKey());
        }
        return out;
    }

    @Override
    public ObjectNode fromStorage(ObjectNode stored, GroupVersionKind to) {
        if (!to.group().equals("events.k8s.io")) {
            return stored;
        }
        ObjectNode out = stored.deepCopy();
        out.put("apiVersion", to.apiVersion());
        for (Map.Entry<String, String> e : CORE_TO_EVENTS.entrySet()) {
            rename(out, e.getKey(), e.getValue());
        }
        if (out.path("deprecatedSource").isObject() && out.path("deprecatedSource").isEmpty()) {
            out.remove("deprecatedSource");
        }
        return out;
    }

    private static void rename(ObjectNode o, String from, String to) {
        JsonNode v = o.remove(from);
        if (v != null) {
            o.set(to, v);
        }
    }

    @Override
    public List<String> selectableFieldNames() {
        return FIELDS;
    }

    @Override
    public Map<String, String> selectableFields(ObjectNode obj) {
        Map<String, String> m = new LinkedHashMap<>();
        JsonNode io = obj.has("regarding") ? obj.path("regarding") : obj.path("involvedObject");
        for (String f : List.of("kind", "namespace", "name", "uid", "apiVersion", "resourceVersion", "fieldPath")) {
            m.put("involvedObject." + f, io.path(f).asString(""));
        }
        m.put("reason", obj.path("reason").asString(""));
        m.put("reportingComponent", obj.has("reportingController") ? obj.path("reportingController").asString("")
                : obj.path("reportingComponent").asString(""));
        JsonNode source = obj.has("deprecatedSource") ? obj.path("deprecatedSource") : obj.path("source");
        m.put("source", source.path("component").asString(""));
        m.put("type", obj.path("type").asString(""));
        return m;
    }
}
