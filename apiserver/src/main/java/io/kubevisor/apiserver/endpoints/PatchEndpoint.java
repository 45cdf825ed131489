package io.kubevisor.apiserver.endpoints;

import java.time.InstantSource;

import io.kubevisor.api.ApiException;
import io.kubevisor.api.GroupVersionKind;
import io.kubevisor.api.schema.FieldSchema;
import io.kubevisor.api.schema.SchemaRegistry;
import io.kubevisor.apiserver.apply.ServerSideApply;
import io.kubevisor.apiserver.endpoints.BodyReader.FieldValidation;
import io.kubevisor.apiserver.patch.JsonPatch;
import io.kubevisor.apiserver.patch.MergePatch;
import io.kubevisor.apiserver.patch.PatchType;
import io.kubevisor.apiserver.patch.StrategicMergePatch;
import io.kubevisor.apiserver.registry.ResourceStore;
import io.kubevisor.apiserver.registry.WriteOptions;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * PATCH of an object or its status: JSON patch, merge patch, strategic merge patch, and
 * server-side apply (which creates a missing object). Retried against concurrent writers unless
 * the patch pins a resourceVersion.
 */
final class PatchEndpoint {

    private final ObjectRenderer renderer;
    private final SchemaRegistry schemas;
    private final BodyReader bodies;
    private final InstantSource clock;

    PatchEndpoint(BodyReader bodies, ObjectRenderer renderer, SchemaRegistry schemas, InstantSource clock) {
        this.bodies = bodies;
        this.renderer = renderer;
        this.schemas = schemas;
        this.clock = clock;
    }

    void serve(ResourceContext ctx) {
        String sub = ctx.subresource();
        if (!sub.isEmpty() && !sub.equals("status")) {
            throw ApiException.NotFound.path();
        }
        PatchType type = PatchType.fromContentType(ctx.contentType())
                .orElseThrow(() -> ApiException.UnsupportedMediaType.forPatch(ctx.contentType()));
        JsonNode patch = type.decode(ctx.exchange().body());
        FieldValidation validation = FieldValidation.parse(ctx.query().get("fieldValidation", ""));
        GroupVersionKind gvk = ctx.type().gvk();
        FieldSchema schema = schemas.forKind(gvk).orElse(null);
        WriteOptions options = ctx.writeOptions();
        ResourceStore.UpdateResult r;
        if (type == PatchType.APPLY) {
            r = apply(ctx, patch, schema, options, validation);
        } else {
            if (ctx.query().has("force")) {
                throw new ApiException.BadRequest("force: Invalid value: true: may not be specified for non-apply patch");
            }
            r = ctx.resources().guaranteedUpdate(ctx.namespace(), ctx.name(), sub, options, null, false, current -> {
                JsonNode patched = switch (type) {
                    case JSON -> JsonPatch.apply(current, patch);
                    case MERGE -> MergePatch.apply(current, patch);
                    case STRATEGIC -> StrategicMergePatch.apply(current, patch, schema);
                    case APPLY -> throw new IllegalStateException("unreachable");
                };
                if (!(patched instanceof ObjectNode obj)) {
                    throw ApiException.Invalid.unprocessable("the patched object is not a JSON object");
                }
                checkFields(obj, gvk, validation, ctx);
                return obj;
            });
        }
        renderer.one(ctx, r.created() ? 201 : 200, r.object());
    }

    private ResourceStore.UpdateResult apply(ResourceContext ctx, JsonNode patch, FieldSchema schema,
                                             WriteOptions options, FieldValidation validation) {
        if (!(patch instanceof ObjectNode applied)) {
            throw new ApiException.BadRequest("error decoding YAML: the applied configuration is not an object");
        }
        if (ctx.query().get("fieldManager", "").isEmpty()) {
            throw new ApiException.BadRequest("PATCH, application/apply-patch+yaml requests must specify a "
                    + "fieldManager");
        }
        String name = applied.path("metadata").path("name").asString("");
        if (!name.isEmpty() && !name.equals(ctx.name())) {
            throw new ApiException.BadRequest("the name of the object (" + name
                    + ") does not match the name on the URL (" + ctx.name() + ")");
        }
        checkFields(applied, ctx.type().gvk(), validation, ctx);
        boolean force = ctx.query().flag("force");
        String sub = ctx.subresource();
        return ctx.resources().guaranteedUpdate(ctx.namespace(), ctx.name(), sub, options.asApply(), null,
                sub.isEmpty(), current -> {
                    ObjectNode config = applied.deepCopy();
                    ObjectNode meta = config.get("metadata") instanceof ObjectNode m ? m : config.putObject("metadata");
                    meta.put("name", ctx.name());
                    if (ctx.type().namespaced() && meta.path("namespace").asString("").isEmpty()) {
                        meta.put("namespace", ctx.namespace());
                    }
                    return ServerSideApply.apply(current, config, options.fieldManager(), sub, force, schema,
                            clock.instant());
                });
    }

    private void checkFields(ObjectNode obj, GroupVersionKind gvk, FieldValidation validation, ResourceContext ctx) {
        bodies.checkUnknownFields(gvk, obj, validation, ctx.warnings());
    }
}
