package io.kubevisor.apiserver.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.kubevisor.api.Json;
import io.kubevisor.store.KeyValue;
import tools.jackson.databind.JsonNode;

class StoredFormTest {

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"a\"},\"data\":{\"k\":\"v\"}}",
            "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{},\"data\":{\"k\":\"v\"}}",
            // a nested "metadata" before the top-level one, and a quoted one inside a string
            "{\"spec\":{\"template\":{\"metadata\":{\"labels\":{}}}},\"note\":\"\\\"metadata\\\":{\",\"metadata\":{\"name\":\"x\"}}",
            // no metadata at all: decoded and written with one
            "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\"}",
    })
    void splicedBytesEqualTheDecodedObject(String stored) {
        KeyValue kv = new KeyValue("/registry/x/y", stored.getBytes(StandardCharsets.UTF_8), 3, 42);
        JsonNode spliced = Json.parse(StoredForm.withResourceVersion(kv));
        assertThat(spliced).isEqualTo(StoredForm.decode(kv));
        assertThat(spliced.path("metadata").path("resourceVersion").asString()).isEqualTo("42");
    }
}
