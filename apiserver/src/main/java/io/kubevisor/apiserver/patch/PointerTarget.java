package io.kubevisor.apiserver.patch;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Where a JSON pointer lands: the parent container and the decoded last reference token, with the
 * container operations JSON patch needs. Failures carry json-patch's (v4) wording.
 */
record PointerTarget(JsonNode parent, String key) {

    /** Walks all but the last token; null when an intermediate value is missing or a scalar. */
    static PointerTarget find(JsonNode doc, String pointer) {
        String[] tokens = pointer.split("/", -1);
        if (tokens.length < 2) {
            return null;
        }
        JsonNode cur = doc;
        for (int i = 1; i < tokens.length - 1; i++) {
            String token = decode(tokens[i]);
            JsonNode next;
            if (cur instanceof ObjectNode o) {
                next = o.get(token);
            } else if (cur instanceof ArrayNode a) {
                Integer idx = parseIndex(token);
                if (idx == null) {
                    return null;
                }
                int real = idx < 0 ? idx + a.size() : idx;
                next = real < 0 || real >= a.size() ? null : a.get(real);
            } else {
                return null;
            }
            if (next == null || !(next.isObject() || next.isArray())) {
                return null;
            }
            cur = next;
        }
        return new PointerTarget(cur, decode(tokens[tokens.length - 1]));
    }

    private static String decode(String token) {
        return token.replace("~1", "/").replace("~0", "~");
    }

    private static Integer parseIndex(String s) {
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private int index() {
        Integer idx = parseIndex(key);
        if (idx == null) {
            throw new OpFailure("strconv.Atoi: parsing \"" + key + "\": invalid syntax");
        }
        return idx;
    }

    private static OpFailure invalidIndex(int idx) {
        return new OpFailure("Unable to access invalid index: " + idx + ": invalid index referenced");
    }

    /** The member, or null for a missing object member; a bad array index throws. */
    JsonNode get() {
        if (parent instanceof ObjectNode o) {
            return o.get(key);
        }
        ArrayNode a = (ArrayNode) parent;
        int idx = index();
        if (idx < 0) {
            if (idx < -a.size()) {
                throw invalidIndex(idx);
            }
            idx += a.size();
        }
        if (idx >= a.size()) {
            throw invalidIndex(idx);
        }
        return a.get(idx);
    }

    void set(JsonNode v) {
        if (parent instanceof ObjectNode o) {
            o.set(key, v);
            return;
        }
        ArrayNode a = (ArrayNode) parent;
        int idx = index();
        if (idx < 0) {
            idx += a.size();
        }
        a.set(idx, v);
    }

    void add(JsonNode v) {
        if (parent instanceof ObjectNode o) {
            o.set(key, v);
            return;
        }
        ArrayNode a = (ArrayNode) parent;
        if (key.equals("-")) {
            a.add(v);
            return;
        }
        Integer parsed = parseIndex(key);
        if (parsed == null) {
            throw new OpFailure("value was not a proper array index: '" + key + "': strconv.Atoi: parsing \""
                    + key + "\": invalid syntax");
        }
        int idx = parsed;
        int newSize = a.size() + 1;
        if (idx >= newSize) {
            throw invalidIndex(idx);
        }
        if (idx < 0) {
            if (idx < -newSize) {
                throw invalidIndex(idx);
            }
            idx += newSize;
        }
        a.insert(idx, v);
    }

    void remove() {
        if (parent instanceof ObjectNode o) {
            if (!o.has(key)) {
                throw new OpFailure("Unable to remove nonexistent key: " + key + ": missing value");
            }
            o.remove(key);
            return;
        }
        ArrayNode a = (ArrayNode) parent;
        int idx = index();
        if (idx >= a.size()) {
            throw invalidIndex(idx);
        }
        if (idx < 0) {
            if (idx < -a.size()) {
                throw invalidIndex(idx);
            }
            idx += a.size();
        }
        a.remove(idx);
    }
}
