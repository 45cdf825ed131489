package io.kubevisor.schemagen;

import java.util.Map;
import java.util.Optional;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Renders Go type expressions as OpenAPI v2 schemas the way Kubernetes' openapi-gen does:
 * struct types become {@code $ref}s, named scalars, slices and maps are inlined, pointers are
 * transparent, {@code []byte} is a base64 string.
 */
final class TypeSchemas {

    /** Types with their own JSON encoding: a fixed schema, and never a {@code default}. */
    static final Map<String, String> SPECIAL = Map.of(
            "k8s.io/apimachinery/pkg/apis/meta/v1.Time", "date-time",
            "k8s.io/apimachinery/pkg/apis/meta/v1.MicroTime", "date-time",
            "k8s.io/apimachinery/pkg/apis/meta/v1.Duration", "string",
            "k8s.io/apimachinery/pkg/apis/meta/v1.FieldsV1", "object",
            "k8s.io/apimachinery/pkg/runtime.RawExtension", "object",
            "k8s.io/apimachinery/pkg/api/resource.Quantity", "quantity",
            "k8s.io/apimachinery/pkg/util/intstr.IntOrString", "int-or-string");

    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    private final Universe universe;

    TypeSchemas(Universe universe) {
        this.universe = universe;
    }

    static ObjectNode object() {
        return JsonNodeFactory.instance.objectNode();
    }

    /** Whether a named type is rendered as a definition (and so referenced by {@code $ref}). */
    boolean isDefinition(GoType.Named named) {
        if (named.builtin() || !universe.pkg(named.pkg()).isPresent()) {
            return false;
        }
        if (SPECIAL.containsKey(named.toString())) {
            return true;
        }
        GoFile.TypeDecl d = universe.decl(named);
        return !d.alias() && d.type() instanceof GoType.Struct;
    }

    /** Writes type, format, items, additionalProperties or $ref for {@code t} into {@code into}. */
    void fill(ObjectNode into, GoType t) {
        switch (t) {
            case GoType.Pointer(GoType elem) -> fill(into, elem);
            case GoType.Slice(GoType elem) when elem instanceof GoType.Named n && n.builtin() && n.name().equals("byte") -> {
                into.put("type", "string");
                into.put("format", "byte");
            }
            case GoType.Slice(GoType elem) -> {
                into.put("type", "array");
                into.set("items", element(elem));
            }
            case GoType.Array(String len, GoType elem) -> {
                into.put("type", "array");
                into.set("items", element(elem));
            }
            case GoType.MapType(GoType key, GoType value) -> {
                into.put("type", "object");
                into.set("additionalProperties", element(value));
            }
            case GoType.Named n when n.builtin() -> scalar(into, n.name());
            case GoType.Named n when n.pkg().equals("time") && n.name().equals("Time") -> {
                into.put("type", "string");
                into.put("format", "date-time");
            }
            case GoType.Named n when n.pkg().equals("time") && n.name().equals("Duration") -> scalar(into, "int64");
            case GoType.Named n when isDefinition(n) ->
                    into.put("$ref", "#/definitions/" + Universe.definitionName(n.pkg(), n.name()));
            case GoType.Named n -> {
                GoFile.TypeDecl d = universe.decl(n);
                fill(into, d.type());
            }
            case GoType.Struct s -> throw new IllegalStateException("anonymous struct types are not supported");
            // interface{} (Table cells): any JSON value, which openapi-gen writes as a bare object
            case GoType.Other o when o.what().equals("interface") -> into.put("type", "object");
            case GoType.Other o -> throw new IllegalStateException("cannot render a " + o.what() + " as JSON");
        }
    }

    /** The schema of a slice element or map value: its type, plus the default and enum Kubernetes gives it. */
    ObjectNode element(GoType t) {
        ObjectNode e = object();
        fill(e, t);
        if (!(t instanceof GoType.Pointer)) {
            defaultFor(t, false).ifPresent(d -> e.set("default", d));
        }
        enumType(t).ifPresent(named -> e.set("enum", enumValues(named)));
        return e;
    }

