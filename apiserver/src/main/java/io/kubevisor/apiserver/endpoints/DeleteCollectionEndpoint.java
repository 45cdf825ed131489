package io.kubevisor.apiserver.endpoints;

import java.util.ArrayList;
import java.util.List;

import io.kubevisor.api.ApiException;
import io.kubevisor.apiserver.registry.DeleteOptions;
import io.kubevisor.apiserver.registry.ListOptions;
import io.kubevisor.apiserver.registry.ListPage;
import io.kubevisor.apiserver.registry.ResourceLister;
import tools.jackson.databind.node.ObjectNode;

/** DELETE of a collection: every selected object, answered with the list of what was deleted. */
final class DeleteCollectionEndpoint {

    private final BodyReader bodies;
    private final ObjectRenderer renderer;

    DeleteCollectionEndpoint(BodyReader bodies, ObjectRenderer renderer) {
        this.bodies = bodies;
        this.renderer = renderer;
    }

    void serve(ResourceContext ctx) {
        DeleteOptions opts = DeleteEndpoint.options(ctx, bodies);
        ListOptions sel = ListOptionsParser.parse(ctx.query(), ctx.resources().strategy());
        ListPage page = new ResourceLister(ctx.resources()).list(ctx.namespace(),
                new ListOptions(sel.labels(), sel.fields(), 0, null, "", ""));
        List<ObjectNode> deleted = new ArrayList<>();
        for (ObjectNode o : page.items()) {
            String ns = o.path("metadata").path("namespace").asString("");
            String name = o.path("metadata").path("name").asString("");
            try {
                deleted.add(ctx.resources().delete(ns, name, opts, ctx.user()).object());
            } catch (ApiException.NotFound gone) {
                // deleted concurrently: fine
            }
        }
        renderer.list(ctx, new ListPage(deleted, page.resourceVersion(), null, null));
    }
}
