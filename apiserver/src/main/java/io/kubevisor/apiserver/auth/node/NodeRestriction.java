package io.kubevisor.apiserver.auth.node;

import java.util.Optional;
import java.util.SortedSet;
import java.util.function.Function;

import io.kubevisor.apiserver.kinds.support.Nodes;
import io.kubevisor.apiserver.registry.Admission;
import io.kubevisor.apiserver.registry.AdmissionRequest;
import io.kubevisor.apiserver.registry.AdmissionRequest.Operation;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Kubernetes' NodeRestriction admission: the object-level half of what a node may write, which
 * the {@link NodeAuthorizer} cannot see from the URL. For a node ({@link NodeIdentity}):
 * <ul>
 * <li>Nodes (and their status): only its own; on create no restricted labels
 *     ({@link NodeLabels}); on update no change of restricted labels or of taints;</li>
 * <li>pods: delete and status updates only of pods bound to it, without label changes through
 *     status; create only of mirror pods ({@link MirrorPods}); no other write;</li>
 * <li>leases: only in {@value NodeAuthorizer#LEASE_NAMESPACE} and named after it (checked here on
 *     create, where the authorizer has no name).</li>
 * </ul>
 * Refusals are 403s worded as Kubernetes words them. Other users are not restricted. Thread-safe.
 */
public final class NodeRestriction implements Admission {

    private final Function<String, Optional<ObjectNode>> nodes;

    /** @param nodes looks a Node up by name (mirror pods must name their node's uid) */
    public NodeRestriction(Function<String, Optional<ObjectNode>> nodes) {
        this.nodes = nodes;
    }

    @Override
    public void admit(AdmissionRequest r) {
        Optional<NodeIdentity> id = NodeIdentity.of(r.user());
        if (id.isEmpty()) {
            return;
        }
        if (id.get().unknown()) {
            throw r.forbidden("could not determine node from user \"" + r.user().name() + "\"");
        }
        String node = id.get().nodeName();
        String group = r.type().group();
        String resource = r.type().plural();
        if (group.isEmpty() && resource.equals("pods")) {
            pod(node, r);
        } else if (group.isEmpty() && resource.equals("nodes")) {
            node(node, r);
        } else if (group.equals("coordination.k8s.io") && resource.equals("leases")) {
            lease(node, r);
        }
    }

    private void pod(String node, AdmissionRequest r) {
        switch (r.subresource()) {
            case "" -> {
                switch (r.operation()) {
                    case CREATE -> new MirrorPods(nodes).admit(node, r);
                    case DELETE -> {
                        if (!node.equals(nodeName(r.oldObject()))) {
                            throw r.forbidden("node \"" + node + "\" can only delete pods with spec.nodeName set to itself");
                        }
                    }
                    case UPDATE -> throw r.forbidden("unexpected operation \"UPDATE\", node \"" + node
                            + "\" can only create and delete mirror pods");
                }
            }
            case "status" -> {
                if (r.operation() != Operation.UPDATE) {
                    throw r.forbidden("unexpected operation \"" + r.operation() + "\"");
                }
                if (!node.equals(nodeName(r.oldObject()))) {
                    throw r.forbidden("node \"" + node
                            + "\" can only update pod status for pods with spec.nodeName set to itself");
                }
                if (!Nodes.semanticEquals(labels(r.object()), labels(r.oldObject()))) {
                    throw r.forbidden("node \"" + node + "\" cannot update labels through pod status");
                }
            }
            default -> throw r.forbidden("unexpected pod subresource \"" + r.subresource()
                    + "\", only 'status' and 'eviction' are allowed");
        }
    }

    private static void node(String node, AdmissionRequest r) {
        if (!r.name().equals(node)) {
            throw r.forbidden("node \"" + node + "\" is not allowed to modify node \"" + r.name() + "\"");
        }
        switch (r.operation()) {
            case CREATE -> {
                SortedSet<String> forbidden = NodeLabels.forbiddenChanges(Nodes.stringMap(labels(r.object())), null);
                if (!forbidden.isEmpty()) {
                    throw r.forbidden("node \"" + node + "\" is not allowed to set the following labels: "
                            + String.join(", ", forbidden));
                }
            }
            case UPDATE -> {
                if (!Nodes.semanticEquals(r.object().path("spec").path("taints"),
                        r.oldObject().path("spec").path("taints"))) {
                    throw r.forbidden("node \"" + node + "\" is not allowed to modify taints");
                }
                SortedSet<String> forbidden = NodeLabels.forbiddenChanges(Nodes.stringMap(labels(r.object())),
                        Nodes.stringMap(labels(r.oldObject())));
                if (!forbidden.isEmpty()) {
                    // Kubernetes' wording, without the node's name.
                    throw r.forbidden("is not allowed to modify labels: " + String.join(", ", forbidden));
                }
            }
            case DELETE -> {
            }
        }
    }

    private static void lease(String node, AdmissionRequest r) {
        if (!r.namespace().equals(NodeAuthorizer.LEASE_NAMESPACE)) {
            throw r.forbidden("can only access leases in the \"" + NodeAuthorizer.LEASE_NAMESPACE
                    + "\" system namespace");
        }
        if (!r.name().equals(node)) {
            throw r.forbidden("can only access node lease with the same name as the requesting node");
        }
    }

    static String nodeName(JsonNode pod) {
        return Nodes.text(pod.path("spec"), "nodeName");
    }

    private static JsonNode labels(JsonNode obj) {
        return obj.path("metadata").path("labels");
    }
}
