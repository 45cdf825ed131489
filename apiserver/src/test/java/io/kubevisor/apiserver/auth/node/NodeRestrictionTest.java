package io.kubevisor.apiserver.auth.node;

import static io.kubevisor.apiserver.auth.node.NodeObjects.node;
import static io.kubevisor.apiserver.auth.node.NodeObjects.pod;
import static io.kubevisor.apiserver.auth.node.NodeObjects.podUsing;
import static io.kubevisor.apiserver.auth.node.NodeObjects.user;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import io.kubevisor.api.ApiException;
import io.kubevisor.api.Json;
import io.kubevisor.api.resource.BuiltinResources;
import io.kubevisor.api.resource.ResourceType;
import io.kubevisor.apiserver.auth.authn.UserInfo;
import io.kubevisor.apiserver.registry.AdmissionRequest;
import tools.jackson.databind.node.ObjectNode;

class NodeRestrictionTest {

    static final UserInfo N1 = node("n1");
    static final ResourceType PODS = type("", "v1", "pods");
    static final ResourceType NODES = type("", "v1", "nodes");
    static final ResourceType LEASES = type("coordination.k8s.io", "v1", "leases");

    final NodeRestriction admission = new NodeRestriction(name -> Optional.ofNullable(
            Map.of("n1", nodeObject("n1", "node-uid-1", Map.of())).get(name)));

    static ResourceType type(String group, String version, String plural) {
        return BuiltinResources.catalog().find(group, version, plural).orElseThrow();
    }

    static ObjectNode nodeObject(String name, String uid, Map<String, String> labels) {
        ObjectNode n = Json.object();
        n.put("apiVersion", "v1").put("kind", "Node");
        ObjectNode m = n.putObject("metadata").put("name", name).put("uid", uid);
        ObjectNode l = m.putObject("labels");
        labels.forEach(l::put);
        return n;
    }

    static ObjectNode lease(String name) {
        ObjectNode l = Json.object();
        l.put("apiVersion", "coordination.k8s.io/v1").put("kind", "Lease");
        l.putObject("metadata").put("name", name).put("namespace", "kube-node-lease");
        return l;
    }

    void refused(AdmissionRequest r, String message) {
        assertThatThrownBy(() -> admission.admit(r)).isInstanceOf(ApiException.Forbidden.class).hasMessage(message)
                .satisfies(e -> assertThat(((ApiException) e).code()).isEqualTo(403));
    }

    void admitted(AdmissionRequest r) {
        assertThatCode(() -> admission.admit(r)).doesNotThrowAnyException();
    }

    @Test
    void aNodeWritesOnlyItsOwnNode() {
        admitted(AdmissionRequest.create(NODES, nodeObject("n1", "", Map.of("kubernetes.io/hostname", "n1")), N1));
        refused(AdmissionRequest.create(NODES, nodeObject("n2", "", Map.of()), N1),
                "nodes \"n2\" is forbidden: node \"n1\" is not allowed to modify node \"n2\"");
        ObjectNode n2 = nodeObject("n2", "u2", Map.of());
        refused(AdmissionRequest.update(NODES, "status", n2, n2, N1),
                "nodes \"n2\" is forbidden: node \"n1\" is not allowed to modify node \"n2\"");
        refused(AdmissionRequest.delete(NODES, n2, N1),
                "nodes \"n2\" is forbidden: node \"n1\" is not allowed to modify node \"n2\"");
        ObjectNode n1 = nodeObject("n1", "u1", Map.of());
        admitted(AdmissionRequest.update(NODES, "status", n1, n1, N1));
        admitted(AdmissionRequest.delete(NODES, n1, N1));
    }

