package io.kubevisor.api;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The one root of every error the API answers with. Each subtype maps to exactly one HTTP code
 * and Status reason, and renders the message kubectl prints after
 * {@code Error from server (<reason>):}.
 */
public abstract sealed class ApiException extends RuntimeException {

    private final transient StatusDetails details;

    protected ApiException(String message, StatusDetails details) {
        super(message, null, false, false);
        this.details = details == null ? StatusDetails.none() : details;
    }

    /** HTTP status code. */
    public abstract int code();

    /** {@code Status.reason}; empty for reasonless failures. */
    public abstract String reason();

    public StatusDetails details() {
        return details;
    }

    /** The Status object as Kubernetes returns it. */
    public ObjectNode toStatus() {
        ObjectNode s = Json.object();
        s.put("kind", "Status");
        s.put("apiVersion", "v1");
        s.putObject("metadata");
        s.put("status", "Failure");
        s.put("message", getMessage());
        if (!reason().isEmpty()) {
            s.put("reason", reason());
        }
        StatusDetails d = details;
        if (d.name() != null || d.group() != null || d.kind() != null || !d.causes().isEmpty()
                || d.retryAfterSeconds() != null) {
            ObjectNode dn = s.putObject("details");
            if (d.name() != null) {
                dn.put("name", d.name());
            }
            if (d.group() != null && !d.group().isEmpty()) {
                dn.put("group", d.group());
            }
            if (d.kind() != null) {
                dn.put("kind", d.kind());
            }
            if (!d.causes().isEmpty()) {
                ArrayNode causes = dn.putArray("causes");
                for (StatusCause c : d.causes()) {
                    ObjectNode cn = causes.addObject();
                    if (c.reason() != null) {
                        cn.put("reason", c.reason());
                    }
                    if (c.message() != null) {
                        cn.put("message", c.message());
                    }
                    if (c.field() != null) {
                        cn.put("field", c.field());
                    }
                }
            }
            if (d.retryAfterSeconds() != null) {
                dn.put("retryAfterSeconds", d.retryAfterSeconds());
            }
        }
        s.put("code", code());
        return s;
    }

    private static String qualified(String resource, String group) {
        return group == null || group.isEmpty() ? resource : resource + "." + group;
    }

    // ---- 400 ----------------------------------------------------------------------------

    public static final class BadRequest extends ApiException {
        public BadRequest(String message) {
            super(message, null);
        }

        public BadRequest(String message, List<StatusCause> causes) {
            super(message, new StatusDetails(null, null, null, causes, null));
        }

        @Override
        public int code() {
            return 400;
        }

        @Override
        public String reason() {
            return "BadRequest";
        }
    }

    // ---- 401 ----------------------------------------------------------------------------

    public static final class Unauthorized extends ApiException {
        public Unauthorized() {
            super("Unauthorized", null);
        }

        @Override
        public int code() {
            return 401;
        }

        @Override
        public String reason() {
            return "Unauthorized";
        }
    }

    // ---- 403 ----------------------------------------------------------------------------

    public static final class Forbidden extends ApiException {
        /**
         * A 403 with a ready message.
         *
         * @param group    API group of the resource the request was about ("" for core), or null
         * @param resource plural resource name without subresource ({@code Status.details.kind}), or null
         * @param name     object name or null
         * @param message  the whole message kubectl prints after {@code Error from server (Forbidden):}
         */
        public Forbidden(String group, String resource, String name, String message) {
            super(message, StatusDetails.of(group, resource, name));
        }

        /** {@link #rbac(String, String, String, String, String, String, String, String)} without a reason. */
        public static Forbidden rbac(String user, String verb, String group, String resource, String subresource,
                                     String namespace, String name) {
            return rbac(user, verb, group, resource, subresource, namespace, name, null);
        }

        /**
         * The message Kubernetes' authorization filter writes for a denied resource request, e.g.
         * {@code pods "x" is forbidden: User "bob" cannot create resource "pods/exec" in API group ""
         * in the namespace "default"}. As in Kubernetes, the leading qualified resource (and
         * {@code details.kind}) omits the subresource, while the "cannot ... resource" part carries it.
         *
         * @param reason the authorizer's reason, appended after {@code ": "} when non-empty
         */
        public static Forbidden rbac(String user, String verb, String group, String resource, String subresource,
                                     String namespace, String name, String reason) {
            String g = group == null ? "" : group;
            String what = subresource == null || subresource.isEmpty() ? resource : resource + "/" + subresource;
            StringBuilder sb = new StringBuilder();
            sb.append("User \"").append(user).append("\" cannot ").append(verb)
                    .append(" resource \"").append(what).append("\" in API group \"").append(g).append('"');
            if (namespace != null && !namespace.isEmpty()) {
                sb.append(" in the namespace \"").append(namespace).append('"');
            } else {
                sb.append(" at the cluster scope");
            }
            return new Forbidden(g, resource, emptyToNull(name), prefixed(qualified(resource, g), name, sb, reason));
        }

