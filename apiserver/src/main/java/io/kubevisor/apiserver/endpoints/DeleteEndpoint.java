package io.kubevisor.apiserver.endpoints;

import io.kubevisor.api.ApiException;
import io.kubevisor.api.Json;
import io.kubevisor.apiserver.endpoints.BodyReader.FieldValidation;
import io.kubevisor.apiserver.registry.DeleteOptions;
import io.kubevisor.apiserver.registry.ResourceStore;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** DELETE of one object. */
final class DeleteEndpoint {

    private final BodyReader bodies;
    private final ObjectRenderer renderer;

    DeleteEndpoint(BodyReader bodies, ObjectRenderer renderer) {
        this.bodies = bodies;
        this.renderer = renderer;
    }

    void serve(ResourceContext ctx) {
        if (!ctx.subresource().isEmpty()) {
            throw new ApiException.MethodNotAllowed("the server does not allow this method on the requested resource");
        }
        DeleteOptions opts = options(ctx, bodies);
        ResourceStore.DeleteResult r = ctx.resources().delete(ctx.namespace(), ctx.name(), opts, ctx.user());
        if (!r.deleted() || ctx.resources().strategy().returnDeletedObject()) {
            renderer.one(ctx, 200, r.object());
            return;
        }
        ObjectNode status = Json.object();
        status.put("kind", "Status");
        status.put("apiVersion", "v1");
        status.putObject("metadata");
        status.put("status", "Success");
        ObjectNode details = status.putObject("details");
        details.put("name", ctx.name());
        if (!ctx.type().group().isEmpty()) {
            details.put("group", ctx.type().group());
        }
        details.put("kind", ctx.type().plural());
        details.put("uid", r.object().path("metadata").path("uid").asString(""));
        Responses.send(ctx.exchange(), 200, status, ctx.rendering(), ctx.warnings());
    }

    /** DeleteOptions from the query and an optional body, the body winning as in Kubernetes. */
    static DeleteOptions options(ResourceContext ctx, BodyReader bodies) {
        Long grace = ctx.query().number("gracePeriodSeconds").orElse(null);
        String policy = ctx.query().get("propagationPolicy").orElse(null);
        boolean dryRun = ctx.dryRun();
        String uid = null;
        String rv = null;
        byte[] body = ctx.exchange().body();
        if (body.length > 0) {
            JsonNode o = bodies.parse(body, ctx.contentType(), FieldValidation.IGNORE, ctx.warnings());
            if (!o.isObject()) {
                throw new ApiException.BadRequest("DeleteOptions must be an object");
            }
            String kind = o.path("kind").asString("DeleteOptions");
            if (!kind.equals("DeleteOptions")) {
                throw new ApiException.BadRequest("the kind in the data (" + kind
                        + ") does not match the expected kind (DeleteOptions)");
            }
            if (o.has("gracePeriodSeconds") && !o.get("gracePeriodSeconds").isNull()) {
                grace = o.get("gracePeriodSeconds").asLong();
            }
            if (o.hasNonNull("propagationPolicy")) {
                policy = o.get("propagationPolicy").asString();
            }
            if (o.path("orphanDependents").isBoolean() && policy == null) {
                policy = o.path("orphanDependents").asBoolean() ? "Orphan" : "Background";
            }
            JsonNode pre = o.path("preconditions");
            if (pre.hasNonNull("uid")) {
                uid = pre.get("uid").asString();
            }
            if (pre.hasNonNull("resourceVersion")) {
                rv = pre.get("resourceVersion").asString();
            }
            for (JsonNode d : o.path("dryRun")) {
                if (!d.asString("").equals("All")) {
                    throw new ApiException.BadRequest("Invalid dry run value: " + d.asString("")
                            + ". Valid values are: All");
                }
                dryRun = true;
            }
        }
        if (policy != null && !policy.equals("Orphan") && !policy.equals("Background") && !policy.equals("Foreground")) {
            throw new ApiException.Invalid("", "DeleteOptions", "", java.util.List.of(
                    io.kubevisor.api.FieldError.notSupported("propagationPolicy", policy,
                            java.util.List.of("Foreground", "Background", "Orphan"))));
        }
        return new DeleteOptions(grace, uid, rv, policy, dryRun);
    }
}
