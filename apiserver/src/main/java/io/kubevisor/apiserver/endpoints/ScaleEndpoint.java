package io.kubevisor.apiserver.endpoints;

import io.kubevisor.api.ApiException;
import io.kubevisor.api.GroupVersionKind;
import io.kubevisor.api.Json;
import io.kubevisor.api.schema.SchemaRegistry;
import io.kubevisor.apiserver.endpoints.BodyReader.FieldValidation;
import io.kubevisor.apiserver.patch.JsonPatch;
import io.kubevisor.apiserver.patch.MergePatch;
import io.kubevisor.apiserver.patch.PatchType;
import io.kubevisor.apiserver.patch.StrategicMergePatch;
import io.kubevisor.apiserver.registry.ResourceStore;
import io.kubevisor.apiserver.selection.Selectors;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The {@code scale} subresource of deployments, replicasets and statefulsets: an
 * {@code autoscaling/v1 Scale} view of {@code spec.replicas}, readable, replaceable and patchable
 * ({@code kubectl scale}).
 */
final class ScaleEndpoint {

    static final GroupVersionKind SCALE = new GroupVersionKind("autoscaling", "v1", "Scale");

    private final BodyReader bodies;
    private final ObjectRenderer renderer;
    private final SchemaRegistry schemas;

    ScaleEndpoint(BodyReader bodies, ObjectRenderer renderer, SchemaRegistry schemas) {
        this.bodies = bodies;
        this.renderer = renderer;
        this.schemas = schemas;
    }

    void serve(ResourceContext ctx) {
        switch (ctx.info().verb()) {
            case "get" -> send(ctx, ctx.resources().get(ctx.namespace(), ctx.name()));
            case "update" -> {
                ObjectNode scale = bodies.read(ctx.exchange().body(), ctx.contentType(), SCALE,
                        FieldValidation.parse(ctx.query().get("fieldValidation", "")), ctx.warnings());
                String rv = scale.path("metadata").path("resourceVersion").asString("");
                write(ctx, rv.isEmpty() ? null : rv, current -> scale);
            }
            case "patch" -> {
                PatchType type = PatchType.fromContentType(ctx.contentType())
                        .filter(t -> t != PatchType.APPLY)
                        .orElseThrow(() -> ApiException.UnsupportedMediaType.forPatch(ctx.contentType()));
                JsonNode patch = type.decode(ctx.exchange().body());
                write(ctx, null, current -> {
                    JsonNode patched = switch (type) {
                        case JSON -> JsonPatch.apply(current, patch);
                        case MERGE -> MergePatch.apply(current, patch);
                        case STRATEGIC -> StrategicMergePatch.apply(current, patch, schemas.forKind(SCALE).orElse(null));
                        case APPLY -> throw new IllegalStateException("unreachable");
                    };
                    if (!(patched instanceof ObjectNode o)) {
                        throw ApiException.Invalid.unprocessable("the patched Scale is not a JSON object");
                    }
                    return o;
                });
            }
            default -> throw new ApiException.MethodNotAllowed(
                    "the server does not allow this method on the requested resource");
        }
    }

    private interface ScaleChange {
        ObjectNode apply(ObjectNode currentScale);
    }

    private void write(ResourceContext ctx, String expectedVersion, ScaleChange change) {
        ResourceStore.UpdateResult r = ctx.resources().guaranteedUpdate(ctx.namespace(), ctx.name(), "scale",
                ctx.writeOptions(), expectedVersion, false, parent -> {
                    ObjectNode wanted = change.apply(toScale(parent));
                    JsonNode replicas = wanted.path("spec").path("replicas");
                    if (!replicas.isMissingNode() && !replicas.isNull() && (!replicas.canConvertToInt()
                            || replicas.asInt() < 0)) {
                        throw new ApiException.Invalid("autoscaling", "Scale", ctx.name(), java.util.List.of(
                                io.kubevisor.api.FieldError.invalid("spec.replicas", replicas.toString(),
                                        "must be greater than or equal to 0")));
                    }
                    ObjectNode next = parent.deepCopy();
                    ObjectNode spec = next.get("spec") instanceof ObjectNode s ? s : next.putObject("spec");
                    spec.put("replicas", replicas.isMissingNode() || replicas.isNull() ? 0 : replicas.asInt());
                    String rv = wanted.path("metadata").path("resourceVersion").asString("");
                    if (!rv.isEmpty()) {
                        ((ObjectNode) next.get("metadata")).put("resourceVersion", rv);
                    }
                    return next;
                });
        send(ctx, r.object());
    }

    private void send(ResourceContext ctx, ObjectNode parent) {
        Responses.send(ctx.exchange(), 200, toScale(parent), ctx.rendering(), ctx.warnings());
    }

    static ObjectNode toScale(ObjectNode parent) {
        ObjectNode s = Json.object();
        s.put("kind", "Scale");
        s.put("apiVersion", "autoscaling/v1");
        ObjectNode m = s.putObject("metadata");
        JsonNode pm = parent.path("metadata");
        for (String f : new String[] {"name", "namespace", "uid", "resourceVersion", "creationTimestamp"}) {
            if (pm.has(f)) {
                m.set(f, pm.get(f).deepCopy());
            }
        }
        s.putObject("spec").put("replicas", parent.path("spec").path("replicas").asInt(0));
        ObjectNode status = s.putObject("status");
        status.put("replicas", parent.path("status").path("replicas").asInt(0));
        String selector = Selectors.format(parent.path("spec").path("selector"));
        if (!selector.isEmpty()) {
            status.put("selector", selector);
        }
        return s;
    }
}
