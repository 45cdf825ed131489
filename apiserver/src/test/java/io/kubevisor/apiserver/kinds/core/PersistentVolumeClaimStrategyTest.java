package io.kubevisor.apiserver.kinds.core;

import static io.kubevisor.apiserver.kinds.Fixtures.created;
import static io.kubevisor.apiserver.kinds.Fixtures.createErrors;
import static io.kubevisor.apiserver.kinds.Fixtures.json;
import static io.kubevisor.apiserver.kinds.Fixtures.rendered;
import static io.kubevisor.apiserver.kinds.Fixtures.updateErrors;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import tools.jackson.databind.node.ObjectNode;

class PersistentVolumeClaimStrategyTest {

    private final PersistentVolumeClaimStrategy claims = new PersistentVolumeClaimStrategy();

    private static final String DATA = """
            {"kind":"PersistentVolumeClaim","apiVersion":"v1","metadata":{"name":"data","namespace":"default"},
             "spec":{"accessModes":["ReadWriteOnce"],"resources":{"requests":{"storage":"1024Mi"}}}}""";

    @Test
    void defaults() {
        ObjectNode pvc = created(claims, json(DATA));
        assertThat(pvc.get("spec")).isEqualTo(json("""
                {"accessModes":["ReadWriteOnce"],"resources":{"requests":{"storage":"1Gi"}},"volumeMode":"Filesystem"}"""));
        assertThat(pvc.get("status")).isEqualTo(json("{\"phase\":\"Pending\"}"));
        assertThat(createErrors(claims, json(DATA), true)).isEmpty();
    }

    @Test
    void storageAndAccessModesAreRequired() {
        assertThat(rendered(createErrors(claims, json("""
                {"metadata":{"name":"d","namespace":"default"},"spec":{"accessModes":["ReadWriteSometimes"]}}"""), true)))
                .containsExactly(
                        "spec.accessModes: Unsupported value: \"ReadWriteSometimes\": supported values: \"ReadOnlyMany\", "
                                + "\"ReadWriteMany\", \"ReadWriteOnce\", \"ReadWriteOncePod\"",
                        "spec.resources[storage]: Required value");
        assertThat(rendered(createErrors(claims, json("""
                {"metadata":{"name":"d","namespace":"default"},"spec":{"resources":{"requests":{"storage":"0"}}}}"""), true)))
                .containsExactly("spec.accessModes: Required value: at least 1 access mode is required",
                        "spec.resources[storage]: Invalid value: \"0\": must be greater than zero");
    }

    @Test
    void specIsImmutableExceptTheSizeOfBoundClaims() {
        ObjectNode stored = created(claims, json(DATA));
        ObjectNode bigger = stored.deepCopy();
        ((ObjectNode) bigger.path("spec").path("resources").path("requests")).put("storage", "2Gi");
        assertThat(rendered(updateErrors(claims, stored, bigger))).containsExactly(
                "spec: Forbidden: spec is immutable after creation except resources.requests for bound claims");
        ((ObjectNode) stored.get("status")).put("phase", "Bound").putObject("capacity").put("storage", "1Gi");
        assertThat(updateErrors(claims, stored, bigger)).isEmpty();
        ObjectNode smaller = stored.deepCopy();
        ((ObjectNode) smaller.path("spec").path("resources").path("requests")).put("storage", "512Mi");
        assertThat(rendered(updateErrors(claims, stored, smaller))).containsExactly(
                "spec.resources.requests.storage: Forbidden: field can not be less than status.capacity");
        ObjectNode bound = stored.deepCopy();
        ((ObjectNode) bound.get("spec")).put("volumeName", "pv-1");
        assertThat(updateErrors(claims, stored, bound)).isEmpty();
    }
}
