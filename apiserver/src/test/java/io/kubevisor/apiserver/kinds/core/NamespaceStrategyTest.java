package io.kubevisor.apiserver.kinds.core;

import static io.kubevisor.apiserver.kinds.Fixtures.created;
import static io.kubevisor.apiserver.kinds.Fixtures.createErrors;
import static io.kubevisor.apiserver.kinds.Fixtures.json;
import static io.kubevisor.apiserver.kinds.Fixtures.rendered;
import static io.kubevisor.apiserver.kinds.Fixtures.updated;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import tools.jackson.databind.node.ObjectNode;

class NamespaceStrategyTest {

    private final NamespaceStrategy namespaces = new NamespaceStrategy();

    @Test
    void kubectlCreateNamespace() {
        // kubectl create namespace team-a (protobuf: spec and status arrive empty).
        assertThat(created(namespaces, json("""
                {"kind":"Namespace","apiVersion":"v1","metadata":{"name":"team-a"},"spec":{},"status":{}}""")))
                .isEqualTo(json("""
                        {"kind":"Namespace","apiVersion":"v1",
                         "metadata":{"name":"team-a","labels":{"kubernetes.io/metadata.name":"team-a"},
                           "uid":"0a1b2c3d-0000-4000-8000-00000000000a","creationTimestamp":"2025-01-02T03:04:05Z"},
                         "spec":{"finalizers":["kubernetes"]},"status":{"phase":"Active"}}"""));
    }

    @Test
    void ownFinalizersAreKeptAndKubernetesAdded() {
        ObjectNode ns = created(namespaces, json("""
                {"metadata":{"name":"x"},"spec":{"finalizers":["example.com/cleanup"]}}"""));
        assertThat(ns.path("spec").path("finalizers").toString()).isEqualTo("[\"example.com/cleanup\",\"kubernetes\"]");
    }

    @Test
    void namesAreLabelsAndFinalizersQualified() {
        assertThat(rendered(createErrors(namespaces, json("""
                {"metadata":{"name":"a.b"},"spec":{"finalizers":["cleanup"]}}"""), false))).containsExactly(
                "metadata.name: Invalid value: \"a.b\": a lowercase RFC 1123 label must consist of lower case "
                        + "alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. "
                        + "'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')",
                "spec.finalizers: Invalid value: \"cleanup\": name is neither a standard finalizer name nor is it fully "
                        + "qualified");
    }

    @Test
    void theNameLabelCannotBeRemoved() {
        ObjectNode stored = created(namespaces, json("{\"metadata\":{\"name\":\"x\",\"labels\":{\"team\":\"a\"}}}"));
        ObjectNode next = stored.deepCopy();
        ((ObjectNode) next.path("metadata")).putObject("labels");
        assertThat(updated(namespaces, stored, next).path("metadata").path("labels"))
                .isEqualTo(json("{\"kubernetes.io/metadata.name\":\"x\"}"));
    }

    @Test
    void updatesKeepSpecFinalizersAndDeletionTerminates() {
        ObjectNode stored = created(namespaces, json("{\"metadata\":{\"name\":\"x\"}}"));
        ObjectNode next = stored.deepCopy();
        ((ObjectNode) next.get("spec")).putArray("finalizers");
        assertThat(updated(namespaces, stored, next).path("spec").path("finalizers").toString()).isEqualTo("[\"kubernetes\"]");
        assertThat(namespaces.holdsDeletion(stored)).isTrue();
        namespaces.prepareForDeletion(stored);
        assertThat(stored.path("status").path("phase").asString()).isEqualTo("Terminating");
        assertThat(namespaces.selectableFields(stored)).containsEntry("status.phase", "Terminating");
    }

    @Test
    void phaseFollowsTheDeletionTimestamp() {
        ObjectNode stored = created(namespaces, json("{\"metadata\":{\"name\":\"x\"}}"));
        ObjectNode terminating = stored.deepCopy();
        ((ObjectNode) terminating.get("status")).put("phase", "Terminating");
        assertThat(rendered(namespaces.validateUpdate(terminating, stored))).containsExactly(
                "status.Phase: Invalid value: \"Terminating\": may only be 'Active' if `deletionTimestamp` is empty");
        ((ObjectNode) terminating.get("metadata")).put("deletionTimestamp", "2025-01-02T03:04:06Z");
        assertThat(namespaces.validateUpdate(terminating, stored)).isEmpty();
    }

    @Test
    void deletesReturnTheNamespace() {
        assertThat(namespaces.returnDeletedObject()).isTrue();
        assertThat(namespaces.allowCreateOnUpdate()).isFalse();
    }
}
