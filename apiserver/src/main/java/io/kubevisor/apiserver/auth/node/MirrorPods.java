package io.kubevisor.apiserver.auth.node;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

import io.kubevisor.api.ApiException;
import io.kubevisor.apiserver.kinds.support.Nodes;
import io.kubevisor.apiserver.registry.AdmissionRequest;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The only pods a node may create: mirror pods of its static pods, as Kubernetes' NodeRestriction
 * allows them. A mirror pod carries the {@value #ANNOTATION} annotation, is bound to the node,
 * has exactly one owner reference, the node's own Node as controller (with its current uid,
 * without blockOwnerDeletion), and refers to no service account, secret, config map, cluster
 * trust bundle or claim: the node could otherwise read any of those through a pod it made.
 * Stateless apart from the Node lookup.
 */
final class MirrorPods {

    /** Marks a pod as the API mirror of a static pod. */
    static final String ANNOTATION = "kubernetes.io/config.mirror";

    private final Function<String, Optional<ObjectNode>> nodes;

    MirrorPods(Function<String, Optional<ObjectNode>> nodes) {
        this.nodes = nodes;
    }

    void admit(String node, AdmissionRequest r) {
        JsonNode pod = r.object();
        if (!pod.path("metadata").path("annotations").has(ANNOTATION)) {
            throw r.forbidden("pod does not have \"" + ANNOTATION + "\" annotation, node \"" + node
                    + "\" can only create mirror pods");
        }
        if (!node.equals(NodeRestriction.nodeName(pod))) {
            throw r.forbidden("node \"" + node + "\" can only create pods with spec.nodeName set to itself");
        }
        owner(node, r, Nodes.objects(pod.path("metadata"), "ownerReferences"));
        Set<ObjectRef> refs = PodReferences.of(pod);
        for (ObjectRef.Kind kind : List.of(ObjectRef.Kind.SERVICEACCOUNT, ObjectRef.Kind.SECRET,
                ObjectRef.Kind.CONFIGMAP)) {
            if (refs.stream().anyMatch(ref -> ref.kind() == kind)) {
                throw r.forbidden("node \"" + node + "\" can not create pods that reference "
                        + (kind == ObjectRef.Kind.SERVICEACCOUNT ? "a service account" : kind.plural()));
            }
        }
        for (ObjectNode v : Nodes.objects(pod.path("spec"), "volumes")) {
            for (ObjectNode source : Nodes.objects(v.path("projected"), "sources")) {
                if (Nodes.has(source, "clusterTrustBundle")) {
                    throw r.forbidden("node \"" + node + "\" can not create pods that reference clustertrustbundles");
                }
            }
        }
        if (refs.stream().anyMatch(ref -> ref.kind() == ObjectRef.Kind.PERSISTENTVOLUMECLAIM)) {
            throw r.forbidden("node \"" + node + "\" can not create pods that reference persistentvolumeclaims");
        }
    }

    private void owner(String node, AdmissionRequest r, List<ObjectNode> owners) {
        if (owners.size() > 1) {
            throw r.forbidden("node \"" + node + "\" can only create pods with a single owner reference set to itself");
        }
        if (owners.isEmpty()) {
            throw r.forbidden("node \"" + node + "\" can only create pods with an owner reference set to itself");
        }
        ObjectNode owner = owners.getFirst();
        if (!Nodes.text(owner, "apiVersion").equals("v1") || !Nodes.text(owner, "kind").equals("Node")
                || !Nodes.text(owner, "name").equals(node)) {
            throw r.forbidden("node \"" + node + "\" can only create pods with an owner reference set to itself");
        }
        if (!Nodes.isTrue(owner, "controller")) {
            throw r.forbidden("node \"" + node
                    + "\" can only create pods with a controller owner reference set to itself");
        }
        if (Nodes.isTrue(owner, "blockOwnerDeletion")) {
            throw r.forbidden("node \"" + node + "\" must not set blockOwnerDeletion on an owner reference");
        }
        String uid = nodes.apply(node).map(n -> Nodes.text(n.path("metadata"), "uid"))
                .orElseThrow(() -> new ApiException.NotFound("", "nodes", node));
        if (!Nodes.text(owner, "uid").equals(uid)) {
            throw r.forbidden("node " + node + " UID mismatch: expected " + Nodes.text(owner, "uid") + " got " + uid);
        }
    }
}
