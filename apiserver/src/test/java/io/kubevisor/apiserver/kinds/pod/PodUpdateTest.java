package io.kubevisor.apiserver.kinds.pod;

import static io.kubevisor.apiserver.kinds.Fixtures.created;
import static io.kubevisor.apiserver.kinds.Fixtures.json;
import static io.kubevisor.apiserver.kinds.Fixtures.rendered;
import static io.kubevisor.apiserver.kinds.Fixtures.updateErrors;
import static io.kubevisor.apiserver.kinds.Fixtures.updated;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

class PodUpdateTest {

    private final PodStrategy pods = new PodStrategy();
    private final ObjectNode stored = created(pods, json("""
            {"kind":"Pod","apiVersion":"v1","metadata":{"name":"p","namespace":"default"},
             "spec":{"containers":[{"name":"a","image":"nginx:1.26"}],"activeDeadlineSeconds":600}}"""));

    private List<String> errors(ObjectNode next) {
        return rendered(updateErrors(pods, stored, next));
    }

    @Test
    void imagesMayChange() {
        ObjectNode next = stored.deepCopy();
        ((ObjectNode) next.path("spec").path("containers").get(0)).put("image", "nginx:1.27");
        assertThat(errors(next)).isEmpty();
    }

    @Test
    void otherSpecFieldsMayNot() {
        ObjectNode next = stored.deepCopy();
        ((ObjectNode) next.get("spec")).putObject("nodeSelector").put("disk", "ssd");
        List<String> errs = errors(next);
        assertThat(errs).hasSize(1);
        assertThat(errs.getFirst()).startsWith("spec: Forbidden: pod updates may not change fields other than "
                + "`spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,"
                + "`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` "
                + "(allow it to be set to 1 if it was previously negative)\n").contains("spec.nodeSelector");
    }

    @Test
    void containersMayNotBeAdded() {
        ObjectNode next = stored.deepCopy();
        ((ArrayNode) next.path("spec").path("containers")).addObject().put("name", "b").put("image", "busybox");
        assertThat(errors(next)).containsExactly("spec.containers: Forbidden: pod updates may not add or remove containers");
    }

    @Test
    void tolerationsMayOnlyBeAdded() {
        ObjectNode more = stored.deepCopy();
        ((ArrayNode) more.path("spec").path("tolerations")).addObject().put("key", "k").put("operator", "Exists");
        assertThat(errors(more)).isEmpty();
        ObjectNode fewer = stored.deepCopy();
        ((ArrayNode) fewer.path("spec").path("tolerations")).remove(0);
        assertThat(errors(fewer)).contains(
                "spec.tolerations: Forbidden: existing toleration can not be modified except its tolerationSeconds");
    }

    @Test
    void activeDeadlineMayOnlyShrink() {
        ObjectNode longer = stored.deepCopy();
        ((ObjectNode) longer.get("spec")).put("activeDeadlineSeconds", 900);
        assertThat(errors(longer)).containsExactly(
                "spec.activeDeadlineSeconds: Invalid value: 900: must be less than or equal to previous value");
        ObjectNode shorter = stored.deepCopy();
        ((ObjectNode) shorter.get("spec")).put("activeDeadlineSeconds", 60);
        assertThat(errors(shorter)).isEmpty();
    }

    @Test
    void anUpdateWithoutAdmissionFieldsKeepsThem() {
        ObjectNode next = stored.deepCopy();
        ObjectNode spec = (ObjectNode) next.get("spec");
        spec.remove(List.of("serviceAccountName", "serviceAccount", "priority", "preemptionPolicy"));
        ObjectNode result = updated(pods, stored, next);
        assertThat(result.path("spec")).isEqualTo(stored.path("spec"));
        assertThat(pods.validateUpdate(result, stored)).isEmpty();
    }

    @Test
    void gracePeriodFollowsTheSpecOnceScheduled() {
        assertThat(pods.defaultGracePeriodSeconds(stored)).isZero();
        ObjectNode scheduled = stored.deepCopy();
        ((ObjectNode) scheduled.get("spec")).put("nodeName", "n1");
        assertThat(pods.defaultGracePeriodSeconds(scheduled)).isEqualTo(30);
        ((ObjectNode) scheduled.get("status")).put("phase", "Succeeded");
        assertThat(pods.defaultGracePeriodSeconds(scheduled)).isZero();
    }

    @Test
    void selectableFields() {
        ObjectNode pod = stored.deepCopy();
        ((ObjectNode) pod.get("spec")).put("nodeName", "n1");
        ((ObjectNode) pod.get("status")).putArray("podIPs").addObject().put("ip", "10.1.0.7");
        assertThat(pods.selectableFields(pod)).containsEntry("spec.nodeName", "n1")
                .containsEntry("status.podIP", "10.1.0.7").containsEntry("spec.hostNetwork", "false")
                .containsEntry("status.phase", "Pending").containsEntry("spec.serviceAccountName", "default")
                .containsEntry("spec.restartPolicy", "Always").containsEntry("spec.schedulerName", "default-scheduler");
        assertThat(pods.selectableFieldNames()).containsAll(pods.selectableFields(pod).keySet());
    }
}
