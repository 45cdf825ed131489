package io.kubevisor.apiserver.endpoints;

import io.kubevisor.apiserver.registry.ListOptions;
import io.kubevisor.apiserver.registry.ListPage;
import io.kubevisor.apiserver.registry.ResourceLister;

/** GET of a collection. */
final class ListEndpoint {

    private final ObjectRenderer renderer;

    ListEndpoint(ObjectRenderer renderer) {
        this.renderer = renderer;
    }

    void serve(ResourceContext ctx) {
        ListOptions opts = ListOptionsParser.parse(ctx.query(), ctx.resources().strategy());
        ListPage page = new ResourceLister(ctx.resources()).list(ctx.namespace(), opts);
        renderer.list(ctx, page);
    }
}
