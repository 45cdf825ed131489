package io.kubevisor.apiserver.auth.node;

import java.util.Optional;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.kubevisor.apiserver.auth.rbac.Attributes;
import io.kubevisor.apiserver.auth.rbac.Authorizer;
import io.kubevisor.apiserver.auth.rbac.Decision;

/**
 * Kubernetes' Node authorizer, for requests by a node ({@link NodeIdentity}); every other user
 * gets no opinion. It decides, finally, every request of a node on the resources that belong to
 * nodes, so no RBAC grant to {@code system:nodes} can widen them:
 * <ul>
 * <li>nodes and nodes/status: reads of any Node; create, update, patch and delete (status: update,
 *     patch) of a Node, limited to the node's own by {@link NodeRestriction} (the name of a create
 *     is only known there);</li>
 * <li>pods: get, list, watch; create (mirror pods) and delete, and update/patch of pods/status,
 *     limited to pods bound to the node by {@link NodeRestriction};</li>
 * <li>leases: get, create, update, patch, delete in {@value #LEASE_NAMESPACE}, of the lease
 *     named after the node (a create's name is checked by {@link NodeRestriction});</li>
 * <li>secrets and configmaps (get, list, watch of a named object), persistentvolumeclaims and
 *     serviceaccounts (get): only objects a pod bound to the node refers to ({@link NodeGraph}).</li>
 * </ul>
 * Anything else on those resources is denied; other resources (events, reviews, ...) and
 * non-resource URLs get no opinion and are RBAC's. A user named {@code system:node:} with no node
 * name is denied everything. Where Kubernetes answers "no opinion" and relies on the
 * {@code system:node} role having no subjects, this answers "deny": the same result on a
 * default cluster, and it stays true if a binding to {@code system:nodes} exists. Thread-safe.
 */
public final class NodeAuthorizer implements Authorizer {

    /** Where node leases live. */
    public static final String LEASE_NAMESPACE = "kube-node-lease";
    private static final Logger LOG = LoggerFactory.getLogger(NodeAuthorizer.class);
    private static final Set<String> READ = Set.of("get", "list", "watch");
    private static final Set<String> WRITE = Set.of("create", "update", "patch", "delete");
    private static final Set<String> UPDATE = Set.of("update", "patch");
    private static final Set<String> LEASE_VERBS = Set.of("get", "create", "update", "patch", "delete");
    private static final Decision ALLOW = Decision.allow("");

    private final NodeGraph graph;

    public NodeAuthorizer(NodeGraph graph) {
        this.graph = graph;
    }

    @Override
    public Decision authorize(Attributes a) {
        Optional<NodeIdentity> id = NodeIdentity.of(a.user());
        if (id.isEmpty()) {
            return Decision.noOpinion("");
        }
        if (id.get().unknown()) {
            return deny(a, "unknown node for user \"" + a.user().name() + "\"");
        }
        if (!a.resourceRequest()) {
            return Decision.noOpinion("");
        }
        String node = id.get().nodeName();
        if (a.apiGroup().equals("coordination.k8s.io") && a.resource().equals("leases")) {
            return lease(node, a);
        }
        if (!a.apiGroup().isEmpty()) {
            return Decision.noOpinion("");
        }
        return switch (a.resource()) {
            case "nodes" -> nodes(a);
            case "pods" -> pods(a);
            case "secrets" -> readReferenced(node, ObjectRef.Kind.SECRET, a);
            case "configmaps" -> readReferenced(node, ObjectRef.Kind.CONFIGMAP, a);
            case "persistentvolumeclaims" -> getReferenced(node, ObjectRef.Kind.PERSISTENTVOLUMECLAIM, a);
            case "serviceaccounts" -> getReferenced(node, ObjectRef.Kind.SERVICEACCOUNT, a);
            default -> Decision.noOpinion("");
        };
    }

    private static Decision nodes(Attributes a) {
        boolean ok = switch (a.subresource()) {
            case "" -> READ.contains(a.verb()) || WRITE.contains(a.verb());
            case "status" -> a.verb().equals("get") || UPDATE.contains(a.verb());
            default -> false;
        };
        return ok ? ALLOW : deny(a, "");
    }

    private static Decision pods(Attributes a) {
        boolean ok = switch (a.subresource()) {
            case "" -> READ.contains(a.verb()) || a.verb().equals("create") || a.verb().equals("delete");
            case "status" -> a.verb().equals("get") || UPDATE.contains(a.verb());
            default -> false;
        };
        return ok ? ALLOW : deny(a, "");
    }

    private static Decision lease(String node, Attributes a) {
        if (!LEASE_VERBS.contains(a.verb())) {
            return deny(a, "can only get, create, update, patch, or delete a node lease");
        }
        if (!a.namespace().equals(LEASE_NAMESPACE)) {
            return deny(a, "can only access leases in the \"" + LEASE_NAMESPACE + "\" system namespace");
        }
        if (!a.verb().equals("create") && !a.name().equals(node)) {
            return deny(a, "can only access node lease with the same name as the requesting node");
        }
        return ALLOW;
    }

    /** Secrets and config maps: a read of one named object a pod of the node refers to. */
    private Decision readReferenced(String node, ObjectRef.Kind kind, Attributes a) {
        if (!READ.contains(a.verb())) {
            return deny(a, "can only read resources of this type");
        }
        if (!a.subresource().isEmpty()) {
            return deny(a, "cannot read subresource");
        }
        if (a.namespace().isEmpty()) {
            return deny(a, "can only read namespaced object of this type");
        }
        return related(node, kind, a);
    }

    /** Claims and service accounts: a get of an object a pod of the node refers to. */
    private Decision getReferenced(String node, ObjectRef.Kind kind, Attributes a) {
        if (!a.verb().equals("get")) {
            return deny(a, "can only get individual resources of this type");
        }
        if (!a.subresource().isEmpty()) {
            return deny(a, "cannot get subresource");
        }
        return related(node, kind, a);
    }

    private Decision related(String node, ObjectRef.Kind kind, Attributes a) {
        if (a.name().isEmpty()) {
            return deny(a, "No Object name found");
        }
        if (graph.related(node, new ObjectRef(kind, a.namespace(), a.name()))) {
            return ALLOW;
        }
        return deny(a, "no relationship found between node '" + node + "' and this object");
    }

    private static Decision deny(Attributes a, String reason) {
        if (LOG.isDebugEnabled()) {
            LOG.debug("event=node_denied user={} verb={} namespace={} group={} resource={} subresource={} name={} "
                    + "reason=\"{}\"", a.user().name(), a.verb(), a.namespace(), a.apiGroup(), a.resource(),
                    a.subresource(), a.name(), reason);
        }
        return Decision.deny(reason);
    }
}
