package io.kubevisor.apiserver.endpoints;

import io.kubevisor.api.ApiException;
import io.kubevisor.apiserver.endpoints.BodyReader.FieldValidation;
import tools.jackson.databind.node.ObjectNode;

/** POST to a collection. */
final class CreateEndpoint {

    private final BodyReader bodies;
    private final ObjectRenderer renderer;

    CreateEndpoint(BodyReader bodies, ObjectRenderer renderer) {
        this.bodies = bodies;
        this.renderer = renderer;
    }

    void serve(ResourceContext ctx) {
        if (!ctx.name().isEmpty() || !ctx.subresource().isEmpty()) {
            throw new ApiException.MethodNotAllowed("the server does not allow this method on the requested resource");
        }
        FieldValidation validation = FieldValidation.parse(ctx.query().get("fieldValidation", ""));
        ObjectNode obj = bodies.read(ctx.exchange().body(), ctx.contentType(), ctx.type().gvk(), validation,
                ctx.warnings());
        Namespaces.reconcile(obj, ctx);
        ObjectNode created = ctx.resources().create(obj, ctx.writeOptions());
        renderer.one(ctx, 201, created);
    }
}
