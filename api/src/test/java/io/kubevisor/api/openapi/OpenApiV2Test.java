package io.kubevisor.api.openapi;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnknownFieldSet;

import io.kubevisor.api.Json;
import io.kubevisor.api.resource.BuiltinResources;
import io.kubevisor.api.resource.ResourceCatalog;
import tools.jackson.databind.JsonNode;

class OpenApiV2Test {

    private final ResourceCatalog catalog = BuiltinResources.catalog();

    @Test
    void jsonIsSwagger2WithKubernetesV2Conventions() {
        JsonNode doc = Json.parse(OpenApiV2.json(catalog));

        assertThat(doc.get("swagger").asString()).isEqualTo("2.0");
        JsonNode defs = doc.get("definitions");
        assertThat(defs.get("io.k8s.api.core.v1.Pod").get("x-kubernetes-group-version-kind").get(0).get("kind")
                .asString()).isEqualTo("Pod");
        assertThat(defs.get("io.k8s.apimachinery.pkg.api.resource.Quantity").get("type").asString()).isEqualTo("string");
        assertThat(defs.get("io.k8s.apimachinery.pkg.util.intstr.IntOrString").get("format").asString())
                .isEqualTo("int-or-string");
        assertThat(defs.get("io.k8s.api.core.v1.Pod").get("properties").get("metadata").get("$ref").asString())
                .isEqualTo("#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta");
        String text = Json.string(doc);
        assertThat(text).doesNotContain("\"oneOf\"").doesNotContain("\"allOf\"").doesNotContain("x-kubevisor");
        List<String> refs = new ArrayList<>();
        OpenApiV3Test.collectRefs(doc, refs);
        refs.forEach(r -> assertThat(defs.has(r.substring("#/definitions/".length()))).as(r).isTrue());
        JsonNode patch = doc.get("paths").get("/api/v1/namespaces/{namespace}/pods/{name}").get("patch");
        assertThat(patch.get("parameters")).extracting(p -> p.get("name").asString())
                .contains("body", "fieldValidation", "force");
    }

    @Test
    void protobufParsesAsAGnosticDocument() throws Exception {
        byte[] bytes = OpenApiV2.protobuf(catalog);
        JsonNode json = Json.parse(OpenApiV2.json(catalog));

        UnknownFieldSet doc = UnknownFieldSet.parseFrom(bytes);
        assertThat(string(doc, 1)).isEqualTo("2.0");
        UnknownFieldSet info = message(doc, 2);
        assertThat(string(info, 1)).isEqualTo("Kubernetes");

        List<ByteString> paths = message(doc, 8).getField(2).getLengthDelimitedList();
        assertThat(paths).hasSize(json.get("paths").size());
        UnknownFieldSet podItem = null;
        for (ByteString p : paths) {
            UnknownFieldSet named = UnknownFieldSet.parseFrom(p);
            if (string(named, 1).equals("/api/v1/namespaces/{namespace}/pods/{name}")) {
                podItem = message(named, 2);
            }
        }
        assertThat(podItem).isNotNull();
        UnknownFieldSet patch = message(podItem, 8);
        assertThat(string(patch, 5)).isEqualTo("patchCoreV1NamespacedPod");
        List<String> queryNames = new ArrayList<>();
        for (ByteString item : patch.getField(8).getLengthDelimitedList()) {
            UnknownFieldSet parameter = message(UnknownFieldSet.parseFrom(item), 1);
            if (parameter.hasField(2)) {
                UnknownFieldSet query = message(message(parameter, 2), 3);
                queryNames.add(string(query, 4));
            }
        }
        assertThat(queryNames).contains("fieldValidation", "fieldManager", "dryRun", "force");
        List<String> extensions = new ArrayList<>();
        for (ByteString ext : patch.getField(13).getLengthDelimitedList()) {
            UnknownFieldSet named = UnknownFieldSet.parseFrom(ext);
            extensions.add(string(named, 1) + "=" + string(message(named, 2), 2).strip());
        }
        assertThat(extensions).contains("x-kubernetes-action=\"patch\"",
                "x-kubernetes-group-version-kind={\"group\":\"\",\"kind\":\"Pod\",\"version\":\"v1\"}");

        List<ByteString> defs = message(doc, 9).getField(1).getLengthDelimitedList();
        assertThat(defs).hasSize(json.get("definitions").size());
        UnknownFieldSet first = UnknownFieldSet.parseFrom(defs.getFirst());
        UnknownFieldSet schema = message(first, 2);
        assertThat(string(first, 1)).isEqualTo(json.get("definitions").propertyNames().iterator().next());
        assertThat(schema.hasField(4)).as("description").isTrue();
        assertThat(string(message(schema, 22), 1)).isEqualTo("object");
        assertThat(schema.hasField(25)).as("properties").isTrue();
    }

    private static UnknownFieldSet message(UnknownFieldSet set, int field) throws Exception {
        List<ByteString> values = set.getField(field).getLengthDelimitedList();
        assertThat(values).as("field " + field).hasSize(1);
        return UnknownFieldSet.parseFrom(values.getFirst());
    }

    private static String string(UnknownFieldSet set, int field) {
        List<ByteString> values = set.getField(field).getLengthDelimitedList();
        return values.isEmpty() ? "" : values.getFirst().toString(StandardCharsets.UTF_8);
    }
}
