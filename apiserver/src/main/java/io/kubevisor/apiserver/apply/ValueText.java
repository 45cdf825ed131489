package io.kubevisor.apiserver.apply;

import io.kubevisor.api.JsonValues;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;


import tools.jackson.databind.JsonNode;

/**
 * How structured-merge-diff orders, prints and serializes the values inside path elements:
 * a total order across types (numbers, strings, booleans, lists, maps, null), Go's {@code %q}
 * quoting for conflict messages, and Go's HTML-safe JSON for FieldsV1 keys.
 */
final class ValueText {

    private ValueText() {
    }

    private static int rank(JsonNode v) {
        if (JsonValues.isNull(v)) {
            return 5;
        }
        if (v.isNumber()) {
            return 0;
        }
        if (v.isString()) {
            return 1;
        }
        if (v.isBoolean()) {
            return 2;
        }
        if (v.isArray()) {
            return 3;
        }
        return 4;
    }

    static int compare(JsonNode a, JsonNode b) {
        int ra = rank(a);
        int rb = rank(b);
        if (ra != rb) {
            return Integer.compare(ra, rb);
        }
        switch (ra) {
            case 0:
                return JsonValues.decimal(a).compareTo(JsonValues.decimal(b));
            case 1:
                return a.asString().compareTo(b.asString());
            case 2:
                return Boolean.compare(a.asBoolean(), b.asBoolean());
            case 3: {
                Iterator<JsonNode> ia = a.values().iterator();
                Iterator<JsonNode> ib = b.values().iterator();
                while (ia.hasNext() && ib.hasNext()) {
                    int c = compare(ia.next(), ib.next());
                    if (c != 0) {
                        return c;
                    }
                }
                return Boolean.compare(ia.hasNext(), ib.hasNext());
            }
            case 4: {
                List<String> ka = new ArrayList<>(a.propertyNames());
                List<String> kb = new ArrayList<>(b.propertyNames());
                ka.sort(null);
                kb.sort(null);
                for (int i = 0; i < Math.min(ka.size(), kb.size()); i++) {
                    int c = ka.get(i).compareTo(kb.get(i));
                    if (c != 0) {
                        return c;
                    }
                    c = compare(a.get(ka.get(i)), b.get(kb.get(i)));
                    if (c != 0) {
                        return c;
                    }
                }
                return Integer.compare(ka.size(), kb.size());
            }
            default:
                return 0;
        }
    }

    /** structured-merge-diff's {@code value.ToString}: strings quoted, numbers plain. */
    static String display(JsonNode v) {
        if (JsonValues.isNull(v)) {
            return "null";
        }
        if (v.isString()) {
            return goQuote(v.asString());
        }
        if (v.isNumber()) {
            return number(v);
        }
        if (v.isArray()) {
            List<String> parts = new ArrayList<>();
            v.values().forEach(e -> parts.add(display(e)));
            return "[" + String.join(",", parts) + "]";
        }
        if (v.isObject()) {
            StringBuilder sb = new StringBuilder();
            for (Map.Entry<String, JsonNode> e : v.properties()) {
                sb.append(e.getKey()).append('=').append(display(e.getValue()));
            }
            return sb.toString();
        }
        return v.toString();
    }

    private static String number(JsonNode v) {
        if (v.isIntegralNumber()) {
            return v.bigIntegerValue().toString();
        }
        BigDecimal d = v.decimalValue().stripTrailingZeros();
        return d.scale() <= 0 ? d.toBigInteger().toString() : d.toPlainString();
    }

    /** Go's {@code %q}. */
    static String goQuote(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        sb.append(String.format("\\x%02x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }

    /** JSON as Go's encoding/json writes it (HTML characters escaped), object keys sorted. */
    static String goJson(JsonNode v) {
        StringBuilder sb = new StringBuilder();
        goJson(v, sb);
        return sb.toString();
    }

    private static void goJson(JsonNode v, StringBuilder sb) {
        if (JsonValues.isNull(v)) {
            sb.append("null");
        } else if (v.isString()) {
            goString(v.asString(), sb);
        } else if (v.isNumber()) {
            sb.append(number(v));
        } else if (v.isBoolean()) {
            sb.append(v.asBoolean());
        } else if (v.isArray()) {
            sb.append('[');
            boolean first = true;
            for (JsonNode e : v.values()) {
                if (!first) {
                    sb.append(',');
                }
                first = false;
                goJson(e, sb);
            }
            sb.append(']');
        } else {
            sb.append('{');
            List<String> keys = new ArrayList<>(v.propertyNames());
            keys.sort(null);
            boolean first = true;
            for (String k : keys) {
                if (!first) {
                    sb.append(',');
                }
                first = false;
                goString(k, sb);
                sb.append(':');
                goJson(v.get(k), sb);
            }
            sb.append('}');
        }
    }

    static void goString(String s, StringBuilder sb) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                case '<', '>', '&', '\u2028', '\u2029' -> sb.append(String.format("\\u%04x", (int) c));
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }
}
