package io.kubevisor.apiserver.apply;

import static io.kubevisor.apiserver.patch.TestSchemas.bool;
import static io.kubevisor.apiserver.patch.TestSchemas.integer;
import static io.kubevisor.apiserver.patch.TestSchemas.list;
import static io.kubevisor.apiserver.patch.TestSchemas.map;
import static io.kubevisor.apiserver.patch.TestSchemas.mapList;
import static io.kubevisor.apiserver.patch.TestSchemas.object;
import static io.kubevisor.apiserver.patch.TestSchemas.string;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import io.kubevisor.api.Json;
import io.kubevisor.api.schema.FieldSchema;
import tools.jackson.databind.JsonNode;

/** Merge triplets (live, configuration, result) taken from structured-merge-diff's associative list cases. */
class ApplyMergeTest {

    private static final FieldSchema ROOT = object("myRoot",
            "list", mapList(object("myElement", "key", string(), "id", integer(), "value", map(string()),
                    "bv", bool(), "nv", integer()), "key", "id"),
            "atomicList", list(string()));

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{\"list\":[{\"key\":\"a\",\"id\":1,\"value\":{\"a\":\"a\"}}]} | {\"list\":[{\"key\":\"a\",\"id\":1,\"value\":{\"a\":\"a\"}}]} | {\"list\":[{\"key\":\"a\",\"id\":1,\"value\":{\"a\":\"a\"}}]}",
        "{\"list\":[{\"key\":\"a\",\"id\":1,\"value\":{\"a\":\"a\"}}]} | {\"list\":[{\"key\":\"a\",\"id\":2,\"value\":{\"a\":\"a\"}}]} | {\"list\":[{\"key\":\"a\",\"id\":1,\"value\":{\"a\":\"a\"}},{\"key\":\"a\",\"id\":2,\"value\":{\"a\":\"a\"}}]}",
        "{\"list\":[{\"key\":\"a\",\"id\":1},{\"key\":\"b\",\"id\":1}]} | {\"list\":[{\"key\":\"a\",\"id\":1},{\"key\":\"a\",\"id\":2}]} | {\"list\":[{\"key\":\"a\",\"id\":1},{\"key\":\"b\",\"id\":1},{\"key\":\"a\",\"id\":2}]}",
        "{\"list\":[{\"key\":\"b\",\"id\":2}]} | {\"list\":[{\"key\":\"a\",\"id\":1},{\"key\":\"b\",\"id\":2},{\"key\":\"c\",\"id\":3}]} | {\"list\":[{\"key\":\"a\",\"id\":1},{\"key\":\"b\",\"id\":2},{\"key\":\"c\",\"id\":3}]}",
        "{\"list\":[{\"key\":\"a\",\"id\":1},{\"key\":\"b\",\"id\":2},{\"key\":\"c\",\"id\":3}]} | {\"list\":[{\"key\":\"c\",\"id\":3},{\"key\":\"b\",\"id\":2}]} | {\"list\":[{\"key\":\"a\",\"id\":1},{\"key\":\"c\",\"id\":3},{\"key\":\"b\",\"id\":2}]}",
        "{\"list\":[{\"key\":\"a\",\"id\":1},{\"key\":\"b\",\"id\":2},{\"key\":\"c\",\"id\":3}]} | {\"list\":[{\"key\":\"c\",\"id\":3},{\"key\":\"a\",\"id\":1}]} | {\"list\":[{\"key\":\"b\",\"id\":2},{\"key\":\"c\",\"id\":3},{\"key\":\"a\",\"id\":1}]}",
        "{\"atomicList\":[\"a\",\"b\",\"c\"]} | {\"atomicList\":[]} | {\"atomicList\":[]}",
        "{\"atomicList\":[\"a\",\"a\",\"a\"]} | {\"atomicList\":[\"a\",\"a\"]} | {\"atomicList\":[\"a\",\"a\"]}",
        "{\"list\":[{\"key\":\"a\",\"id\":1,\"bv\":true},{\"key\":\"b\",\"id\":2},{\"key\":\"a\",\"id\":1,\"bv\":false,\"nv\":2}]} | {\"list\":[{\"key\":\"a\",\"id\":1,\"nv\":3},{\"key\":\"c\",\"id\":3},{\"key\":\"b\",\"id\":2}]} | {\"list\":[{\"key\":\"a\",\"id\":1,\"nv\":3},{\"key\":\"c\",\"id\":3},{\"key\":\"b\",\"id\":2}]}",
        "{\"list\":[{\"key\":\"a\",\"id\":1,\"nv\":1},{\"key\":\"a\",\"id\":1,\"nv\":2}]} | {\"list\":[]} | {\"list\":[{\"key\":\"a\",\"id\":1,\"nv\":1},{\"key\":\"a\",\"id\":1,\"nv\":2}]}",
        "{\"list\":[{\"key\":\"a\",\"id\":1,\"nv\":1},{\"key\":\"a\",\"id\":1,\"nv\":2}]} | {} | {\"list\":[{\"key\":\"a\",\"id\":1,\"nv\":1},{\"key\":\"a\",\"id\":1,\"nv\":2}]}",
    })
    void mergesLikeStructuredMergeDiff(String live, String config, String expected) {
        assertThat(ApplyMerge.merge(Json.parse(live), Json.parse(config), ROOT)).isEqualTo(Json.parse(expected));
    }

    @Test
    void aConfiguredNullRemovesTheField() {
        JsonNode out = ApplyMerge.merge(Json.parse("{\"atomicList\":[\"a\"],\"x\":1}"), Json.parse("{\"atomicList\":null}"), ROOT);
        assertThat(out).isEqualTo(Json.parse("{\"x\":1}"));
    }

    @Test
    void withoutSchemaObjectsMergeAndListsAreAtomic() {
        JsonNode out = ApplyMerge.merge(Json.parse("{\"a\":{\"b\":1,\"l\":[1,2]}}"), Json.parse("{\"a\":{\"c\":2,\"l\":[3]}}"), null);
        assertThat(out).isEqualTo(Json.parse("{\"a\":{\"b\":1,\"l\":[3],\"c\":2}}"));
    }
}
