package io.kubevisor.schemagen;

import java.util.List;

/**
 * One struct field.
 *
 * @param name      the Go field name (for an embedded field, the type's name)
 * @param embedded  whether the field is embedded (anonymous)
 * @param type      its type
 * @param tag       the raw struct tag, "" if none
 * @param doc       the doc comment lines above it, without {@code //}
 */
record GoField(String name, boolean embedded, GoType type, String tag, List<String> doc) {
    GoField {
        doc = List.copyOf(doc);
    }

    boolean exported() {
        return !name.isEmpty() && Character.isUpperCase(name.charAt(0));
    }
}
