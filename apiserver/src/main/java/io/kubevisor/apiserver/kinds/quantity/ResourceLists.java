package io.kubevisor.apiserver.kinds.quantity;

import java.util.ArrayList;
import java.util.Map;
import java.util.Optional;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Resource lists ({@code requests}, {@code limits}, {@code hard}, {@code capacity}): maps from
 * resource name to quantity. Stateless.
 */
public final class ResourceLists {

    private static final int MILLI = 3;

    private ResourceLists() {
    }

    /**
     * Rewrites every quantity of {@code parent[field]} in canonical form, rounded up to milli units
     * as Kubernetes' SetDefaults_ResourceList does. Absent or non-object fields are left alone.
     *
     * @throws QuantityFormatException when a value is not a quantity
     */
    public static void canonicalize(ObjectNode parent, String field) {
        if (parent != null && parent.get(field) instanceof ObjectNode list) {
            for (String name : new ArrayList<>(list.propertyNames())) {
                list.put(name, parse(list.get(name)).roundUp(MILLI).toString());
            }
        }
    }

    /**
     * Rewrites one quantity field in canonical form without rounding (e.g. emptyDir.sizeLimit).
     *
     * @throws QuantityFormatException when the value is not a quantity
     */
    public static void canonicalizeOne(ObjectNode parent, String field) {
        JsonNode v = parent == null ? null : parent.get(field);
        if (v != null && !v.isNull()) {
            parent.put(field, parse(v).toString());
        }
    }

    /**
     * A JSON value as a quantity: strings and numbers are accepted, as in Kubernetes' decoder.
     *
     * @throws QuantityFormatException when the value is not a quantity
     */
    public static Quantity parse(JsonNode v) {
        if (v == null || !(v.isString() || v.isNumber())) {
            throw new QuantityFormatException(Quantity.FORMAT_ERROR);
        }
        return Quantity.parse(v.asString().trim());
    }

    /** The quantity of one resource in a list, if present and well-formed. */
    public static Optional<Quantity> get(JsonNode list, String resource) {
        JsonNode v = list == null ? null : list.get(resource);
        if (v == null || v.isNull()) {
            return Optional.empty();
        }
        try {
            return Optional.of(parse(v));
        } catch (QuantityFormatException e) {
            return Optional.empty();
        }
    }

    /** The well-formed entries of a list, in order. */
    public static Map<String, Quantity> entries(JsonNode list) {
        Map<String, Quantity> out = new java.util.LinkedHashMap<>();
        if (list != null && list.isObject()) {
            for (Map.Entry<String, JsonNode> e : list.properties()) {
                get(list, e.getKey()).ifPresent(q -> out.put(e.getKey(), q));
            }
        }
        return out;
    }
}
