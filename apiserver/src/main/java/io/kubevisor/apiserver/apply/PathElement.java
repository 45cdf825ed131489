package io.kubevisor.apiserver.apply;

import io.kubevisor.api.JsonValues;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import io.kubevisor.api.Json;

import tools.jackson.databind.JsonNode;

/**
 * One step of a field path, as structured-merge-diff defines it: a struct or map member
 * ({@code f:name}), a map-list item by its keys ({@code k:{"name":"c"}}), a set item by value
 * ({@code v:"x"}), or a list index ({@code i:0}). Elements are immutable and totally ordered
 * (fields, then keys, then values, then indexes), which is the order FieldsV1 is written in.
 */
public sealed interface PathElement extends Comparable<PathElement> {

    /** A member of a struct or a map. */
    record Field(String name) implements PathElement {
        @Override
        public String toString() {
            return "." + name;
        }
    }

    /** A map-list item; {@code fields} are sorted by name. */
    record Key(List<KeyField> fields) implements PathElement {
        public Key {
            fields = fields.stream().sorted(Comparator.comparing(KeyField::name)).toList();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && compareTo(k) == 0;
        }

        @Override
        public int hashCode() {
            return fields.stream().mapToInt(f -> f.name().hashCode() * 31 + JsonValues.canonical(f.value()).hashCode()).sum();
        }

        @Override
        public String toString() {
            List<String> parts = new ArrayList<>();
            for (KeyField f : fields) {
                parts.add(f.name() + "=" + ValueText.display(f.value()));
            }
            return "[" + String.join(",", parts) + "]";
        }
    }

    /** One key field of a map-list item. */
    record KeyField(String name, JsonNode value) {
    }

    /** A set item. */
    record Value(JsonNode value) implements PathElement {
        @Override
        public boolean equals(Object o) {
            return o instanceof Value v && ValueText.compare(value, v.value) == 0;
        }

        @Override
        public int hashCode() {
            return JsonValues.canonical(value).hashCode();
        }

        @Override
        public String toString() {
            return "[=" + ValueText.display(value) + "]";
        }
    }

    /** An item of an atomic list (only seen in sets decoded from elsewhere). */
    record Index(int index) implements PathElement {
        @Override
        public String toString() {
            return "[" + index + "]";
        }
    }

    private int rank() {
        return switch (this) {
            case Field f -> 0;
            case Key k -> 1;
            case Value v -> 2;
            case Index i -> 3;
        };
    }

    @Override
    default int compareTo(PathElement o) {
        int r = Integer.compare(rank(), o.rank());
        if (r != 0) {
            return r;
        }
        return switch (this) {
            case Field f -> f.name().compareTo(((Field) o).name());
            case Key k -> compareKeys(k.fields(), ((Key) o).fields());
            case Value v -> ValueText.compare(v.value(), ((Value) o).value());
            case Index i -> Integer.compare(i.index(), ((Index) o).index());
        };
    }

    private static int compareKeys(List<KeyField> a, List<KeyField> b) {
        for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
            int c = a.get(i).name().compareTo(b.get(i).name());
            if (c != 0) {
                return c;
            }
            c = ValueText.compare(a.get(i).value(), b.get(i).value());
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(a.size(), b.size());
    }

    /** The FieldsV1 key of this element, e.g. {@code f:spec} or {@code k:{"name":"nginx"}}. */
    default String serialize() {
        return switch (this) {
            case Field f -> "f:" + f.name();
            case Key k -> {
                StringBuilder sb = new StringBuilder("k:{");
                boolean first = true;
                for (KeyField kf : k.fields()) {
                    if (!first) {
                        sb.append(',');
                    }
                    first = false;
                    ValueText.goString(kf.name(), sb);
                    sb.append(':').append(ValueText.goJson(kf.value()));
                }
                yield sb.append('}').toString();
            }
            case Value v -> "v:" + ValueText.goJson(v.value());
            case Index i -> "i:" + i.index();
        };
    }

    /**
     * Parses a FieldsV1 key; null for an element type this version does not know (ignored, as
     * structured-merge-diff does).
     *
     * @throws IllegalArgumentException for a malformed key
     */
    static PathElement parse(String s) {
        if (s.length() < 2) {
            throw new IllegalArgumentException("key must be 2 characters long: " + s);
        }
        if (s.charAt(1) != ':') {
            throw new IllegalArgumentException("missing colon: " + s);
        }
        String rest = s.substring(2);
        return switch (s.charAt(0)) {
            case 'f' -> new Field(rest);
            case 'v' -> new Value(Json.parse(rest));
            case 'k' -> {
                JsonNode obj = Json.parse(rest);
                if (!obj.isObject()) {
                    throw new IllegalArgumentException("key element is not an object: " + s);
                }
                List<KeyField> fields = new ArrayList<>();
                for (Map.Entry<String, JsonNode> e : obj.properties()) {
                    fields.add(new KeyField(e.getKey(), e.getValue()));
                }
                yield new Key(fields);
            }
            case 'i' -> {
                try {
                    yield new Index(Integer.parseInt(rest));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("bad index: " + s, e);
                }
            }
            default -> null;
        };
    }

    /** A path as structured-merge-diff prints it: {@code .spec.containers[name="c"].image}. */
    static String toString(List<PathElement> path) {
        StringBuilder sb = new StringBuilder();
        path.forEach(sb::append);
        return sb.toString();
    }
}
