package io.kubevisor.api;

/**
 * One problem with one field of an object, rendered the way Kubernetes' field.Error renders:
 * {@code spec.containers[0].image: Required value}.
 */
public record FieldError(Type type, String field, Object badValue, String detail) {

    /** The closed set of field error types; each maps to a Status cause reason. */
    public enum Type {
        REQUIRED("FieldValueRequired", "Required value"),
        INVALID("FieldValueInvalid", "Invalid value"),
        NOT_SUPPORTED("FieldValueNotSupported", "Unsupported value"),
        DUPLICATE("FieldValueDuplicate", "Duplicate value"),
        FORBIDDEN("FieldValueForbidden", "Forbidden"),
        TOO_LONG("FieldValueTooLong", "Too long"),
        TOO_MANY("FieldValueTooMany", "Too many"),
        TYPE_INVALID("FieldValueTypeInvalid", "Invalid value"),
        NOT_FOUND("FieldValueNotFound", "Not found");

        private final String reason;
        private final String text;

        Type(String reason, String text) {
            this.reason = reason;
            this.text = text;
        }

        public String reason() {
            return reason;
        }

        public String text() {
            return text;
        }
    }

    public static FieldError required(String field, String detail) {
        return new FieldError(Type.REQUIRED, field, null, detail);
    }

    public static FieldError invalid(String field, Object value, String detail) {
        return new FieldError(Type.INVALID, field, value, detail);
    }

    public static FieldError notSupported(String field, Object value, java.util.Collection<String> allowed) {
        StringBuilder sb = new StringBuilder("supported values: ");
        boolean first = true;
        for (String a : allowed) {
            if (!first) {
                sb.append(", ");
            }
            sb.append('"').append(a).append('"');
            first = false;
        }
        return new FieldError(Type.NOT_SUPPORTED, field, value, sb.toString());
    }

    public static FieldError forbidden(String field, String detail) {
        return new FieldError(Type.FORBIDDEN, field, null, detail);
    }

    public static FieldError duplicate(String field, Object value) {
        return new FieldError(Type.DUPLICATE, field, value, null);
    }

    public static FieldError tooLong(String field, Object value, int max) {
        return new FieldError(Type.TOO_LONG, field, value, "may not be more than " + max + " bytes");
    }

    /** The part after the field path: {@code Invalid value: "x": must be ...}. */
    public String message() {
        StringBuilder sb = new StringBuilder(type.text());
        boolean showValue = switch (type) {
            case INVALID, NOT_SUPPORTED, DUPLICATE, TYPE_INVALID, NOT_FOUND -> true;
            default -> false;
        };
        if (showValue) {
            sb.append(": ").append(renderValue(badValue));
        }
        if (detail != null && !detail.isEmpty()) {
            sb.append(": ").append(detail);
        }
        return sb.toString();
    }

    /** The whole error as Kubernetes prints it. */
    public String render() {
        return field == null || field.isEmpty() ? message() : field + ": " + message();
    }

    private static String renderValue(Object v) {
        if (v == null) {
            return "null";
        }
        if (v instanceof String s) {
            return '"' + s.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
        }
        return String.valueOf(v);
    }
}
