package io.kubevisor.apiserver.kinds.support;

import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

import io.kubevisor.api.FieldError;
import io.kubevisor.apiserver.meta.ObjectMetaRules;
import io.kubevisor.apiserver.meta.Validation;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.MissingNode;

/**
 * Validation building blocks shared by the kinds, with Kubernetes' field paths and messages
 * ({@code k8s.io/apimachinery/pkg/util/validation} and the common parts of
 * {@code pkg/apis/core/validation}). Each appends to the caller's error list. Stateless.
 */
public final class Rules {

    /** Kubernetes' message for negative values of non-negative fields. */
    public static final String NEGATIVE = "must be greater than or equal to 0";
    /** Kubernetes' message for values that must be positive. */
    public static final String NOT_POSITIVE = "must be greater than zero";
    /** Kubernetes' message for changed immutable fields. */
    public static final String IMMUTABLE = "field is immutable";
    /** Kubernetes' message for non-integer quantities of integer resources. */
    public static final String NOT_INTEGER = "must be an integer";

    private static final Pattern PORT_NAME_CHARS = Pattern.compile("^[-a-z0-9]+$");
    private static final Pattern HAS_LETTER = Pattern.compile("[a-z]");
    private static final Pattern CONFIG_KEY = Pattern.compile("^[-._a-zA-Z0-9]+$");
    private static final Pattern PERCENT = Pattern.compile("^[0-9]+%$");
    private static final int MAX_ANNOTATIONS_BYTES = 256 * 1024;

    private Rules() {
    }

    /** {@code path[i]}. */
    public static String index(String path, int i) {
        return path + "[" + i + "]";
    }

    /** {@code path[key]}, as field.Path.Key renders map keys. */
    public static String key(String path, String key) {
        return path + "[" + key + "]";
    }

    /** A NotFound error ({@code Not found: "x"}). */
    public static FieldError notFound(String path, Object value) {
        return new FieldError(FieldError.Type.NOT_FOUND, path, value, null);
    }

    /** "must be between lo and hi, inclusive". */
    public static String inclusiveRange(long lo, long hi) {
        return "must be between " + lo + " and " + hi + ", inclusive";
    }

    /** A number field must not be negative (checked only when present). */
    public static void nonNegative(List<FieldError> errs, String path, JsonNode parent, String field) {
        JsonNode v = parent == null ? null : parent.get(field);
        if (v != null && v.isNumber() && v.asLong() < 0) {
            errs.add(FieldError.invalid(path, v.asLong(), NEGATIVE));
        }
    }

    /** A value must not be negative. */
    public static void nonNegative(List<FieldError> errs, String path, long value) {
        if (value < 0) {
            errs.add(FieldError.invalid(path, value, NEGATIVE));
        }
    }

    /** DNS-1123 label syntax (container names, volume names, hostnames). */
    public static void dns1123Label(List<FieldError> errs, String path, String value) {
        for (String m : Validation.dns1123Label(value)) {
            errs.add(FieldError.invalid(path, value, m));
        }
    }

    /** DNS-1123 subdomain syntax (object references, service account names). */
    public static void dns1123Subdomain(List<FieldError> errs, String path, String value) {
        for (String m : Validation.dns1123Subdomain(value)) {
            errs.add(FieldError.invalid(path, value, m));
        }
    }

    /** Qualified name syntax ({@code [prefix/]name}): label keys, resource names, finalizers. */
    public static void qualifiedName(List<FieldError> errs, String path, String value) {
        for (String m : Validation.qualifiedName(value)) {
            errs.add(FieldError.invalid(path, value, m));
        }
    }

    /** Label keys and values of a map, reported at {@code path}. */
    public static void labels(List<FieldError> errs, String path, JsonNode labels) {
        errs.addAll(ObjectMetaRules.labels(labels == null ? MissingNode.getInstance() : labels, path));
    }

    /** Annotation keys (case-insensitive qualified names) and their total size. */
    public static void annotations(List<FieldError> errs, String path, JsonNode annotations) {
        if (annotations == null || !annotations.isObject()) {
            return;
        }
        long total = 0;
        for (Map.Entry<String, JsonNode> e : annotations.properties()) {
            for (String m : Validation.qualifiedName(e.getKey().toLowerCase(Locale.ROOT))) {
                errs.add(FieldError.invalid(path, e.getKey(), m));
            }
            total += e.getKey().getBytes(StandardCharsets.UTF_8).length
                    + e.getValue().asString("").getBytes(StandardCharsets.UTF_8).length;
        }
        if (total > MAX_ANNOTATIONS_BYTES) {
            errs.add(FieldError.tooLong(path, "", MAX_ANNOTATIONS_BYTES));
        }
    }

