package io.kubevisor.apiserver.endpoints;

import java.time.InstantSource;
import java.util.List;

import io.kubevisor.api.ApiException;
import io.kubevisor.api.FieldError;
import io.kubevisor.api.GroupVersionKind;
import io.kubevisor.api.Json;
import io.kubevisor.apiserver.endpoints.BodyReader.FieldValidation;
import io.kubevisor.apiserver.meta.Timestamps;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code POST pods/<name>/binding}: the scheduler assigns a pod to a node. Sets
 * {@code spec.nodeName} once and records {@code PodScheduled=True}, as Kubernetes' binding REST
 * does; a bound or deleting pod is a 409.
 */
final class BindingEndpoint {

    static final GroupVersionKind BINDING = new GroupVersionKind("", "v1", "Binding");

    private final BodyReader bodies;
    private final InstantSource clock;

    BindingEndpoint(BodyReader bodies, InstantSource clock) {
        this.bodies = bodies;
        this.clock = clock;
    }

    void serve(ResourceContext ctx) {
        if (!ctx.info().verb().equals("create")) {
            throw new ApiException.MethodNotAllowed("the server does not allow this method on the requested resource");
        }
        ObjectNode binding = bodies.read(ctx.exchange().body(), ctx.contentType(), BINDING,
                FieldValidation.parse(ctx.query().get("fieldValidation", "")), ctx.warnings());
        String bindingName = binding.path("metadata").path("name").asString("");
        if (!bindingName.isEmpty() && !bindingName.equals(ctx.name())) {
            throw new ApiException.BadRequest("the name of the object (" + bindingName
                    + ") does not match the name on the URL (" + ctx.name() + ")");
        }
        JsonNode target = binding.path("target");
        String node = target.path("name").asString("");
        String kind = target.path("kind").asString("");
        if (node.isEmpty()) {
            throw new ApiException.Invalid("", "Binding", ctx.name(), List.of(FieldError.required("target.name", "")));
        }
        if (!kind.isEmpty() && !kind.equals("Node")) {
            throw new ApiException.Invalid("", "Binding", ctx.name(),
                    List.of(FieldError.notSupported("target.kind", kind, List.of("Node"))));
        }
        ctx.resources().guaranteedUpdate(ctx.namespace(), ctx.name(), "binding", ctx.writeOptions(), null, false,
                pod -> {
                    ObjectNode meta = (ObjectNode) pod.path("metadata");
                    if (meta.hasNonNull("deletionTimestamp")) {
                        throw new ApiException.Conflict("", "pods", ctx.name(), "pod " + ctx.name()
                                + " is being deleted, cannot be assigned to a host");
                    }
                    ObjectNode spec = pod.get("spec") instanceof ObjectNode s ? s : pod.putObject("spec");
                    String current = spec.path("nodeName").asString("");
                    if (!current.isEmpty()) {
                        throw new ApiException.Conflict("", "pods", ctx.name(), "pod " + ctx.name()
                                + " is already assigned to node \"" + current + "\"");
                    }
                    spec.put("nodeName", node);
                    scheduled(pod);
                    return pod;
                });
        ObjectNode status = Json.object();
        status.put("kind", "Status");
        status.put("apiVersion", "v1");
        status.putObject("metadata");
        status.put("status", "Success");
        status.put("code", 201);
        Responses.send(ctx.exchange(), 201, status, ctx.rendering(), ctx.warnings());
    }

    private void scheduled(ObjectNode pod) {
        ObjectNode status = pod.get("status") instanceof ObjectNode s ? s : pod.putObject("status");
        ArrayNode conditions = status.get("conditions") instanceof ArrayNode a ? a : status.putArray("conditions");
        for (int i = conditions.size() - 1; i >= 0; i--) {
            if ("PodScheduled".equals(conditions.get(i).path("type").asString(""))) {
                conditions.remove(i);
            }
        }
        ObjectNode c = conditions.addObject();
        c.put("type", "PodScheduled");
        c.put("status", "True");
        c.putNull("lastProbeTime");
        c.put("lastTransitionTime", Timestamps.format(clock.instant()));
    }
}