    @Test
    void aNodeMayNotSetRestrictedOrUnknownKubernetesLabelsOnItself() {
        refused(AdmissionRequest.create(NODES, nodeObject("n1", "", Map.of("node-restriction.kubernetes.io/pci", "yes",
                        "example.node-restriction.kubernetes.io/x", "1", "kubernetes.io/hostname", "n1",
                        "team.example.com/ok", "1")), N1),
                "nodes \"n1\" is forbidden: node \"n1\" is not allowed to set the following labels: "
                        + "example.node-restriction.kubernetes.io/x, node-restriction.kubernetes.io/pci");
        refused(AdmissionRequest.create(NODES, nodeObject("n1", "", Map.of("k8s.io/made-up", "1")), N1),
                "nodes \"n1\" is forbidden: node \"n1\" is not allowed to set the following labels: k8s.io/made-up");
        admitted(AdmissionRequest.create(NODES, nodeObject("n1", "", Map.of("kubernetes.io/os", "linux",
                "node.kubernetes.io/instance-type", "m", "x.kubelet.kubernetes.io/y", "z",
                "topology.kubernetes.io/zone", "a")), N1));

        ObjectNode before = nodeObject("n1", "u1", Map.of("node-restriction.kubernetes.io/pci", "yes"));
        refused(AdmissionRequest.update(NODES, "", nodeObject("n1", "u1", Map.of()), before, N1),
                "nodes \"n1\" is forbidden: is not allowed to modify labels: node-restriction.kubernetes.io/pci");
        refused(AdmissionRequest.update(NODES, "", nodeObject("n1", "u1",
                        Map.of("node-restriction.kubernetes.io/pci", "no")), before, N1),
                "nodes \"n1\" is forbidden: is not allowed to modify labels: node-restriction.kubernetes.io/pci");
        admitted(AdmissionRequest.update(NODES, "", nodeObject("n1", "u1",
                Map.of("node-restriction.kubernetes.io/pci", "yes", "mine", "1")), before, N1));
    }

    @Test
    void aNodeMayNotChangeItsTaints() {
        ObjectNode before = nodeObject("n1", "u1", Map.of());
        ObjectNode after = before.deepCopy();
        after.putObject("spec").putArray("taints").addObject().put("key", "k").put("effect", "NoSchedule");
        refused(AdmissionRequest.update(NODES, "", before, after, N1),
                "nodes \"n1\" is forbidden: node \"n1\" is not allowed to modify taints");
        admitted(AdmissionRequest.update(NODES, "", after.deepCopy(), after, N1));
    }

    @Test
    void podStatusOnlyForPodsBoundToTheNodeAndWithoutLabelChanges() {
        ObjectNode mine = podUsing("team", "web", "n1", "s", "c");
        admitted(AdmissionRequest.update(PODS, "status", mine.deepCopy(), mine, N1));
        ObjectNode theirs = podUsing("team", "p", "n2", "s", "c");
        refused(AdmissionRequest.update(PODS, "status", theirs.deepCopy(), theirs, N1),
                "pods \"p\" is forbidden: node \"n1\" can only update pod status for pods with spec.nodeName set to itself");
        ObjectNode relabelled = mine.deepCopy();
        ((ObjectNode) relabelled.get("metadata")).putObject("labels").put("app", "evil");
        refused(AdmissionRequest.update(PODS, "status", relabelled, mine, N1),
                "pods \"web\" is forbidden: node \"n1\" cannot update labels through pod status");
    }

    @Test
    void podDeletesOnlyOfPodsBoundToTheNodeAndNoOtherPodWrites() {
        admitted(AdmissionRequest.delete(PODS, podUsing("team", "web", "n1", "s", "c"), N1));
        refused(AdmissionRequest.delete(PODS, podUsing("team", "p", "n2", "s", "c"), N1),
                "pods \"p\" is forbidden: node \"n1\" can only delete pods with spec.nodeName set to itself");
        ObjectNode mine = podUsing("team", "web", "n1", "s", "c");
        refused(AdmissionRequest.update(PODS, "", mine.deepCopy(), mine, N1),
                "pods \"web\" is forbidden: unexpected operation \"UPDATE\", node \"n1\" can only create and delete "
                        + "mirror pods");
        refused(AdmissionRequest.update(PODS, "binding", mine.deepCopy(), mine, N1),
                "pods \"web\" is forbidden: unexpected pod subresource \"binding\", only 'status' and 'eviction' are "
                        + "allowed");
    }

