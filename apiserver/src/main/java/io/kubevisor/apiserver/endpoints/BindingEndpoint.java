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
    private final java.util.function.Supplier<io.kubevisor.apiserver.registry.ResourceStore> pods;

    BindingEndpoint(BodyReader bodies, InstantSource clock,
                    java.util.function.Supplier<io.kubevisor.apiserver.registry.ResourceStore> pods) {
        this.bodies = bodies;
        this.clock = clock;
        this.pods = pods;
    }

    /** {@code POST pods/<name>/binding}. */
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
        bind(ctx, ctx.name(), binding);
    }

    /** {@code POST bindings} in a namespace: the pod is the one the Binding names. */
    void serveCollection(ResourceContext ctx) {
        if (!ctx.info().verb().equals("create") || !ctx.name().isEmpty()) {
            throw new ApiException.MethodNotAllowed("the server does not allow this method on the requested resource");
        }
        ObjectNode binding = bodies.read(ctx.exchange().body(), ctx.contentType(), BINDING,
                FieldValidation.parse(ctx.query().get("fieldValidation", "")), ctx.warnings());
        String name = binding.path("metadata").path("name").asString("");
        if (name.isEmpty()) {
            throw new ApiException.Invalid("", "Binding", "", List.of(FieldError.required("metadata.name", "")));
        }
        bind(ctx, name, binding);
    }

    private void bind(ResourceContext ctx, String podName, ObjectNode binding) {
        io.kubevisor.apiserver.registry.ResourceStore pods = this.pods.get();
        JsonNode target = binding.path("target");
        String node = target.path("name").asString("");
        String kind = target.path("kind").asString("");
        if (node.isEmpty()) {
            throw new ApiException.Invalid("", "Binding", podName, List.of(FieldError.required("target.name", "")));
        }
        if (!kind.isEmpty() && !kind.equals("Node")) {
            throw new ApiException.Invalid("", "Binding", podName,
                    List.of(FieldError.notSupported("target.kind", kind, List.of("Node"))));
        }
        JsonNode bm = binding.path("metadata");
        String uid = bm.path("uid").asString("");
        String rv = bm.path("resourceVersion").asString("");
        pods.guaranteedUpdate(ctx.namespace(), podName, "binding", ctx.writeOptions(), rv.isEmpty() ? null : rv,
                false, pod -> {
                    ObjectNode meta = (ObjectNode) pod.path("metadata");
                    String podUid = meta.path("uid").asString("");
                    if (!uid.isEmpty() && !uid.equals(podUid)) {
                        throw new ApiException.Conflict("", "pods", podName, "Precondition failed: UID in "
                                + "precondition: " + uid + ", UID in object meta: " + podUid);
                    }
                    if (meta.hasNonNull("deletionTimestamp")) {
                        throw new ApiException.Conflict("", "pods", podName, "pod " + podName
                                + " is being deleted, cannot be assigned to a host");
                    }
                    ObjectNode spec = pod.get("spec") instanceof ObjectNode s ? s : pod.putObject("spec");
                    String current = spec.path("nodeName").asString("");
                    if (!current.isEmpty()) {
                        throw new ApiException.Conflict("", "pods", podName, "pod " + podName
                                + " is already assigned to node \"" + current + "\"");
                    }
                    spec.put("nodeName", node);
                    // The binding's annotations land on the pod, as in Kubernetes.
                    if (bm.path("annotations").isObject() && !bm.path("annotations").isEmpty()) {
                        ObjectNode annotations = meta.get("annotations") instanceof ObjectNode a ? a
                                : meta.putObject("annotations");
                        bm.path("annotations").properties().forEach(e -> annotations.set(e.getKey(),
                                e.getValue().deepCopy()));
                    }
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
