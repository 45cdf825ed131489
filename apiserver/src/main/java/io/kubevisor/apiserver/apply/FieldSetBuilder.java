package io.kubevisor.apiserver.apply;

import io.kubevisor.api.JsonValues;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.kubevisor.api.schema.FieldSchema;

import tools.jackson.databind.JsonNode;

/**
 * The set of fields a value sets (structured-merge-diff's {@code ToFieldSet}): every leaf, every
 * set or keyed-list item, every map entry, and struct fields only when they are null or empty.
 * This is what an applier owns after applying that value.
 */
final class FieldSetBuilder {

    private final boolean strict;
    private final FieldSet set = FieldSet.empty();

    private FieldSetBuilder(boolean strict) {
        this.strict = strict;
    }

    /**
     * @param strict reject duplicate list items, as for an applied configuration; live objects
     *               may carry duplicates, which are then owned as a whole
     * @throws SchemaViolation when an item cannot be identified
     */
    static FieldSet of(JsonNode value, FieldSchema schema, boolean strict) {
        FieldSetBuilder b = new FieldSetBuilder(strict);
        b.walk(new ArrayList<>(), value, schema);
        return b.set;
    }

    private void walk(List<PathElement> path, JsonNode v, FieldSchema schema) {
        Shape shape = Shape.of(schema, v);
        switch (shape) {
            case LEAF -> set.insert(path);
            case STRUCT, MAP -> {
                if (JsonValues.isNull(v)) {
                    return;
                }
                for (Map.Entry<String, JsonNode> e : v.properties()) {
                    String k = e.getKey();
                    JsonNode c = e.getValue();
                    path.add(new PathElement.Field(k));
                    walk(path, c, Shape.member(schema, k));
                    if (c.isNull() || (c.isObject() && c.isEmpty()) || !Shape.isNamedField(schema, k)) {
                        set.insert(path);
                    }
                    path.removeLast();
                }
            }
            case SET, KEYED_LIST -> {
                if (JsonValues.isNull(v)) {
                    return;
                }
                walkItems(path, v, schema, shape);
            }
        }
    }

    private void walkItems(List<PathElement> path, JsonNode list, FieldSchema schema, Shape shape) {
        List<PathElement> pes = new ArrayList<>();
        Set<PathElement> seen = new HashSet<>();
        Set<PathElement> duplicates = new HashSet<>();
        int i = 0;
        for (JsonNode item : list.values()) {
            PathElement pe;
            try {
                pe = Shape.itemElement(schema, shape, item);
            } catch (SchemaViolation e) {
                throw e.at(PathElement.toString(path) + ": element " + i);
            }
            if (!seen.add(pe)) {
                if (strict) {
                    throw new SchemaViolation(PathElement.toString(path) + ": duplicate entries for key " + pe);
                }
                if (duplicates.add(pe)) {
                    path.add(pe);
                    set.insert(path);
                    path.removeLast();
                }
            }
            pes.add(pe);
            i++;
        }
        i = 0;
        for (JsonNode item : list.values()) {
            PathElement pe = pes.get(i++);
            if (duplicates.contains(pe)) {
                continue;
            }
            path.add(pe);
            walk(path, item, Shape.elements(schema));
            set.insert(path);
            path.removeLast();
        }
    }
}
