package io.kubevisor.apiserver.apply;

import io.kubevisor.api.JsonValues;
import java.time.Instant;

import io.kubevisor.api.ApiException;
import io.kubevisor.api.Json;
import io.kubevisor.api.schema.FieldSchema;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Server-side apply ({@code PATCH} with {@code application/apply-patch+yaml}) as Kubernetes 1.32
 * does it: the applied configuration is merged into the live object by the schema's list and map
 * types, the manager becomes the owner of exactly the configured fields, fields it applied before
 * and no longer configures are removed unless someone else owns them, and changing a field another
 * manager owns is a conflict unless {@code force} is set, which takes the field over.
 *
 * <p>Not done here (the caller's part): checking the URL's name, namespace and kind against the
 * configuration, requiring a non-empty field manager, defaulting, validation, admission, storage.
 * Stateless and thread-safe; arguments are never modified.
 */
public final class ServerSideApply {

    static final String LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";

    private ServerSideApply() {
    }

    /** {@link #apply(ObjectNode, ObjectNode, String, String, boolean, FieldSchema, Instant)} on the main resource. */
    public static ObjectNode apply(ObjectNode live, ObjectNode applied, String manager, boolean force,
                                   FieldSchema schema, Instant now) {
        return apply(live, applied, manager, "", force, schema, now);
    }

    /**
     * Applies a configuration.
     *
     * @param live        the stored object with its managedFields, or null when it does not exist
     *                    yet (the result is then the object to create)
     * @param applied     the applied configuration: apiVersion, kind, metadata.name and the fields
     *                    the manager wants to own
     * @param manager     the fieldManager query parameter
     * @param subresource the subresource applied through ({@code status}) or empty
     * @param force       take over conflicting fields instead of failing
     * @param schema      the kind's top-level schema; null treats every object as a granular map
     *                    and every list as atomic
     * @param now         the time recorded for the manager when the object changes
     * @return a new object with updated {@code metadata.managedFields}, owned by the caller; equal
     *         to {@code live} apart from managedFields when the apply changes nothing
     * @throws ApiException.BadRequest when the configuration names another kind or carries
     *                                 managedFields
     * @throws ApiException.Conflict   on conflicts with other managers (without {@code force})
     * @throws ApiException.InternalError when list items cannot be identified (missing keys,
     *                                 duplicates), as kube-apiserver answers
     */
    public static ObjectNode apply(ObjectNode live, ObjectNode applied, String manager, String subresource,
                                   boolean force, FieldSchema schema, Instant now) {
        checkConfiguration(live, applied);
        ObjectNode base = live == null ? JsonNodeFactory.instance.objectNode() : withoutManagedFields(live);
        ManagerKey key = ManagerKey.applier(manager, subresource);
        String apiVersion = applied.path("apiVersion").asString("");
        Managed managed = decodeManaged(live);
        JsonNode result;
        try {
            try {
                result = new Ownership(schema).apply(base, applied, managed, key, apiVersion, force);
            } catch (ApplyConflicts.Found f) {
                ApplyConflicts.Found remaining = "kubectl".equals(manager) ? LastApplied.unexplained(f, base, schema) : f;
                if (!remaining.byManager.isEmpty()) {
                    throw remaining;
                }
                // kubectl moving from client-side to server-side apply takes over what it applied before.
                managed = decodeManaged(live);
                result = new Ownership(schema).apply(base, applied, managed, key, apiVersion, true);
            }
        } catch (ApplyConflicts.Found f) {
            throw ApplyConflicts.toApiException(f);
        } catch (SchemaViolation e) {
            throw new ApiException.InternalError("failed to create typed patch object ("
                    + describe(applied) + "): " + e.getMessage());
        }
        Ownership.stripMeta(managed, key);
        boolean changed = live == null || !JsonValues.equal(base, result);
        ObjectNode out = (ObjectNode) (changed ? result : base).deepCopy();
        if (changed && managed.owners.containsKey(key)) {
            managed.times.put(key, ManagedFieldsCodec.time(now));
        }
        if ("kubectl".equals(manager)) {
            refreshLastApplied(out, applied);
        }
        ManagedFields.store(out, managed);
        return out;
    }

    private static Managed decodeManaged(ObjectNode live) {
        try {
            return live == null ? new Managed() : ManagedFieldsCodec.decode(live.path("metadata").get("managedFields"));
        } catch (IllegalArgumentException e) {
            throw new ApiException.InternalError("failed to decode managed fields: " + e.getMessage());
        }
    }

    private static void checkConfiguration(ObjectNode live, ObjectNode applied) {
        if (applied == null) {
            throw new ApiException.BadRequest("invalid object type: /, Kind=");
        }
        String apiVersion = applied.path("apiVersion").asString("");
        String kind = applied.path("kind").asString("");
        if (apiVersion.isEmpty() || kind.isEmpty()
                || live != null && (!apiVersion.equals(live.path("apiVersion").asString(""))
                || !kind.equals(live.path("kind").asString("")))) {
            throw new ApiException.BadRequest("invalid object type: " + gvk(apiVersion, kind));
        }
        JsonNode meta = applied.get("metadata");
        if (meta != null && meta.has("managedFields") && !meta.get("managedFields").isNull()) {
            throw new ApiException.BadRequest("metadata.managedFields must be nil");
        }
    }

    /** Go's {@code schema.GroupVersionKind} String(): {@code apps/v1, Kind=Deployment}, {@code /v1, Kind=Pod}. */
    private static String gvk(String apiVersion, String kind) {
        String gv = apiVersion.contains("/") ? apiVersion : "/" + apiVersion;
        return gv + ", Kind=" + kind;
    }

    private static String describe(JsonNode obj) {
        JsonNode meta = obj.path("metadata");
        String ns = meta.path("namespace").asString("");
        return (ns.isEmpty() ? "<unknown>" : ns) + "/" + meta.path("name").asString("<unknown>") + "; "
                + gvk(obj.path("apiVersion").asString(""), obj.path("kind").asString(""));
    }

    static ObjectNode withoutManagedFields(ObjectNode obj) {
        ObjectNode copy = obj.deepCopy();
        if (copy.get("metadata") instanceof ObjectNode meta) {
            meta.remove("managedFields");
        }
        return copy;
    }

    /**
     * Kubernetes keeps client-side apply working after {@code kubectl apply --server-side}: when
     * the object already has a last-applied annotation, manager {@code kubectl} rewrites it.
     */
    private static void refreshLastApplied(ObjectNode out, ObjectNode applied) {
        JsonNode annotations = out.path("metadata").get("annotations");
        if (annotations == null || annotations.path(LAST_APPLIED).asString("").isEmpty()) {
            return;
        }
        ObjectNode copy = applied.deepCopy();
        if (copy.path("metadata").get("annotations") instanceof ObjectNode a) {
            a.remove(LAST_APPLIED);
            if (a.isEmpty()) {
                ((ObjectNode) copy.get("metadata")).remove("annotations");
            }
        }
        ((ObjectNode) annotations).put(LAST_APPLIED, Json.string(copy) + "\n");
    }

}
