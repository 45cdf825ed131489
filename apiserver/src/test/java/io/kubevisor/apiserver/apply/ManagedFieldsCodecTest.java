package io.kubevisor.apiserver.apply;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.kubevisor.api.Json;
import tools.jackson.databind.JsonNode;

class ManagedFieldsCodecTest {

    @Test
    void entriesAreOrderedByOperationThenTimeThenManagerThenApiVersionThenSubresource() {
        JsonNode stored = Json.parse("""
                [
                 {"manager":"b","operation":"Update","apiVersion":"v1","time":"2026-01-01T00:00:10Z",
                  "fieldsType":"FieldsV1","fieldsV1":{"f:metadata":{"f:labels":{}}}},
                 {"manager":"a","operation":"Update","apiVersion":"v1","time":"2026-01-01T00:00:20Z",
                  "fieldsType":"FieldsV1","fieldsV1":{"f:spec":{"f:x":{}}}},
                 {"manager":"z","operation":"Apply","apiVersion":"v1","time":"2026-01-01T00:00:30Z",
                  "fieldsType":"FieldsV1","fieldsV1":{"f:spec":{"f:y":{}}}},
                 {"manager":"c","operation":"Update","apiVersion":"v1","time":"2026-01-01T00:00:10Z",
                  "fieldsType":"FieldsV1","fieldsV1":{"f:status":{"f:phase":{}}},"subresource":"status"},
                 {"manager":"b","operation":"Update","apiVersion":"v1","time":"2026-01-01T00:00:10Z",
                  "fieldsType":"FieldsV1","fieldsV1":{"f:status":{"f:podIP":{}}},"subresource":"status"},
                 {"manager":"d","operation":"Update","apiVersion":"v1",
                  "fieldsType":"FieldsV1","fieldsV1":{"f:spec":{"f:z":{}}}}
                ]""");

        List<String> order = new ArrayList<>();
        for (JsonNode e : ManagedFieldsCodec.encode(ManagedFieldsCodec.decode(stored))) {
            order.add(e.path("operation").asString() + " " + e.path("manager").asString() + " "
                    + e.path("subresource").asString("-"));
        }

        // Apply first; then by time (none counts as the oldest), manager, subresource.
        assertThat(order).containsExactly("Apply z -", "Update d -", "Update b -", "Update b status",
                "Update c status", "Update a -");
    }
}