        /**
         * The message for a denied non-resource request, e.g.
         * {@code forbidden: User "bob" cannot get path "/metrics"}.
         */
        public static Forbidden nonResource(String user, String verb, String path, String reason) {
            StringBuilder sb = new StringBuilder();
            sb.append("User \"").append(user).append("\" cannot ").append(verb).append(" path \"").append(path)
                    .append('"');
            return new Forbidden(null, null, null, prefixed(null, null, sb, reason));
        }

        private static String prefixed(String qualifiedResource, String name, StringBuilder why, String reason) {
            if (reason != null && !reason.isEmpty()) {
                why.append(": ").append(reason);
            }
            if (qualifiedResource == null || qualifiedResource.isEmpty()) {
                return "forbidden: " + why;
            }
            if (name == null || name.isEmpty()) {
                return qualifiedResource + " is forbidden: " + why;
            }
            return qualifiedResource + " \"" + name + "\" is forbidden: " + why;
        }

        private static String emptyToNull(String s) {
            return s == null || s.isEmpty() ? null : s;
        }

        @Override
        public int code() {
            return 403;
        }

        @Override
        public String reason() {
            return "Forbidden";
        }
    }

    // ---- 404 ----------------------------------------------------------------------------

    public static final class NotFound extends ApiException {
        public NotFound(String group, String resource, String name) {
            super(qualified(resource, group) + " \"" + name + "\" not found", StatusDetails.of(group, resource, name));
        }

        private NotFound(String message) {
            super(message, null);
        }

        /** 404 for a URL that names no resource: kubectl prints "the server could not find the requested resource". */
        public static NotFound path() {
            return new NotFound("the server could not find the requested resource");
        }

        public static NotFound message(String message) {
            return new NotFound(message);
        }

        @Override
        public int code() {
            return 404;
        }

        @Override
        public String reason() {
            return "NotFound";
        }
    }

    // ---- 405 ----------------------------------------------------------------------------

    public static final class MethodNotAllowed extends ApiException {
        public MethodNotAllowed(String message) {
            super(message, null);
        }

        @Override
        public int code() {
            return 405;
        }

        @Override
        public String reason() {
            return "MethodNotAllowed";
        }
    }

    // ---- 406 ----------------------------------------------------------------------------

    public static final class NotAcceptable extends ApiException {
        public NotAcceptable(String message) {
            super(message, null);
        }

        @Override
        public int code() {
            return 406;
        }

        @Override
        public String reason() {
            return "NotAcceptable";
        }
    }

    // ---- 409 ----------------------------------------------------------------------------

    public static final class AlreadyExists extends ApiException {
        public AlreadyExists(String group, String resource, String name) {
            super(qualified(resource, group) + " \"" + name + "\" already exists", StatusDetails.of(group, resource, name));
        }

        @Override
        public int code() {
            return 409;
        }

        @Override
        public String reason() {
            return "AlreadyExists";
        }
    }

    public static final class Conflict extends ApiException {
        public Conflict(String group, String resource, String name, String why) {
            super("Operation cannot be fulfilled on " + qualified(resource, group) + " \"" + name + "\": " + why,
                    StatusDetails.of(group, resource, name));
        }

        /** The usual optimistic-concurrency failure. */
        public static Conflict stale(String group, String resource, String name) {
            return new Conflict(group, resource, name,
                    "the object has been modified; please apply your changes to the latest version and try again");
        }

        private Conflict(String message, StatusDetails details) {
            super(message, details);
        }

        /** A conflict with a free-form message and causes, e.g. server-side apply field conflicts. */
        public static Conflict withCauses(String group, String resource, String name, String message,
                                          List<StatusCause> causes) {
            return new Conflict(message, new StatusDetails(name, group, resource, causes, null));
        }

        @Override
        public int code() {
            return 409;
        }

        @Override
        public String reason() {
            return "Conflict";
        }
    }

    // ---- 410 ----------------------------------------------------------------------------

    public static final class Gone extends ApiException {
        public Gone(String message) {
            super(message, null);
        }

