package io.kubevisor.schemagen;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Code-generator markers from comments: lines like {@code +listType=map} or {@code +optional}.
 * A marker may repeat ({@code +listMapKey=a}, {@code +listMapKey=b}); values keep their order.
 */
record Markers(Map<String, List<String>> values) {

    static final Markers NONE = new Markers(Map.of());

    Markers {
        values = Map.copyOf(values);
    }

    static Markers parse(List<String> commentLines) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (String raw : commentLines) {
            String line = raw.strip();
            if (!line.startsWith("+")) {
                continue;
            }
            String body = line.substring(1);
            int eq = body.indexOf('=');
            String key = eq < 0 ? body.strip() : body.substring(0, eq).strip();
            String value = eq < 0 ? "" : body.substring(eq + 1).strip();
            out.computeIfAbsent(key, k -> new ArrayList<>()).add(value);
        }
        return new Markers(out);
    }

    boolean has(String key) {
        return values.containsKey(key);
    }

    Optional<String> first(String key) {
        List<String> v = values.get(key);
        return v == null || v.isEmpty() ? Optional.empty() : Optional.of(v.getFirst());
    }

    List<String> all(String key) {
        return values.getOrDefault(key, List.of());
    }

    /** These markers, overridden key by key by {@code over}. */
    Markers overriddenBy(Markers over) {
        Map<String, List<String>> merged = new LinkedHashMap<>(values);
        merged.putAll(over.values);
        return new Markers(merged);
    }
}
