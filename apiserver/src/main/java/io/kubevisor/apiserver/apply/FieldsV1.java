package io.kubevisor.apiserver.apply;

import java.util.Iterator;
import java.util.Map;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The FieldsV1 encoding of a field set, as in {@code metadata.managedFields[].fieldsV1}: a trie of
 * objects keyed by serialized path elements ({@code f:}, {@code k:}, {@code v:}, {@code i:}),
 * where {@code {}} marks a member leaf and a {@code ".": {}} entry marks a member that also has
 * children. Keys appear in path-element order.
 */
public final class FieldsV1 {

    private FieldsV1() {
    }

    /** Encodes a set; the returned tree is new and owned by the caller. */
    public static ObjectNode encode(FieldSet set) {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        emit(set, false, out);
        return out;
    }

    private static void emit(FieldSet s, boolean includeSelf, ObjectNode out) {
        if (includeSelf && !(s.members().isEmpty() && s.children().isEmpty())) {
            out.putObject(".");
        }
        Iterator<PathElement> mi = s.members().iterator();
        Iterator<Map.Entry<PathElement, FieldSet>> ci = s.children().entrySet().iterator();
        PathElement m = mi.hasNext() ? mi.next() : null;
        Map.Entry<PathElement, FieldSet> c = ci.hasNext() ? ci.next() : null;
        while (m != null || c != null) {
            int cmp = m == null ? 1 : c == null ? -1 : m.compareTo(c.getKey());
            if (cmp < 0) {
                out.putObject(m.serialize());
                m = mi.hasNext() ? mi.next() : null;
            } else {
                ObjectNode child = out.putObject(c.getKey().serialize());
                emit(c.getValue(), cmp == 0, child);
                if (cmp == 0) {
                    m = mi.hasNext() ? mi.next() : null;
                }
                c = ci.hasNext() ? ci.next() : null;
            }
        }
    }

    /**
     * Decodes a FieldsV1 tree. Unknown element types are skipped, as newer servers may write them.
     *
     * @throws IllegalArgumentException when the tree is malformed
     */
    public static FieldSet decode(JsonNode fields) {
        FieldSet out = FieldSet.empty();
        if (fields == null || fields.isNull()) {
            return out;
        }
        if (!fields.isObject()) {
            throw new IllegalArgumentException("fieldsV1 must be an object");
        }
        read(fields, new java.util.ArrayList<>(), out);
        return out;
    }

    /** Reads the children of one node into {@code out}; returns whether the node is a member. */
    private static boolean read(JsonNode node, java.util.List<PathElement> path, FieldSet out) {
        if (!node.isObject()) {
            throw new IllegalArgumentException("fieldsV1 values must be objects");
        }
        boolean member = false;
        boolean hasChildren = false;
        for (Map.Entry<String, JsonNode> e : node.properties()) {
            if (e.getKey().equals(".")) {
                member = true;
                continue;
            }
            PathElement pe = PathElement.parse(e.getKey());
            if (pe == null) {
                continue;
            }
            hasChildren = true;
            path.add(pe);
            if (read(e.getValue(), path, out)) {
                out.insert(path);
            }
            path.removeLast();
        }
        return member || !hasChildren;
    }
}