    /** Markers declared on a named slice or map type, which apply wherever it is used. */
    Markers typeMarkers(GoType t) {
        if (t instanceof GoType.Pointer(GoType elem)) {
            return typeMarkers(elem);
        }
        if (t instanceof GoType.Named n && !n.builtin() && universe.pkg(n.pkg()).isPresent() && !isDefinition(n)) {
            GoFile.TypeDecl d = universe.decl(n);
            return typeMarkers(d.type()).overriddenBy(Markers.parse(d.markerDoc()));
        }
        return Markers.NONE;
    }

    /**
     * The zero value openapi-gen records as {@code default} for a non-pointer field: {@code {}} for
     * plain structs, the scalar zero for non-omitempty scalars, nothing for everything else.
     */
    Optional<JsonNode> defaultFor(GoType t, boolean omitEmpty) {
        switch (t) {
            case GoType.Named n when n.builtin() -> {
                return omitEmpty ? Optional.empty() : Optional.of(zero(n.name()));
            }
            case GoType.Named n when n.pkg().equals("time") || SPECIAL.containsKey(n.toString()) -> {
                return Optional.empty();
            }
            case GoType.Named n -> {
                GoFile.TypeDecl d = universe.decl(n);
                if (d.type() instanceof GoType.Struct s) {
                    if (s.fields().size() == 1 && s.fields().getFirst().embedded()) {
                        return defaultFor(s.fields().getFirst().type(), omitEmpty);
                    }
                    return Optional.of(object());
                }
                return defaultFor(d.type(), omitEmpty);
            }
            default -> {
                return Optional.empty();
            }
        }
    }

    /** The enum type behind {@code t} (through a pointer), if it is marked {@code +enum}. */
    Optional<GoType.Named> enumType(GoType t) {
        if (t instanceof GoType.Pointer(GoType elem)) {
            return enumType(elem);
        }
        if (t instanceof GoType.Named n && !n.builtin() && universe.pkg(n.pkg()).isPresent() && !isDefinition(n)) {
            GoFile.TypeDecl d = universe.decl(n);
            if (!d.alias() && Markers.parse(d.markerDoc()).has("enum")) {
                return Optional.of(n);
            }
            if (d.alias()) {
                return enumType(d.type());
            }
        }
        return Optional.empty();
    }

    JsonNode enumValues(GoType.Named type) {
        var arr = JsonNodeFactory.instance.arrayNode();
        universe.enumValues(type).forEach(c -> arr.add(c.value()));
        return arr;
    }

    /** The "Possible enum values" paragraph Kubernetes appends to an enum field's description. */
    String enumDescription(GoType.Named type) {
        StringBuilder b = new StringBuilder("Possible enum values:");
        for (GoFile.ConstDecl c : universe.enumValues(type)) {
            b.append("\n - `\"").append(c.value()).append("\"`");
            String comment = String.join(" ", c.doc().stream().map(String::strip)
                    .filter(l -> !l.startsWith("+") && !l.isEmpty()).toList()).strip();
            if (comment.startsWith(c.name())) {
                comment = comment.substring(c.name().length()).strip();
            }
            if (!comment.isEmpty()) {
                b.append(' ').append(comment);
            }
        }
        return b.toString();
    }

    /** Parses a {@code +default=} marker value, which is JSON. */
    static Optional<JsonNode> parseDefault(String marker) {
        try {
            return Optional.of(MAPPER.readTree(marker));
        } catch (RuntimeException e) {
            return Optional.empty(); // e.g. ref(...) defaults: nothing a client needs
        }
    }

    private static void scalar(ObjectNode into, String goType) {
        switch (goType) {
            case "string" -> into.put("type", "string");
            case "bool" -> into.put("type", "boolean");
            case "int", "int8", "int16", "int32", "uint8", "uint16", "byte", "rune" -> {
                into.put("type", "integer");
                into.put("format", "int32");
            }
            case "int64", "uint", "uint32", "uint64" -> {
                into.put("type", "integer");
                into.put("format", "int64");
            }
            case "float32" -> {
                into.put("type", "number");
                into.put("format", "float");
            }
            case "float64" -> {
                into.put("type", "number");
                into.put("format", "double");
            }
            default -> throw new IllegalStateException("no JSON form for Go type " + goType);
        }
    }

    private static JsonNode zero(String goType) {
        var f = JsonNodeFactory.instance;
        return switch (goType) {
            case "string" -> f.stringNode("");
            case "bool" -> f.booleanNode(false);
            case "float32", "float64" -> f.numberNode(0.0);
            default -> f.numberNode(0);
        };
    }
}
