package io.kubevisor.node.kubelet;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A request target split into decoded path segments and query parameters. Immutable. */
record Query(List<String> segments, Map<String, List<String>> params) {

    static Query parse(String uri) {
        int q = uri.indexOf('?');
        String path = q < 0 ? uri : uri.substring(0, q);
        List<String> segments = new ArrayList<>();
        for (String s : path.split("/")) {
            if (!s.isEmpty()) {
                segments.add(URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8));
            }
        }
        Map<String, List<String>> params = new LinkedHashMap<>();
        if (q >= 0) {
            for (String pair : uri.substring(q + 1).split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                params.computeIfAbsent(k, x -> new ArrayList<>()).add(v);
            }
        }
        return new Query(List.copyOf(segments), params);
    }

    String first(String name) {
        List<String> v = params.get(name);
        return v == null || v.isEmpty() ? null : v.getFirst();
    }

    List<String> all(String name) {
        return params.getOrDefault(name, List.of());
    }

    /** Go's strconv.ParseBool as the kubelet reads flags: "1", "t", "true" (any case); a bare key is true. */
    boolean flag(String name) {
        String v = first(name);
        if (v == null) {
            return false;
        }
        return v.isEmpty() || v.equals("1") || v.equalsIgnoreCase("t") || v.equalsIgnoreCase("true");
    }

    /**
     * @return the number, or {@code otherwise} when absent
     * @throws IllegalArgumentException when present but not a number
     */
    long number(String name, long otherwise) {
        String v = first(name);
        if (v == null || v.isEmpty()) {
            return otherwise;
        }
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be an integer, got \"" + v + "\"");
        }
    }
}
