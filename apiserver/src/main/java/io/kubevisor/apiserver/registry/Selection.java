package io.kubevisor.apiserver.registry;

import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** Applies label and field selectors to objects of one resource. */
final class Selection {

    private Selection() {
    }

    static Set<String> selectableFieldNames(Strategy strategy) {
        Set<String> names = new LinkedHashSet<>();
        names.add("metadata.name");
        names.add("metadata.namespace");
        names.addAll(strategy.selectableFieldNames());
        return names;
    }

    static boolean matches(ObjectNode obj, ListOptions opts, Strategy strategy) {
        if (!opts.labels().isEmpty() && !opts.labels().matches(labels(obj))) {
            return false;
        }
        if (!opts.fields().isEmpty()) {
            Map<String, String> fields = new HashMap<>(strategy.selectableFields(obj));
            JsonNode m = obj.path("metadata");
            fields.put("metadata.name", m.path("name").asString(""));
            fields.put("metadata.namespace", m.path("namespace").asString(""));
            return opts.fields().matches(fields);
        }
        return true;
    }

    static Map<String, String> labels(ObjectNode obj) {
        JsonNode l = obj.path("metadata").path("labels");
        if (!l.isObject()) {
            return Map.of();
        }
        Map<String, String> out = new HashMap<>();
        for (Map.Entry<String, JsonNode> e : l.properties()) {
            out.put(e.getKey(), e.getValue().asString(""));
        }
        return out;
    }
}
