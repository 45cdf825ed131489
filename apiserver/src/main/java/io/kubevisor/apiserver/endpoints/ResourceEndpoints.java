package io.kubevisor.apiserver.endpoints;

import java.time.Duration;

import io.kubevisor.api.ApiException;

/** Routes a resource request to the endpoint of its verb. */
public final class ResourceEndpoints {

    private final GetEndpoint get;
    private final ListEndpoint list;
    private final WatchEndpoint watch;
    private final CreateEndpoint create;
    private final UpdateEndpoint update;
    private final DeleteEndpoint delete;
    private final DeleteCollectionEndpoint deleteCollection;

    private final ReviewEndpoint reviews;

    private final PatchEndpoint patch;
    private final ScaleEndpoint scale;
    private final BindingEndpoint binding;
    private final PodStreamEndpoint streams;
    private final MetricsEndpoint metrics;
    private static final java.util.Set<String> STREAMS = java.util.Set.of("log", "exec", "attach", "portforward");

    public ResourceEndpoints(BodyReader bodies, ObjectRenderer renderer, Duration minRequestTimeout,
                             io.kubevisor.api.schema.SchemaRegistry schemas, java.time.InstantSource clock,
                             io.kubevisor.apiserver.auth.rbac.Authorizer authorizer,
                             ReviewEndpoint.RulesReviewer rules,
                             io.kubevisor.apiserver.nodeproxy.KubeletClient kubelet,
                             java.util.function.Function<String, java.util.Optional<tools.jackson.databind.node.ObjectNode>>
                                     nodes,
                             java.util.function.Supplier<java.util.List<tools.jackson.databind.node.ObjectNode>>
                                     allNodes,
                             java.util.function.Supplier<io.kubevisor.apiserver.registry.ResourceStore> pods) {
        this.streams = new PodStreamEndpoint(kubelet, nodes);
        this.metrics = new MetricsEndpoint(kubelet, allNodes, nodes);
        this.reviews = new ReviewEndpoint(bodies, renderer, authorizer, rules);
        this.patch = new PatchEndpoint(bodies, renderer, schemas, clock);
        this.scale = new ScaleEndpoint(bodies, renderer, schemas);
        this.binding = new BindingEndpoint(bodies, clock, pods);
        this.get = new GetEndpoint(renderer);
        this.list = new ListEndpoint(renderer);
        this.watch = new WatchEndpoint(renderer, minRequestTimeout);
        this.create = new CreateEndpoint(bodies, renderer);
        this.update = new UpdateEndpoint(bodies, renderer);
        this.delete = new DeleteEndpoint(bodies, renderer);
        this.deleteCollection = new DeleteCollectionEndpoint(bodies, renderer);
    }

    public void serve(ResourceContext ctx) throws InterruptedException {
        if (ctx.type().kind().equals("Binding")) {
            binding.serveCollection(ctx);
            return;
        }
        switch (ctx.type().serving()) {
            case REVIEW -> {
                reviews.serve(ctx);
                return;
            }
            case METRICS -> {
                metrics.serve(ctx);
                return;
            }
            case STORED -> {
            }
        }
        if (ctx.subresource().equals("scale")) {
            scale.serve(ctx);
            return;
        }
        if (ctx.subresource().equals("binding")) {
            binding.serve(ctx);
            return;
        }
        if (STREAMS.contains(ctx.subresource())) {
            streams.serve(ctx);
            return;
        }
        switch (ctx.info().verb()) {
            case "get" -> get.serve(ctx);
            case "list" -> list.serve(ctx);
            case "watch" -> watch.serve(ctx);
            case "create" -> create.serve(ctx);
            case "update" -> update.serve(ctx);
            case "patch" -> patch.serve(ctx);
            case "delete" -> delete.serve(ctx);
            case "deletecollection" -> deleteCollection.serve(ctx);
            default -> throw new ApiException.MethodNotAllowed(
                    "the server does not allow this method on the requested resource");
        }
    }
}
