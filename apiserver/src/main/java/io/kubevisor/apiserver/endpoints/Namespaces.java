package io.kubevisor.apiserver.endpoints;

import io.kubevisor.api.ApiException;
import tools.jackson.databind.node.ObjectNode;

/** Reconciles an object's metadata.namespace with the request's namespace, as Kubernetes does. */
final class Namespaces {

    private Namespaces() {
    }

    static void reconcile(ObjectNode obj, ResourceContext ctx) {
        ObjectNode meta = obj.get("metadata") instanceof ObjectNode m ? m : obj.putObject("metadata");
        String bodyNs = meta.path("namespace").asString("");
        if (!ctx.type().namespaced()) {
            meta.remove("namespace");
            return;
        }
        if (bodyNs.isEmpty()) {
            meta.put("namespace", ctx.namespace());
        } else if (!bodyNs.equals(ctx.namespace())) {
            throw new ApiException.BadRequest(
                    "the namespace of the provided object does not match the namespace sent on the request");
        }
    }
}
