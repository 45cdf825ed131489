package io.kubevisor.api.schema;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.zip.GZIPInputStream;

import io.kubevisor.api.GroupVersionKind;
import io.kubevisor.api.Json;
import tools.jackson.databind.JsonNode;

/**
 * The schemas of the Kubernetes 1.32 built-in kinds, read from the generated resource
 * {@code k8s-1.32-definitions.json.gz} (see {@code tools/regenerate-schemas.sh}). Definitions are
 * OpenAPI v2 schemas named as Kubernetes names them ({@code io.k8s.api.core.v1.PodSpec}), with
 * Kubernetes' vendor extensions, {@code x-kubevisor-protobuf} field numbers and
 * {@value #GO_ZERO_EXTENSION} rules (how Go's JSON writes each property's zero value).
 *
 * <p>Immutable and thread-safe. {@link #load()} parses the resource once per JVM.
 */
public final class BuiltinSchemas implements SchemaRegistry {

    /** The classpath resource, relative to this class. */
    public static final String RESOURCE = "k8s-1.32-definitions.json.gz";

    /** Vendor extension carrying a property's protobuf field number. */
    public static final String PROTOBUF_EXTENSION = "x-kubevisor-protobuf";

    /** Vendor extension naming the protobuf field of the inlined member a property is nested in. */
    public static final String PROTOBUF_VIA_EXTENSION = "x-kubevisor-protobuf-via";

    /**
     * Vendor extension on a property saying how Go's JSON writes its zero value: {@code omit},
     * {@code omit-empty}, {@code null} or {@code write}; absent for pointers with omitempty. Read
     * it through {@link FieldSchema#zeroValue()}.
     */
    public static final String GO_ZERO_EXTENSION = "x-kubevisor-go-zero";

    private final String source;
    private final Map<String, JsonNode> raw;
    private final Map<String, SchemaView> views;
    private final Map<GroupVersionKind, String> byKind;

    private BuiltinSchemas(JsonNode document) {
        JsonNode defs = document.get("definitions");
        if (defs == null || !defs.isObject()) {
            throw new IllegalArgumentException("schema document has no definitions");
        }
        this.source = document.path("source").asString("");
        Map<String, JsonNode> rawDefs = new LinkedHashMap<>();
        defs.properties().forEach(e -> rawDefs.put(e.getKey(), e.getValue()));
        this.raw = Collections.unmodifiableMap(rawDefs);
        Map<String, SchemaView> v = new LinkedHashMap<>();
        Map<GroupVersionKind, String> kinds = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : rawDefs.entrySet()) {
            v.put(e.getKey(), new SchemaView(e.getValue(), this::view));
            for (JsonNode gvk : e.getValue().path("x-kubernetes-group-version-kind")) {
                kinds.putIfAbsent(new GroupVersionKind(gvk.path("group").asString(""),
                        gvk.path("version").asString(""), gvk.path("kind").asString("")), e.getKey());
            }
        }
        this.views = Collections.unmodifiableMap(v);
        this.byKind = Collections.unmodifiableMap(kinds);
    }

    private static final class Holder {
        static final BuiltinSchemas INSTANCE = read();
    }

    /** The built-in schemas; the resource is parsed on first use and shared afterwards. */
    public static BuiltinSchemas load() {
        return Holder.INSTANCE;
    }

    /**
     * Schemas from a document shaped like the resource: {@code {"definitions": {name: schema}}}.
     * The caller must not change {@code document} afterwards.
     */
    public static BuiltinSchemas of(JsonNode document) {
        return new BuiltinSchemas(document);
    }

    private static BuiltinSchemas read() {
        try (InputStream in = BuiltinSchemas.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + RESOURCE);
            }
            try (InputStream gz = new GZIPInputStream(in, 1 << 16)) {
                return new BuiltinSchemas(Json.MAPPER.readTree(gz));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
    }

    private SchemaView view(String name) {
        return views.get(name);
    }

    @Override
    public Optional<FieldSchema> forKind(GroupVersionKind gvk) {
        return definitionName(gvk).map(views::get);
    }

    @Override
    public Optional<FieldSchema> definition(String name) {
        return Optional.ofNullable(views.get(name));
    }

    /** The name of the definition of a kind, e.g. {@code io.k8s.api.core.v1.Pod} for v1 Pod. */
    public Optional<String> definitionName(GroupVersionKind gvk) {
        return Optional.ofNullable(byKind.get(gvk));
    }

    /** Every kind that has a definition, mapped to the definition's name; unmodifiable. */
    public Map<GroupVersionKind, String> kinds() {
        return byKind;
    }

    /** All definition names in resource order; unmodifiable. */
    public Set<String> definitionNames() {
        return raw.keySet();
    }

    /**
     * The raw OpenAPI v2 JSON of a definition (refs as {@code #/definitions/<name>}). Returns a
     * fresh copy the caller owns and may change.
     */
    public Optional<JsonNode> rawDefinition(String name) {
        JsonNode n = raw.get(name);
        return n == null ? Optional.empty() : Optional.of(n.deepCopy());
    }

    /** The given definitions and every definition they refer to, directly or transitively; unmodifiable. */
    public Set<String> closure(List<String> roots) {
        Set<String> seen = new LinkedHashSet<>();
        ArrayDeque<String> todo = new ArrayDeque<>(roots);
        while (!todo.isEmpty()) {
            String name = todo.pop();
            JsonNode def = raw.get(name);
            if (def == null || !seen.add(name)) {
                continue;
            }
            collectRefs(def, todo);
        }
        return Collections.unmodifiableSet(seen);
    }

    private static void collectRefs(JsonNode node, Deque<String> into) {
        if (node.isObject()) {
            JsonNode ref = node.get("$ref");
            if (ref != null && ref.isString()) {
                String s = ref.asString();
                into.push(s.substring(s.lastIndexOf('/') + 1));
            }
        }
        if (node.isContainer()) {
            node.forEach(child -> collectRefs(child, into));
        }
    }

    /** Where the definitions come from, e.g. {@code k8s.io/api 0.32.3 ...}. */
    public String source() {
        return source;
    }
}
