package io.kubevisor.apiserver.endpoints;

import io.kubevisor.apiserver.registry.ListOptions;
import io.kubevisor.apiserver.registry.ResourceLister;

/** GET of a collection. */
final class ListEndpoint {

    private final ObjectRenderer renderer;

    ListEndpoint(ObjectRenderer renderer) {
        this.renderer = renderer;
    }

    void serve(ResourceContext ctx) {
        ListOptions opts = ListOptionsParser.parse(ctx.query(), ctx.resources().strategy());
        ResourceLister lister = new ResourceLister(ctx.resources());
        if (raw(ctx, opts)) {
            renderer.rawList(ctx, lister.listRaw(ctx.namespace(), opts));
            return;
        }
        renderer.list(ctx, lister.list(ctx.namespace(), opts));
    }

    /**
     * Plain JSON of objects served as stored, selected by name at most: the stored bytes go out
     * as they are, with only the resourceVersion spliced in.
     */
    private static boolean raw(ResourceContext ctx, ListOptions opts) {
        return ctx.rendering() instanceof io.kubevisor.apiserver.request.Rendering.AsJson
                && !ctx.resources().strategy().converts(ctx.type().gvk())
                && opts.labels().isEmpty()
                && opts.fields().terms().stream().allMatch(t -> t.equals() && t.field().equals("metadata.name"));
    }
}
