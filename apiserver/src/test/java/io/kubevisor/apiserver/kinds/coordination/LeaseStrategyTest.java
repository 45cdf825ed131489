package io.kubevisor.apiserver.kinds.coordination;

import static io.kubevisor.apiserver.kinds.Fixtures.createErrors;
import static io.kubevisor.apiserver.kinds.Fixtures.json;
import static io.kubevisor.apiserver.kinds.Fixtures.rendered;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LeaseStrategyTest {

    private final LeaseStrategy leases = new LeaseStrategy();

    @Test
    void nodeLeasesAreValidAndPutCreatesThem() {
        assertThat(createErrors(leases, json("""
                {"kind":"Lease","apiVersion":"coordination.k8s.io/v1","metadata":{"name":"n1","namespace":"kube-node-lease"},
                 "spec":{"holderIdentity":"n1","leaseDurationSeconds":40,"renewTime":"2025-01-02T03:04:05.000000Z"}}"""),
                true)).isEmpty();
        assertThat(leases.allowCreateOnUpdate()).isTrue();
    }

    @Test
    void durationsAndTransitions() {
        assertThat(rendered(createErrors(leases, json("""
                {"metadata":{"name":"l","namespace":"default"},"spec":{"leaseDurationSeconds":0,"leaseTransitions":-1}}"""),
                true))).containsExactly(
                "spec.leaseDurationSeconds: Invalid value: 0: must be greater than 0",
                "spec.leaseTransitions: Invalid value: -1: must be greater than or equal to 0");
    }
}
