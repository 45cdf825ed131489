package io.kubevisor.apiserver.kinds.core;

import static io.kubevisor.apiserver.kinds.Fixtures.created;
import static io.kubevisor.apiserver.kinds.Fixtures.createErrors;
import static io.kubevisor.apiserver.kinds.Fixtures.json;
import static io.kubevisor.apiserver.kinds.Fixtures.rendered;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ResourceQuotaStrategyTest {

    private final ResourceQuotaStrategy quotas = new ResourceQuotaStrategy();

    @Test
    void quantitiesAreCanonicalAndStatusStartsEmpty() {
        var rq = created(quotas, json("""
                {"kind":"ResourceQuota","apiVersion":"v1","metadata":{"name":"q","namespace":"default"},
                 "spec":{"hard":{"requests.cpu":"1000m","limits.memory":"2048Mi","pods":10,"count/deployments.apps":"5"}},
                 "status":{"used":{"pods":"3"}}}"""));
        assertThat(rq.path("spec").path("hard")).isEqualTo(json("""
                {"requests.cpu":"1","limits.memory":"2Gi","pods":"10","count/deployments.apps":"5"}"""));
        assertThat(rq.get("status")).isEqualTo(json("{}"));
        assertThat(quotas.returnDeletedObject()).isTrue();
    }

    @Test
    void namesAndValues() {
        assertThat(rendered(createErrors(quotas, json("""
                {"metadata":{"name":"q","namespace":"default"},"spec":{"hard":{"gpus":"1","pods":"1.5",
                  "requests.memory":"-1"},"scopes":["BestEffort","NotBestEffort"]}}"""), true))).containsExactly(
                "spec.hard[gpus]: Invalid value: \"gpus\": must be a standard resource for quota",
                "spec.hard[pods]: Invalid value: \"1500m\": must be an integer",
                "spec.hard[requests.memory]: Invalid value: \"-1\": must be greater than or equal to 0",
                "spec.scopes: Invalid value: []string{\"BestEffort\", \"NotBestEffort\"}: conflicting scopes");
    }
}
