package io.kubevisor.apiserver.kinds.discovery;

import static io.kubevisor.apiserver.kinds.Fixtures.created;
import static io.kubevisor.apiserver.kinds.Fixtures.createErrors;
import static io.kubevisor.apiserver.kinds.Fixtures.json;
import static io.kubevisor.apiserver.kinds.Fixtures.rendered;
import static io.kubevisor.apiserver.kinds.Fixtures.updateErrors;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import tools.jackson.databind.node.ObjectNode;

class EndpointSliceStrategyTest {

    private final EndpointSliceStrategy slices = new EndpointSliceStrategy();

    private static final String SLICE = """
            {"kind":"EndpointSlice","apiVersion":"discovery.k8s.io/v1",
             "metadata":{"name":"web-abc12","namespace":"default","labels":{"kubernetes.io/service-name":"web"}},
             "addressType":"IPv4","endpoints":[{"addresses":["10.244.1.5"],"conditions":{"ready":true},"nodeName":"n1"}],
             "ports":[{"port":8080}]}""";

    @Test
    void portsGetNameAndProtocol() {
        ObjectNode slice = created(slices, json(SLICE));
        assertThat(slice.path("ports").get(0)).isEqualTo(json("{\"port\":8080,\"name\":\"\",\"protocol\":\"TCP\"}"));
        assertThat(createErrors(slices, json(SLICE), true)).isEmpty();
        assertThat(slices.tracksGeneration()).isTrue();
    }

    @Test
    void addressesMatchTheAddressType() {
        ObjectNode slice = json(SLICE);
        ((ObjectNode) slice.path("endpoints").get(0)).putArray("addresses").add("fd00::1");
        slice.withArray("endpoints").addObject();
        assertThat(rendered(createErrors(slices, slice, true))).containsExactly(
                "endpoints[0].addresses[0]: Invalid value: \"fd00::1\": must be a valid IPv4 address",
                "endpoints[1].addresses: Required value: must contain at least 1 address");
        ObjectNode badType = json(SLICE);
        badType.put("addressType", "IPv5");
        assertThat(rendered(createErrors(slices, badType, true))).containsExactly(
                "addressType: Unsupported value: \"IPv5\": supported values: \"FQDN\", \"IPv4\", \"IPv6\"");
    }

    @Test
    void addressTypeIsImmutable() {
        ObjectNode stored = created(slices, json(SLICE));
        ObjectNode next = stored.deepCopy();
        next.put("addressType", "FQDN");
        ((ObjectNode) next.path("endpoints").get(0)).putArray("addresses").add("web.example.com");
        assertThat(rendered(updateErrors(slices, stored, next))).containsExactly(
                "addressType: Invalid value: \"FQDN\": field is immutable");
    }
}
