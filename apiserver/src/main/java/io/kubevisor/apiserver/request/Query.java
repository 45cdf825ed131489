package io.kubevisor.apiserver.request;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.kubevisor.api.ApiException;

/** A decoded query string. Repeated parameters keep every value in order. */
public final class Query {

    private final Map<String, List<String>> params;

    private Query(Map<String, List<String>> params) {
        this.params = params;
    }

    public static Query parse(String rawQuery) {
        Map<String, List<String>> m = new LinkedHashMap<>();
        if (rawQuery != null && !rawQuery.isEmpty()) {
            for (String pair : rawQuery.split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                String k = decode(eq < 0 ? pair : pair.substring(0, eq));
                String v = eq < 0 ? "" : decode(pair.substring(eq + 1));
                m.computeIfAbsent(k, x -> new ArrayList<>()).add(v);
            }
        }
        return new Query(m);
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new ApiException.BadRequest("invalid query string: " + e.getMessage());
        }
    }

    public Optional<String> get(String name) {
        List<String> v = params.get(name);
        return v == null || v.isEmpty() ? Optional.empty() : Optional.of(v.getFirst());
    }

    public String get(String name, String dflt) {
        return get(name).orElse(dflt);
    }

    public List<String> all(String name) {
        return params.getOrDefault(name, List.of());
    }

    public boolean has(String name) {
        return params.containsKey(name);
    }

    /** A boolean parameter as Kubernetes parses it ("true", "1"; an empty value means true). */
    public boolean flag(String name) {
        Optional<String> v = get(name);
        if (v.isEmpty()) {
            return false;
        }
        String s = v.get();
        return s.isEmpty() || s.equalsIgnoreCase("true") || s.equals("1");
    }

    /** A non-negative integer parameter; malformed values are a 400. */
    public Optional<Long> number(String name) {
        Optional<String> v = get(name);
        if (v.isEmpty() || v.get().isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Long.parseLong(v.get()));
        } catch (NumberFormatException e) {
            throw new ApiException.BadRequest("invalid value for " + name + ": " + v.get());
        }
    }
}
