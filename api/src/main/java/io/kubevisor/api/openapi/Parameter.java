package io.kubevisor.api.openapi;

import java.util.List;

/**
 * A path or query parameter of an operation, format-neutral (rendered for v2 and v3).
 *
 * @param in    {@code path} or {@code query}
 * @param type  {@code string}, {@code boolean} or {@code integer}
 */
record Parameter(String name, String in, String type, boolean required, String description) {

    static Parameter path(String name, String description) {
        return new Parameter(name, "path", "string", true, description);
    }

    static Parameter query(String name, String type, String description) {
        return new Parameter(name, "query", type, false, description);
    }

    static final Parameter NAME = path("name", "name of the object");
    static final Parameter NAMESPACE = path("namespace", "object name and auth scope, such as for teams and projects");
    static final Parameter PRETTY = query("pretty", "string", "If 'true', then the output is pretty printed.");

    static final Parameter DRY_RUN = query("dryRun", "string",
            "When present, indicates that modifications should not be persisted. Valid values are: - All: all dry "
                    + "run stages will be processed");
    static final Parameter FIELD_MANAGER = query("fieldManager", "string",
            "fieldManager is a name associated with the actor or entity that is making these changes. It is "
                    + "required for apply requests (application/apply-patch) and optional otherwise.");
    static final Parameter FIELD_VALIDATION = query("fieldValidation", "string",
            "fieldValidation tells the server how to handle objects in the request (POST/PUT/PATCH) containing "
                    + "unknown or duplicate fields. Valid values are: - Ignore: drop them silently. - Warn: drop "
                    + "them and send a warning for each in the Warning response header (the default). - Strict: "
                    + "fail the request with a BadRequest error listing them.");
    static final Parameter FORCE = query("force", "boolean",
            "Force \"forces\" Apply requests: the caller re-acquires fields owned by other managers. Must be unset "
                    + "for non-apply patch requests.");

    static final Parameter GRACE_PERIOD = query("gracePeriodSeconds", "integer",
            "The duration in seconds before the object should be deleted. Zero means delete immediately.");
    static final Parameter ORPHAN = query("orphanDependents", "boolean",
            "Deprecated: use propagationPolicy. Whether dependents are orphaned.");
    static final Parameter PROPAGATION = query("propagationPolicy", "string",
            "Whether and how garbage collection is performed: 'Orphan', 'Background' or 'Foreground'.");

    static final List<Parameter> LIST = List.of(
            query("allowWatchBookmarks", "boolean", "allowWatchBookmarks requests watch events with type \"BOOKMARK\"."),
            query("continue", "string", "The continue token of a previous, paged list response."),
            query("fieldSelector", "string", "A selector to restrict the list of returned objects by their fields."),
            query("labelSelector", "string", "A selector to restrict the list of returned objects by their labels."),
            query("limit", "integer", "limit is the maximum number of responses to return for a list call."),
            query("resourceVersion", "string", "resourceVersion sets a constraint on what resource versions a "
                    + "request may be served from."),
            query("resourceVersionMatch", "string", "resourceVersionMatch determines how resourceVersion is "
                    + "applied to list calls."),
            query("sendInitialEvents", "boolean", "Whether a watch starts with synthetic events for the current "
                    + "state."),
            query("timeoutSeconds", "integer", "Timeout for the list/watch call."),
            query("watch", "boolean", "Watch for changes to the described resources and return them as a stream "
                    + "of add, update, and remove notifications."));

    static final List<Parameter> WRITE = List.of(DRY_RUN, FIELD_MANAGER, FIELD_VALIDATION);
    static final List<Parameter> PATCH = List.of(DRY_RUN, FIELD_MANAGER, FIELD_VALIDATION, FORCE);
    static final List<Parameter> DELETE = List.of(DRY_RUN, GRACE_PERIOD, ORPHAN, PROPAGATION);
}
