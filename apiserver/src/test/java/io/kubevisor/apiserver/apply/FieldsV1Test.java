package io.kubevisor.apiserver.apply;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.kubevisor.api.Json;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;

class FieldsV1Test {

    @Test
    void roundTripsKubernetesOwnTestData() {
        // From apimachinery's managed fields round-trip tests: values of mixed types, indexes, keys, ".".
        String[] cases = {
            "{\"v:3\":{\"f:alsoPi\":{}},\"v:3.1415\":{\"f:pi\":{}},\"v:false\":{\"f:notTrue\":{}}}",
            "{\"i:5\":{\"f:i\":{}}}",
            "{\"f:spec\":{\"f:containers\":{\"k:{\\\"name\\\":\\\"c\\\"}\":{\"f:image\":{},\"f:name\":{}}}}}",
            "{\"f:apiVersion\":{},\"f:kind\":{},\"f:metadata\":{\"f:labels\":{\"f:app\":{}},\"f:name\":{}},\"f:spec\":"
                + "{\"f:replicas\":{},\"f:selector\":{\"f:matchLabels\":{\"f:app\":{}}},\"f:template\":{\"f:medatada\":"
                + "{\"f:labels\":{\"f:app\":{}}},\"f:spec\":{\"f:containers\":{\"k:{\\\"name\\\":\\\"nginx\\\"}\":{\".\":{},"
                + "\"f:image\":{},\"f:name\":{},\"f:ports\":{\"i:0\":{\"f:containerPort\":{}}}}}}}}}",
        };
        for (String c : cases) {
            JsonNode in = Json.parse(c);
            assertThat(Json.string(FieldsV1.encode(FieldsV1.decode(in)))).isEqualTo(c);
        }
    }

    @Test
    void keysAreSortedByFieldNameAndWrittenLikeGo() {
        PathElement key = new PathElement.Key(List.of(
                new PathElement.KeyField("protocol", JsonNodeFactory.instance.stringNode("TCP")),
                new PathElement.KeyField("containerPort", JsonNodeFactory.instance.numberNode(8080))));
        assertThat(key.serialize()).isEqualTo("k:{\"containerPort\":8080,\"protocol\":\"TCP\"}");
        assertThat(key.toString()).isEqualTo("[containerPort=8080,protocol=\"TCP\"]");
        assertThat(new PathElement.Value(JsonNodeFactory.instance.stringNode("a<b")).serialize()).isEqualTo("v:\"a\\u003cb\"");
        assertThat(PathElement.parse(key.serialize())).isEqualTo(key);
    }

    @Test
    void pathsPrintAsConflictMessagesShowThem() {
        List<PathElement> p = List.of(new PathElement.Field("spec"), new PathElement.Field("containers"),
                new PathElement.Key(List.of(new PathElement.KeyField("name", JsonNodeFactory.instance.stringNode("c")))),
                new PathElement.Field("image"));
        assertThat(PathElement.toString(p)).isEqualTo(".spec.containers[name=\"c\"].image");
        assertThat(PathElement.toString(List.of(new PathElement.Field("finalizers"),
                new PathElement.Value(JsonNodeFactory.instance.stringNode("x"))))).isEqualTo(".finalizers[=\"x\"]");
    }

    @Test
    void unknownElementTypesAreSkipped() {
        FieldSet s = FieldsV1.decode(Json.parse("{\"f:a\":{},\"x:future\":{\"f:b\":{}}}"));
        assertThat(s.paths()).containsExactly(List.of(new PathElement.Field("a")));
    }
}
