package io.kubevisor.api.schema;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import io.kubevisor.api.GroupVersionKind;
import io.kubevisor.api.Json;

class UnknownFieldsTest {

    private final BuiltinSchemas schemas = BuiltinSchemas.load();

    @Test
    void reportsUndeclaredFieldsWithTheirPath() {
        var pod = Json.parse("""
                {"apiVersion":"v1","kind":"Pod","bogus":1,
                 "metadata":{"name":"x","labels":{"any-key":"v"},"nope":true},
                 "spec":{"containers":[{"name":"a","image":"i"},
                                       {"name":"b","image":"i","bogus":"x","ports":[{"containerPort":80,"extra":1}]}],
                         "nodeSelector":{"free":"keys"}}}
                """);

        var unknown = UnknownFields.find(schemas.forKind(new GroupVersionKind("", "v1", "Pod")).orElseThrow(), pod);

        assertThat(unknown).containsExactly("bogus", "metadata.nope", "spec.containers[1].bogus",
                "spec.containers[1].ports[0].extra");
    }

    @Test
    void doesNotLookBelowOpenSchemas() {
        var revision = Json.parse("""
                {"apiVersion":"apps/v1","kind":"ControllerRevision","revision":1,
                 "data":{"anything":{"goes":[1,2,3]}},
                 "metadata":{"managedFields":[{"manager":"m","fieldsV1":{"f:spec":{}}}]}}
                """);

        var unknown = UnknownFields.find(
                schemas.forKind(new GroupVersionKind("apps", "v1", "ControllerRevision")).orElseThrow(), revision);

        assertThat(unknown).isEmpty();
    }

    @Test
    void checksValuesOfMapsOfObjects() {
        var doc = Json.parse("""
                {"definitions":{
                  "T":{"type":"object","properties":{"m":{"type":"object","additionalProperties":{"$ref":"#/definitions/V"}}}},
                  "V":{"type":"object","properties":{"a":{"type":"string"}}}}}
                """);
        var t = BuiltinSchemas.of(doc).definition("T").orElseThrow();

        assertThat(UnknownFields.find(t, Json.parse("{\"m\":{\"k1\":{\"a\":\"x\"},\"k2\":{\"b\":1}}}")))
                .containsExactly("m.k2.b");
    }

    @Test
    void wrongJsonTypesAndNullsAreLeftToValidation() {
        var pod = Json.parse("{\"spec\":{\"containers\":\"not a list\",\"volumes\":null},\"metadata\":[1]}");

        assertThat(UnknownFields.find(schemas.forKind(new GroupVersionKind("", "v1", "Pod")).orElseThrow(), pod))
                .isEmpty();
    }

    @Test
    void recursiveDefinitionsResolveLazily() {
        var doc = Json.parse("""
                {"definitions":{"Node":{"type":"object","properties":{
                   "name":{"type":"string"},
                   "children":{"type":"array","items":{"$ref":"#/definitions/Node"}}}}}}
                """);
        var node = BuiltinSchemas.of(doc).definition("Node").orElseThrow();

        var deep = node.property("children").orElseThrow().items().property("children").orElseThrow().items();
        assertThat(deep.properties()).containsKeys("name", "children");
        assertThat(UnknownFields.find(node, Json.parse("{\"children\":[{\"children\":[{\"x\":1}]}]}")))
                .containsExactly("children[0].children[0].x");
    }
}