    /** A metav1.LabelSelector: match labels and expressions (ValidateLabelSelector). */
    public static void labelSelector(List<FieldError> errs, String path, JsonNode selector) {
        if (selector == null || !selector.isObject()) {
            return;
        }
        labels(errs, path + ".matchLabels", selector.get("matchLabels"));
        List<JsonNode> exprs = Nodes.elements(selector, "matchExpressions");
        for (int i = 0; i < exprs.size(); i++) {
            JsonNode e = exprs.get(i);
            String p = index(path + ".matchExpressions", i);
            String op = Nodes.text(e, "operator");
            List<String> values = Nodes.strings(e, "values");
            switch (op) {
                case "In", "NotIn" -> {
                    if (values.isEmpty()) {
                        errs.add(FieldError.required(p + ".values",
                                "must be specified when `operator` is 'In' or 'NotIn'"));
                    }
                }
                case "Exists", "DoesNotExist" -> {
                    if (!values.isEmpty()) {
                        errs.add(FieldError.forbidden(p + ".values",
                                "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"));
                    }
                }
                default -> errs.add(FieldError.invalid(p + ".operator", op, "not a valid selector operator"));
            }
            qualifiedName(errs, p + ".key", Nodes.text(e, "key"));
            for (int v = 0; v < values.size(); v++) {
                for (String m : Validation.labelValue(values.get(v))) {
                    errs.add(FieldError.invalid(index(p + ".values", v), values.get(v), m));
                }
            }
        }
    }

    /** Whether a selector object selects nothing in particular (no labels, no expressions). */
    public static boolean emptySelector(JsonNode selector) {
        return !Nodes.hasEntries(selector, "matchLabels") && !Nodes.hasItems(selector, "matchExpressions");
    }

    /** Problems with a port number. */
    public static List<String> portNumber(long port) {
        return port >= 1 && port <= 65535 ? List.of() : List.of(inclusiveRange(1, 65535));
    }

    /** Problems with a port name (IsValidPortName). */
    public static List<String> portName(String name) {
        List<String> msgs = new java.util.ArrayList<>();
        if (name.length() > 15) {
            msgs.add(Validation.maxLen(15));
        }
        if (!PORT_NAME_CHARS.matcher(name).matches()) {
            msgs.add("must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)");
        } else if (!HAS_LETTER.matcher(name).find()) {
            msgs.add("must contain at least one letter (a-z)");
        }
        if (name.contains("--")) {
            msgs.add("must not contain consecutive hyphens");
        }
        if (!name.isEmpty() && (name.charAt(0) == '-' || name.charAt(name.length() - 1) == '-')) {
            msgs.add("must not begin or end with a hyphen");
        }
        return msgs;
    }

    /** An IntOrString port: a number in range or a valid port name (ValidatePortNumOrName). */
    public static void portNumOrName(List<FieldError> errs, String path, JsonNode port) {
        if (port != null && port.isString()) {
            for (String m : portName(port.stringValue())) {
                errs.add(FieldError.invalid(path, port.stringValue(), m));
            }
            return;
        }
        long v = port == null || !port.isNumber() ? 0 : port.asLong();
        for (String m : portNumber(v)) {
            errs.add(FieldError.invalid(path, v, m));
        }
    }

    /** Problems with a ConfigMap or Secret key (IsConfigMapKey). */
    public static List<String> configMapKey(String key) {
        List<String> msgs = new java.util.ArrayList<>();
        if (key.length() > 253) {
            msgs.add(Validation.maxLen(253));
        }
        if (!CONFIG_KEY.matcher(key).matches()) {
            msgs.add("a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. "
                    + "'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')");
        }
        if (key.equals(".")) {
            msgs.add("must not be '.'");
        } else if (key.equals("..")) {
            msgs.add("must not be '..'");
        } else if (key.startsWith("..")) {
            msgs.add("must not start with '..'");
        }
        return msgs;
    }

    /** Problems with a percentage string such as {@code 25%}. */
    public static List<String> percent(String value) {
        return PERCENT.matcher(value).matches() ? List.of()
                : List.of("a valid percent string must be a numeric string followed by an ending '%' (e.g. "
                        + "'1%',  or '93%', regex used for validation is '[0-9]+%')");
    }

    /** Problems with an environment variable name (relaxed rules, on by default since 1.32). */
    public static List<String> envVarName(String name) {
        for (char c : name.toCharArray()) {
            if (c < 32 || c > 126 || c == '=') {
                return List.of("a valid environment variable name must consist only of printable ASCII "
                        + "characters other than '='");
            }
        }
        return List.of();
    }

    /** An enum field: Required when empty, NotSupported when not one of {@code allowed}. */
    public static void oneOf(List<FieldError> errs, String path, String value, Collection<String> allowed) {
        if (value.isEmpty()) {
            errs.add(FieldError.required(path, ""));
        } else if (!allowed.contains(value)) {
            errs.add(FieldError.notSupported(path, value, allowed));
        }
    }

    /** Adds "field is immutable" when the two values differ (absent and null count as equal). */
    public static void immutable(List<FieldError> errs, String path, JsonNode now, JsonNode old, Object shown) {
        if (!Nodes.semanticEquals(now, old)) {
            errs.add(FieldError.invalid(path, shown, IMMUTABLE));
        }
    }

    /** A scalar node as Kubernetes shows it in an error: strings quoted, numbers plain, absent as null. */
    public static Object shown(JsonNode v) {
        if (v == null || v.isNull() || v.isMissingNode()) {
            return null;
        }
        if (v.isNumber()) {
            return v.asLong();
        }
        if (v.isBoolean()) {
            return v.booleanValue();
        }
        return v.isString() ? v.stringValue() : new GoValue(v.toString());
    }
}
