package io.kubevisor.apiserver.kinds;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** Small helpers for editing JSON objects in strategies. */
final class Objects {

    private Objects() {
    }

    /** The child object, created when missing (or replaced when not an object). */
    static ObjectNode object(ObjectNode parent, String field) {
        JsonNode n = parent.get(field);
        if (n instanceof ObjectNode o) {
            return o;
        }
        return parent.putObject(field);
    }

    static ArrayNode array(ObjectNode parent, String field) {
        JsonNode n = parent.get(field);
        if (n instanceof ArrayNode a) {
            return a;
        }
        return parent.putArray(field);
    }

    /** Sets a field only when absent or null. */
    static void putIfAbsent(ObjectNode o, String field, String value) {
        if (!o.hasNonNull(field)) {
            o.put(field, value);
        }
    }

    static void putIfAbsent(ObjectNode o, String field, long value) {
        if (!o.hasNonNull(field)) {
            o.put(field, value);
        }
    }

    static void putIfAbsent(ObjectNode o, String field, boolean value) {
        if (!o.hasNonNull(field)) {
            o.put(field, value);
        }
    }
}
