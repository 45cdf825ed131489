package io.kubevisor.schemagen;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Builds one OpenAPI v2 definition per emitted Go struct type, with Kubernetes' vendor extensions
 * and, per property, the protobuf field number ({@code x-kubevisor-protobuf}; for a property that
 * protobuf nests inside an inlined member, that member's number is {@code x-kubevisor-protobuf-via})
 * and how Go's JSON writes its zero value ({@value ZeroValues#EXTENSION}, see {@link ZeroValues}).
 */
final class DefinitionBuilder {

    /** Vendor extension: the protobuf field number of a property. */
    static final String PROTOBUF = "x-kubevisor-protobuf";
    /** Vendor extension: the protobuf field of the inlined member a property lives in. */
    static final String PROTOBUF_VIA = "x-kubevisor-protobuf-via";

    private final Universe universe;
    private final TypeSchemas schemas;
    private final ZeroValues zeroValues;

    DefinitionBuilder(Universe universe) {
        this.universe = universe;
        this.schemas = new TypeSchemas(universe);
        this.zeroValues = new ZeroValues(universe);
    }

    /** All definitions, by name, in package then declaration order. */
    Map<String, ObjectNode> build() {
        Map<String, ObjectNode> out = new LinkedHashMap<>();
        for (Universe.Package p : universe.packages()) {
            for (GoFile.TypeDecl d : p.types().values()) {
                GoType.Named named = new GoType.Named(p.path(), d.name());
                boolean exported = Character.isUpperCase(d.name().charAt(0));
                Markers markers = Markers.parse(d.markerDoc());
                if (!exported || !p.emits(d.name()) || !schemas.isDefinition(named)
                        || markers.first("k8s:openapi-gen").filter("false"::equals).isPresent()) {
                    continue;
                }
                out.put(Universe.definitionName(p.path(), d.name()), definition(p, d, markers));
            }
        }
        return out;
    }

    private ObjectNode definition(Universe.Package p, GoFile.TypeDecl d, Markers markers) {
        ObjectNode def = TypeSchemas.object();
        String description = typeDescription(p, d);
        if (!description.isEmpty()) {
            def.put("description", description);
        }
        String special = TypeSchemas.SPECIAL.get(p.path() + "." + d.name());
        if (special != null) {
            special(def, special);
        } else {
            def.put("type", "object");
            ObjectNode props = TypeSchemas.object();
            List<String> required = new ArrayList<>();
            members(p, d.name(), (GoType.Struct) d.type(), props, required, Proto.direct());
            if (!props.isEmpty()) {
                def.set("properties", props);
            }
            if (!required.isEmpty()) {
                ArrayNode req = def.putArray("required");
                required.forEach(req::add);
            }
        }
        markers.first("structType").or(() -> markers.first("mapType"))
                .ifPresent(t -> def.put("x-kubernetes-map-type", t));
        List<Universe.Gvk> gvks = p.gvks().getOrDefault(d.name(), List.of());
        if (!gvks.isEmpty()) {
            ArrayNode arr = def.putArray("x-kubernetes-group-version-kind");
            for (Universe.Gvk g : gvks) {
                arr.addObject().put("group", g.group()).put("kind", g.kind()).put("version", g.version());
            }
        }
        return def;
    }

    /**
     * The shapes Kubernetes gives its custom-marshalled types. Quantity and IntOrString carry the
     * OpenAPI v3 {@code oneOf}; v2 renders both as {@code type: string}.
     */
    private static void special(ObjectNode def, String kind) {
        switch (kind) {
            case "date-time" -> def.put("type", "string").put("format", "date-time");
            case "string" -> def.put("type", "string");
            case "object" -> def.put("type", "object");
            case "quantity" -> {
                ArrayNode one = def.putArray("oneOf");
                one.addObject().put("type", "string");
                one.addObject().put("type", "number");
            }
            case "int-or-string" -> {
                def.put("format", "int-or-string");
                ArrayNode one = def.putArray("oneOf");
                one.addObject().put("type", "integer");
                one.addObject().put("type", "string");
            }
            default -> throw new IllegalStateException(kind);
        }
    }

    /** How protobuf numbers apply to the members being collected. */
    private record Proto(boolean present, Integer via) {
        static Proto direct() {
            return new Proto(true, null);
        }
    }

    private void members(Universe.Package p, String owner, GoType.Struct s, ObjectNode props, List<String> required,
                         Proto proto) {
        for (GoField f : s.fields()) {
            StructTag tag = StructTag.parse(f.tag());
            String jsonName = tag.jsonName();
            if (jsonName.equals("-")) {
                continue;
            }
            if (f.embedded() && jsonName.isEmpty()) {
                GoType base = f.type() instanceof GoType.Pointer(GoType elem) ? elem : f.type();
                if (!(base instanceof GoType.Named named) || !(universe.decl(named).type() instanceof GoType.Struct inner)) {
                    throw new IllegalStateException(owner + ": cannot inline " + f.type());
                }
                Universe.Package innerPkg = universe.pkg(named.pkg()).orElseThrow();
                Optional<Integer> number = tag.protobufNumber();
                Proto innerProto = !proto.present() || number.isEmpty()
                        ? new Proto(false, null)
                        : new Proto(true, proto.via() != null ? proto.via() : number.get());
                members(innerPkg, named.name(), inner, props, required, innerProto);
                continue;
            }
            if (!f.exported()) {
                continue;
            }
            String name = jsonName.isEmpty() ? f.name() : jsonName;
            Markers markers = Markers.parse(f.doc());
            boolean omitEmpty = tag.jsonOption("omitempty");
            props.set(name, property(p, owner, name, f, tag, markers, omitEmpty, proto));
            if (!omitEmpty && !markers.has("optional") && !markers.has("k8s:optional")) {
                required.add(name);
            }
        }
    }

    private ObjectNode property(Universe.Package p, String owner, String name, GoField f, StructTag tag,
                                Markers fieldMarkers, boolean omitEmpty, Proto proto) {
        ObjectNode prop = TypeSchemas.object();
        String description = fieldDescription(p, owner, name, f);
        if (!description.isEmpty()) {
            prop.put("description", description);
        }
        schemas.fill(prop, f.type());
        Markers markers = schemas.typeMarkers(f.type()).overriddenBy(fieldMarkers);
        Optional<JsonNode> def = markers.first("default").flatMap(TypeSchemas::parseDefault);
        if (def.isEmpty() && !(f.type() instanceof GoType.Pointer)) {
            def = schemas.defaultFor(f.type(), omitEmpty);
        }
        def.ifPresent(d -> prop.set("default", d));
        schemas.enumType(f.type()).ifPresent(e -> {
            prop.set("enum", schemas.enumValues(e));
            String enumText = schemas.enumDescription(e);
            prop.put("description", description.isEmpty() ? enumText : description + "\n\n" + enumText);
        });
        tag.get("patchMergeKey").ifPresent(k -> prop.put("x-kubernetes-patch-merge-key", k));
        tag.get("patchStrategy").ifPresent(k -> prop.put("x-kubernetes-patch-strategy", k));
        List<String> mapKeys = markers.all("listMapKey");
        if (!mapKeys.isEmpty()) {
            ArrayNode keys = prop.putArray("x-kubernetes-list-map-keys");
            mapKeys.forEach(keys::add);
        }
        markers.first("listType").ifPresent(t -> prop.put("x-kubernetes-list-type", t));
        markers.first("mapType").ifPresent(t -> prop.put("x-kubernetes-map-type", t));
        zeroValues.rule(f.type(), omitEmpty).ifPresent(r -> prop.put(ZeroValues.EXTENSION, r));
        if (proto.present()) {
            tag.protobufNumber().ifPresent(n -> {
                prop.put(PROTOBUF, n);
                if (proto.via() != null) {
                    prop.put(PROTOBUF_VIA, proto.via());
                }
            });
        }
        return prop;
    }

    private String typeDescription(Universe.Package p, GoFile.TypeDecl d) {
        Map<String, String> doc = p.docs().get(d.name());
        if (doc != null && doc.containsKey("")) {
            return doc.get("");
        }
        return DocText.format(d.doc());
    }

    private String fieldDescription(Universe.Package p, String owner, String jsonName, GoField f) {
        Map<String, String> doc = p.docs().get(owner);
        if (doc != null && doc.containsKey(jsonName)) {
            return doc.get(jsonName);
        }
        return DocText.format(f.doc());
    }
}