    @Test
    void aNodeCreatesOnlyMirrorPodsOfItselfThatReferToNothing() {
        ObjectNode mirror = pod("team", "static-web", "n1", "{\"containers\":[{\"name\":\"c\",\"image\":\"i\"}]}");
        ObjectNode meta = (ObjectNode) mirror.get("metadata");
        refused(AdmissionRequest.create(PODS, mirror.deepCopy(), N1), "pods \"static-web\" is forbidden: pod does not "
                + "have \"kubernetes.io/config.mirror\" annotation, node \"n1\" can only create mirror pods");
        meta.putObject("annotations").put("kubernetes.io/config.mirror", "hash");
        refused(AdmissionRequest.create(PODS, mirror.deepCopy(), N1), "pods \"static-web\" is forbidden: node \"n1\" "
                + "can only create pods with an owner reference set to itself");
        ObjectNode owner = meta.putArray("ownerReferences").addObject().put("apiVersion", "v1").put("kind", "Node")
                .put("name", "n1").put("uid", "node-uid-1").put("controller", true);
        admitted(AdmissionRequest.create(PODS, mirror.deepCopy(), N1));

        owner.put("uid", "stale");
        refused(AdmissionRequest.create(PODS, mirror.deepCopy(), N1),
                "pods \"static-web\" is forbidden: node n1 UID mismatch: expected stale got node-uid-1");
        owner.put("uid", "node-uid-1");
        ObjectNode elsewhere = mirror.deepCopy();
        ((ObjectNode) elsewhere.get("spec")).put("nodeName", "n2");
        refused(AdmissionRequest.create(PODS, elsewhere, N1), "pods \"static-web\" is forbidden: node \"n1\" can only "
                + "create pods with spec.nodeName set to itself");
        ObjectNode withSecret = podUsing("team", "static-web", "n1", "s", "c");
        withSecret.set("metadata", meta.deepCopy());
        refused(AdmissionRequest.create(PODS, withSecret, N1),
                "pods \"static-web\" is forbidden: node \"n1\" can not create pods that reference secrets");
    }

    @Test
    void leasesOnlyInKubeNodeLeaseAndNamedAfterTheNode() {
        admitted(AdmissionRequest.create(LEASES, lease("n1"), N1));
        refused(AdmissionRequest.create(LEASES, lease("n2"), N1), "leases.coordination.k8s.io \"n2\" is forbidden: "
                + "can only access node lease with the same name as the requesting node");
        refused(AdmissionRequest.update(LEASES, "", lease("n2"), lease("n2"), N1),
                "leases.coordination.k8s.io \"n2\" is forbidden: can only access node lease with the same name as the "
                        + "requesting node");
        ObjectNode elsewhere = lease("n1");
        ((ObjectNode) elsewhere.get("metadata")).put("namespace", "default");
        refused(AdmissionRequest.create(LEASES, elsewhere, N1), "leases.coordination.k8s.io \"n1\" is forbidden: can "
                + "only access leases in the \"kube-node-lease\" system namespace");
    }

    @Test
    void otherUsersAndOtherResourcesAreNotRestricted() {
        ObjectNode theirs = podUsing("team", "p", "n2", "s", "c");
        for (UserInfo u : java.util.List.of(user("alice"), user("system:node:n1"), user("bob", "system:nodes"),
                UserInfo.apiServer())) {
            admitted(AdmissionRequest.update(PODS, "status", theirs.deepCopy(), theirs, u));
            admitted(AdmissionRequest.create(NODES, nodeObject("n2", "", Map.of("node-restriction.kubernetes.io/x", "1")),
                    u));
        }
        ObjectNode cm = Json.object();
        cm.putObject("metadata").put("name", "c").put("namespace", "team");
        admitted(AdmissionRequest.create(type("", "v1", "configmaps"), cm, N1));
        refused(AdmissionRequest.create(NODES, nodeObject("x", "", Map.of()), node("")),
                "nodes \"x\" is forbidden: could not determine node from user \"system:node:\"");
    }
}