        /** The message Kubernetes uses when a watch or list asks for a compacted revision. */
        public static Gone tooOld(long requested, long oldest) {
            return new Gone("too old resource version: " + requested + " (" + oldest + ")");
        }

        @Override
        public int code() {
            return 410;
        }

        @Override
        public String reason() {
            return "Expired";
        }
    }

    // ---- 413 / 415 ----------------------------------------------------------------------

    public static final class RequestEntityTooLarge extends ApiException {
        public RequestEntityTooLarge(String message) {
            super(message, null);
        }

        @Override
        public int code() {
            return 413;
        }

        @Override
        public String reason() {
            return "RequestEntityTooLarge";
        }
    }

    public static final class UnsupportedMediaType extends ApiException {
        public UnsupportedMediaType(String contentType) {
            super("the body of the request was in an unknown format - accepted media types include: "
                    + "application/json, application/yaml, application/vnd.kubernetes.protobuf"
                    + (contentType == null ? "" : ""), null);
        }

        private UnsupportedMediaType(String message, boolean raw) {
            super(message, null);
        }

        /** For patch endpoints, which accept only patch media types. */
        public static UnsupportedMediaType forPatch(String contentType) {
            return new UnsupportedMediaType("the body of the request was in an unknown format - accepted media types include: "
                    + "application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml, "
                    + "application/strategic-merge-patch+json", true);
        }

        @Override
        public int code() {
            return 415;
        }

        @Override
        public String reason() {
            return "UnsupportedMediaType";
        }
    }

    // ---- 422 ----------------------------------------------------------------------------

    public static final class Invalid extends ApiException {
        private final transient List<FieldError> errors;

        /**
         * @param kind the Kind (not the resource): Kubernetes reports {@code The Pod "x" is invalid}
         */
        public Invalid(String group, String kind, String name, List<FieldError> errors) {
            super(render(kind, name, errors), new StatusDetails(name, group, kind, causes(errors), null));
            this.errors = List.copyOf(errors);
        }

        private Invalid(String message, List<StatusCause> causes) {
            super(message, new StatusDetails(null, null, null, causes, null));
            this.errors = List.of();
        }

        /**
         * The 422 Kubernetes builds from a bare server message (a JSON patch that does not apply):
         * a fixed message and one {@code UnexpectedServerResponse} cause carrying the detail.
         */
        public static Invalid unprocessable(String serverMessage) {
            return new Invalid("the server rejected our request due to an error in our request",
                    List.of(new StatusCause("UnexpectedServerResponse", serverMessage, null)));
        }

        public List<FieldError> errors() {
            return errors;
        }

        private static String render(String kind, String name, List<FieldError> errors) {
            String joined = errors.size() == 1
                    ? errors.getFirst().render()
                    : errors.stream().map(FieldError::render).collect(Collectors.joining(", ", "[", "]"));
            return kind + " \"" + (name == null ? "" : name) + "\" is invalid: " + joined;
        }

        private static List<StatusCause> causes(List<FieldError> errors) {
            List<StatusCause> out = new ArrayList<>();
            for (FieldError e : errors) {
                out.add(new StatusCause(e.type().reason(), e.message(), e.field()));
            }
            return out;
        }

        @Override
        public int code() {
            return 422;
        }

        @Override
        public String reason() {
            return "Invalid";
        }
    }

    // ---- 429 / 500 / 503 / 504 ------------------------------------------------------------

    public static final class TooManyRequests extends ApiException {
        public TooManyRequests(String message, int retryAfterSeconds) {
            super(message, new StatusDetails(null, null, null, List.of(), retryAfterSeconds));
        }

        @Override
        public int code() {
            return 429;
        }

        @Override
        public String reason() {
            return "TooManyRequests";
        }
    }

    public static final class InternalError extends ApiException {
        public InternalError(String message) {
            super("Internal error occurred: " + message, null);
        }

        @Override
        public int code() {
            return 500;
        }

        @Override
        public String reason() {
            return "InternalError";
        }
    }

    public static final class Timeout extends ApiException {
        public Timeout(String message) {
            super(message, null);
        }

        @Override
        public int code() {
            return 504;
        }

        @Override
        public String reason() {
            return "Timeout";
        }
    }

    public static final class ServiceUnavailable extends ApiException {
        public ServiceUnavailable(String message) {
            super(message, null);
        }

        @Override
        public int code() {
            return 503;
        }

        @Override
        public String reason() {
            return "ServiceUnavailable";
        }
    }
}
