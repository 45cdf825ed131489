package io.kubevisor.api.table;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

import tools.jackson.databind.JsonNode;

/**
 * Formatting shared by the printers, mirroring the helpers Kubernetes' printers use
 * (translateTimestampSince, labels.FormatLabels, metav1.FormatLabelSelector, ...). Stateless.
 */
final class Cells {

    static final String NONE = "<none>";
    private static final DateTimeFormatter RFC3339 = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss'Z'")
            .withZone(ZoneOffset.UTC);

    private Cells() {
    }

    /** A string field, "" when absent (Go's zero value). */
    static String text(JsonNode node, String pointer) {
        JsonNode n = node.at(pointer);
        return n.isString() ? n.asString() : n.isValueNode() && !n.isNull() ? n.asString() : "";
    }

    /** An integer field, 0 when absent. */
    static long number(JsonNode node, String pointer) {
        JsonNode n = node.at(pointer);
        return n.isNumber() ? n.longValue() : 0;
    }

    static String name(JsonNode obj) {
        return text(obj, "/metadata/name");
    }

    /** Parses a Kubernetes timestamp; null when absent, null-valued or unparsable. */
    static Instant time(JsonNode node, String pointer) {
        JsonNode n = node.at(pointer);
        if (!n.isString() || n.asString().isEmpty()) {
            return null;
        }
        try {
            return OffsetDateTime.parse(n.asString(), DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /** translateTimestampSince: "&lt;unknown&gt;" for a zero time. */
    static String since(Instant t, Instant now) {
        return t == null ? "<unknown>" : HumanDuration.format(Duration.between(t, now));
    }

    static String age(JsonNode obj, Instant now) {
        return since(time(obj, "/metadata/creationTimestamp"), now);
    }

    /** The default table's "Created At": RFC 3339 in UTC, Go's zero time when unset. */
    static String createdAt(JsonNode obj) {
        Instant t = time(obj, "/metadata/creationTimestamp");
        return t == null ? "0001-01-01T00:00:00Z" : RFC3339.format(t);
    }

    /** labels.FormatLabels: sorted {@code k=v} pairs joined by commas, "&lt;none&gt;" if empty. */
    static String labels(JsonNode map) {
        if (!map.isObject() || map.isEmpty()) {
            return NONE;
        }
        Map<String, String> sorted = new TreeMap<>();
        for (Map.Entry<String, JsonNode> e : map.properties()) {
            sorted.put(e.getKey(), e.getValue().asString(""));
        }
        List<String> parts = new ArrayList<>();
        sorted.forEach((k, v) -> parts.add(k + "=" + v));
        return String.join(",", parts);
    }

    /**
     * The text of a LabelSelector as labels.Selector.String() renders it: requirements sorted
     * by key, {@code k=v}, {@code k in (a,b)}, {@code k notin (a,b)}, {@code k}, {@code !k}.
     * Empty for an absent or empty selector.
     */
    static String selector(JsonNode sel) {
        if (!sel.isObject()) {
            return "";
        }
        List<String[]> reqs = new ArrayList<>();
        for (Map.Entry<String, JsonNode> e : sel.path("matchLabels").properties()) {
            reqs.add(new String[] {e.getKey(), e.getKey() + "=" + e.getValue().asString("")});
        }
        for (JsonNode expr : sel.path("matchExpressions")) {
            String key = expr.path("key").asString("");
            TreeSet<String> values = new TreeSet<>();
            expr.path("values").forEach(v -> values.add(v.asString("")));
            String text = switch (expr.path("operator").asString("")) {
                case "In" -> key + " in (" + String.join(",", values) + ")";
                case "NotIn" -> key + " notin (" + String.join(",", values) + ")";
                case "Exists" -> key;
                case "DoesNotExist" -> "!" + key;
                default -> "<error>";
            };
            reqs.add(new String[] {key, text});
        }
        // A stable sort by key keeps matchLabels before expressions on the same key, as Go does.
        reqs.sort((a, b) -> a[0].compareTo(b[0]));
        List<String> parts = new ArrayList<>();
        for (String[] r : reqs) {
            parts.add(r[1]);
        }
        return String.join(",", parts);
    }

    /** metav1.FormatLabelSelector: like {@link #selector} but "&lt;none&gt;" when empty. */
    static String formatSelector(JsonNode sel) {
        String s = selector(sel);
        return s.isEmpty() ? NONE : s;
    }

    /** layoutContainerCells: container names and images, each joined by commas. */
    static String[] containers(JsonNode podSpec) {
        List<String> names = new ArrayList<>();
        List<String> images = new ArrayList<>();
        for (JsonNode c : podSpec.path("containers")) {
            names.add(c.path("name").asString(""));
            images.add(c.path("image").asString(""));
        }
        return new String[] {String.join(",", names), String.join(",", images)};
    }

    static String orNone(String s) {
        return s == null || s.isEmpty() ? NONE : s;
    }

    /** A quantity's text; Go prints an absent quantity as "0". */
    static String quantity(JsonNode q) {
        return q.isString() || q.isNumber() ? q.asString() : "0";
    }

    /** Whether the first condition of a type has status True. */
    static boolean condition(JsonNode conditions, String type) {
        for (JsonNode c : conditions) {
            if (c.path("type").asString("").equals(type)) {
                return c.path("status").asString("").equals("True");
            }
        }
        return false;
    }
}
