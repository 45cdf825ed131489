package io.kubevisor.apiserver.kinds.core;

import static io.kubevisor.apiserver.kinds.Fixtures.created;
import static io.kubevisor.apiserver.kinds.Fixtures.createErrors;
import static io.kubevisor.apiserver.kinds.Fixtures.json;
import static io.kubevisor.apiserver.kinds.Fixtures.rendered;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class EndpointsStrategyTest {

    private final EndpointsStrategy endpoints = new EndpointsStrategy();

    @Test
    void theBootstrapKubernetesEndpointsAreValid() {
        var ep = json("""
                {"kind":"Endpoints","apiVersion":"v1","metadata":{"name":"kubernetes","namespace":"default"},
                 "subsets":[{"addresses":[{"ip":"127.0.0.1"}],"ports":[{"name":"https","port":6443}]}]}""");
        assertThat(created(endpoints, ep).path("subsets").get(0).path("ports").get(0))
                .isEqualTo(json("{\"name\":\"https\",\"port\":6443,\"protocol\":\"TCP\"}"));
        assertThat(createErrors(endpoints, ep, true)).isEmpty();
    }

    @Test
    void addressesAndPorts() {
        assertThat(rendered(createErrors(endpoints, json("""
                {"metadata":{"name":"web","namespace":"default"},"subsets":[{"ports":[{"port":80}]},
                  {"addresses":[{"ip":"10.0.0.300","hostname":"Web"}],"ports":[{"port":80},{"name":"b","port":0}]}]}"""),
                true))).containsExactly(
                "subsets[0]: Required value: must specify `addresses` or `notReadyAddresses`",
                "subsets[1].addresses[0].ip: Invalid value: \"10.0.0.300\": must be a valid IP address, (e.g. 10.9.8.7 "
                        + "or 2001:db8::ffff)",
                "subsets[1].addresses[0].hostname: Invalid value: \"Web\": a lowercase RFC 1123 label must consist of "
                        + "lower case alphanumeric characters or '-', and must start and end with an alphanumeric "
                        + "character (e.g. 'my-name',  or '123-abc', regex used for validation is "
                        + "'[a-z0-9]([-a-z0-9]*[a-z0-9])?')",
                "subsets[1].ports[0].name: Required value",
                "subsets[1].ports[1].port: Invalid value: 0: must be between 1 and 65535, inclusive");
        assertThat(endpoints.allowCreateOnUpdate()).isTrue();
    }
}
