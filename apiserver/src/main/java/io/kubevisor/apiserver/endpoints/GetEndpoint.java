package io.kubevisor.apiserver.endpoints;

import tools.jackson.databind.node.ObjectNode;

/** GET of one object or its status. */
final class GetEndpoint {

    private final ObjectRenderer renderer;

    GetEndpoint(ObjectRenderer renderer) {
        this.renderer = renderer;
    }

    void serve(ResourceContext ctx) {
        ObjectNode obj = ctx.resources().get(ctx.namespace(), ctx.name());
        renderer.one(ctx, 200, obj);
    }
}
