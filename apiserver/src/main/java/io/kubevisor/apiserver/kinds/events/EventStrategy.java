package io.kubevisor.apiserver.kinds.events;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.kubevisor.api.FieldError;
import io.kubevisor.api.GroupVersionKind;
import io.kubevisor.apiserver.kinds.support.Nodes;
import io.kubevisor.apiserver.meta.NameRule;
import io.kubevisor.apiserver.registry.Strategy;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Events, stored as core/v1 and served as core/v1 and events.k8s.io/v1 with Kubernetes' field
 * mapping between the two. Events created through events.k8s.io get the strict validation that API
 * requires; core/v1 keeps the lenient legacy rules. One instance per served group. Stateless.
 */
public final class EventStrategy implements Strategy {

    /** The events.k8s.io API group. */
    public static final String EVENTS_GROUP = "events.k8s.io";

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

    private static final List<String> CORE_FIELDS = List.of("involvedObject.kind", "involvedObject.namespace",
            "involvedObject.name", "involvedObject.uid", "involvedObject.apiVersion", "involvedObject.resourceVersion",
            "involvedObject.fieldPath", "reason", "reportingComponent", "source", "type");
    private static final List<String> EVENTS_FIELDS = List.of("regarding.kind", "regarding.namespace",
            "regarding.name", "regarding.uid", "regarding.apiVersion", "regarding.resourceVersion",
            "regarding.fieldPath", "reason", "reportingController", "type");
    private static final List<String> REFERENCE = List.of("kind", "namespace", "name", "uid", "apiVersion",
            "resourceVersion", "fieldPath");

    private final boolean eventsApi;

    /** @param servedGroup the group this instance serves: "" (core) or {@value #EVENTS_GROUP} */
    public EventStrategy(String servedGroup) {
        this.eventsApi = EVENTS_GROUP.equals(servedGroup);
    }

    @Override
    public NameRule nameRule() {
        // Legacy events skip ObjectMeta validation except the generic path-segment rule.
        return eventsApi ? NameRule.DNS1123_SUBDOMAIN : NameRule.PATH_SEGMENT;
    }

    @Override
    public boolean allowCreateOnUpdate() {
        return true;
    }

    @Override
    public void applyDefaults(ObjectNode obj) {
        // The stored (core/v1) form with the zero values Go always writes for these fields.
        Nodes.dropZero(obj, "count", "action", "reason", "message", "type");
        for (String f : new String[] {"eventTime", "firstTimestamp", "lastTimestamp"}) {
            if (!obj.has(f) || Nodes.text(obj, f).isEmpty() && !obj.get(f).isNull()) {
                obj.set(f, Nodes.nullNode());
            }
        }
        for (String f : new String[] {"reportingComponent", "reportingInstance"}) {
            if (!Nodes.has(obj, f)) {
                obj.put(f, "");
            }
        }
        Nodes.object(obj, "source");
        Nodes.object(obj, "involvedObject");
    }

    @Override
    public List<FieldError> validate(ObjectNode obj) {
        return EventValidation.create(obj, eventsApi);
    }

    @Override
    public List<FieldError> validateUpdate(ObjectNode obj, ObjectNode old) {
        return EventValidation.update(obj, old, eventsApi);
    }

    @Override
    public ObjectNode toStorage(ObjectNode obj, GroupVersionKind from) {
        if (!from.group().equals(EVENTS_GROUP)) {
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
    public boolean converts(GroupVersionKind served) {
        return served.group().equals("events.k8s.io");
    }

    @Override
    public ObjectNode fromStorage(ObjectNode stored, GroupVersionKind to) {
        if (!to.group().equals(EVENTS_GROUP)) {
            return stored;
        }
        ObjectNode out = stored.deepCopy();
        out.put("apiVersion", to.apiVersion());
        for (Map.Entry<String, String> e : CORE_TO_EVENTS.entrySet()) {
            rename(out, e.getKey(), e.getValue());
        }
        // events.k8s.io omits these when empty, where core/v1 always writes them.
        Nodes.dropZero(out, "reportingController", "reportingInstance", "deprecatedCount");
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
        return eventsApi ? EVENTS_FIELDS : CORE_FIELDS;
    }

    @Override
    public Map<String, String> selectableFields(ObjectNode obj) {
        Map<String, String> m = new LinkedHashMap<>();
        // Objects arrive in the served form: events.k8s.io names for that API, core names otherwise.
        boolean served = eventsApi;
        JsonNode ref = served ? obj.path("regarding") : obj.path("involvedObject");
        String prefix = eventsApi ? "regarding." : "involvedObject.";
        for (String f : REFERENCE) {
            m.put(prefix + f, Nodes.text(ref, f));
        }
        m.put("reason", Nodes.text(obj, "reason"));
        m.put("type", Nodes.text(obj, "type"));
        String reporter = served ? Nodes.text(obj, "reportingController") : Nodes.text(obj, "reportingComponent");
        if (eventsApi) {
            m.put("reportingController", reporter);
        } else {
            m.put("reportingComponent", reporter);
            m.put("source", Nodes.text(served ? obj.path("deprecatedSource") : obj.path("source"), "component"));
        }
        return m;
    }
}
