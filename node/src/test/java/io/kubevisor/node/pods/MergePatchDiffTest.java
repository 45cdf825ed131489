package io.kubevisor.node.pods;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import io.kubevisor.api.Json;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

class MergePatchDiffTest {

    @Test
    void equalDocumentsGiveAnEmptyPatch() {
        ObjectNode doc = obj("{\"phase\":\"Running\",\"conditions\":[{\"type\":\"Ready\",\"status\":\"True\"}]}");
        assertThat(MergePatchDiff.of(doc, doc.deepCopy())).isEmpty();
    }

    @Test
    void onlyChangedMembersAreSentAndNestedObjectsAreDiffedMemberByMember() {
        ObjectNode from = obj("{\"phase\":\"Pending\",\"hostIP\":\"10.0.0.1\",\"qosClass\":\"BestEffort\","
                + "\"extra\":{\"a\":1,\"b\":2}}");
        ObjectNode to = obj("{\"phase\":\"Running\",\"hostIP\":\"10.0.0.1\",\"qosClass\":\"BestEffort\","
                + "\"extra\":{\"a\":1,\"b\":3}}");
        assertThat(MergePatchDiff.of(from, to)).isEqualTo(obj("{\"phase\":\"Running\",\"extra\":{\"b\":3}}"));
    }

    @Test
    void membersThatWentAwayAreNulledAndArraysAreReplacedWhole() {
        ObjectNode from = obj("{\"phase\":\"Pending\",\"message\":\"waiting\",\"reason\":\"X\","
                + "\"conditions\":[{\"type\":\"Ready\",\"status\":\"False\"},{\"type\":\"PodScheduled\",\"status\":\"True\"}]}");
        ObjectNode to = obj("{\"phase\":\"Pending\",\"conditions\":[{\"type\":\"Ready\",\"status\":\"True\"},"
                + "{\"type\":\"PodScheduled\",\"status\":\"True\"}]}");
        ObjectNode patch = MergePatchDiff.of(from, to);
        assertThat(patch.get("message").isNull()).isTrue();
        assertThat(patch.get("reason").isNull()).isTrue();
        assertThat(patch.get("conditions")).isEqualTo(to.get("conditions"));
        assertThat(patch.has("phase")).isFalse();
    }

    @Test
    void applyingThePatchToTheOriginalGivesTheTarget() {
        ObjectNode from = obj("{\"phase\":\"Pending\",\"message\":\"m\",\"nested\":{\"keep\":true,\"drop\":1,"
                + "\"deeper\":{\"x\":\"1\"}},\"list\":[1,2]}");
        ObjectNode to = obj("{\"phase\":\"Running\",\"nested\":{\"keep\":true,\"deeper\":{\"x\":\"2\",\"y\":\"3\"}},"
                + "\"list\":[2],\"podIP\":\"10.1.0.5\",\"obj\":{\"new\":{}}}");
        assertThat(apply(from.deepCopy(), MergePatchDiff.of(from, to))).isEqualTo(to);
    }

    @Test
    void anObjectReplacingAScalarIsSentWhole() {
        ObjectNode from = obj("{\"v\":\"text\"}");
        ObjectNode to = obj("{\"v\":{\"a\":1}}");
        assertThat(MergePatchDiff.of(from, to)).isEqualTo(to);
    }

    /** RFC 7386's MergePatch, to check the diff against the definition. */
    private static JsonNode apply(JsonNode target, JsonNode patch) {
        if (!(patch instanceof ObjectNode p)) {
            return patch.deepCopy();
        }
        ObjectNode t = target instanceof ObjectNode o ? o : Json.object();
        for (var e : p.properties()) {
            if (e.getValue().isNull()) {
                t.remove(e.getKey());
            } else {
                JsonNode current = t.get(e.getKey());
                t.set(e.getKey(), apply(current == null ? Json.object() : current, e.getValue()));
            }
        }
        return t;
    }

    private static ObjectNode obj(String json) {
        return (ObjectNode) Json.parse(json);
    }
}
