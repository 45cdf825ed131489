package io.kubevisor.apiserver.endpoints;

import io.kubevisor.api.ApiException;
import io.kubevisor.apiserver.endpoints.BodyReader.FieldValidation;
import io.kubevisor.apiserver.registry.ResourceStore;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** PUT of an object, its status, or a namespace's finalizers. */
final class UpdateEndpoint {

    private final BodyReader bodies;
    private final ObjectRenderer renderer;

    UpdateEndpoint(BodyReader bodies, ObjectRenderer renderer) {
        this.bodies = bodies;
        this.renderer = renderer;
    }

    void serve(ResourceContext ctx) {
        String sub = ctx.subresource();
        if (!sub.isEmpty() && !sub.equals("status") && !sub.equals("finalize")) {
            throw ApiException.NotFound.path();
        }
        FieldValidation validation = FieldValidation.parse(ctx.query().get("fieldValidation", ""));
        ObjectNode obj = bodies.read(ctx.exchange().body(), ctx.contentType(), ctx.type().gvk(), validation,
                ctx.warnings());
        Namespaces.reconcile(obj, ctx);
        String bodyName = obj.path("metadata").path("name").asString("");
        if (!bodyName.isEmpty() && !bodyName.equals(ctx.name())) {
            throw new ApiException.BadRequest("the name of the object (" + bodyName
                    + ") does not match the name on the URL (" + ctx.name() + ")");
        }
        String rv = obj.path("metadata").path("resourceVersion").asString("");
        boolean createIfMissing = sub.isEmpty() && ctx.resources().strategy().allowCreateOnUpdate();
        ResourceStore.UpdateResult r = ctx.resources().guaranteedUpdate(ctx.namespace(), ctx.name(), sub,
                ctx.writeOptions(), rv.isEmpty() ? null : rv, createIfMissing, current -> {
                    if (current == null || !sub.equals("finalize")) {
                        return obj.deepCopy();
                    }
                    // finalize changes nothing but spec.finalizers.
                    ObjectNode next = current.deepCopy();
                    JsonNode fins = obj.path("spec").get("finalizers");
                    ObjectNode spec = next.get("spec") instanceof ObjectNode s ? s : next.putObject("spec");
                    if (fins == null) {
                        spec.remove("finalizers");
                    } else {
                        spec.set("finalizers", fins);
                    }
                    if (!rv.isEmpty()) {
                        ((ObjectNode) next.get("metadata")).put("resourceVersion", rv);
                    }
                    return next;
                });
        renderer.one(ctx, r.created() ? 201 : 200, r.object());
    }
}
