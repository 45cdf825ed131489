package io.kubevisor.api.codec;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import io.kubevisor.api.GroupVersionKind;
import io.kubevisor.api.Json;
import io.kubevisor.api.schema.BuiltinSchemas;
import io.kubevisor.api.schema.FieldSchema;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

class ZeroValueNormalizerTest {

    private static final BuiltinSchemas SCHEMAS = BuiltinSchemas.load();

    private static JsonNode normalized(GroupVersionKind gvk, String json) {
        ObjectNode tree = (ObjectNode) Json.parse(json);
        ZeroValueNormalizer.normalize(tree, SCHEMAS.forKind(gvk).orElseThrow());
        return tree;
    }

    private static JsonNode deployment(String json) {
        return normalized(new GroupVersionKind("apps", "v1", "Deployment"), json);
    }

    @Test
    void zeroOfAPointerStaysAndZeroOfAnOmitemptyValueGoes() {
        JsonNode d = deployment("""
                {"spec":{"replicas":0,"minReadySeconds":0,"paused":false,"revisionHistoryLimit":0,
                  "selector":{"matchLabels":{"app":"web"},"matchExpressions":[]},
                  "template":{"spec":{"containers":[{"name":"c","stdin":false,"tty":false,"workingDir":"",
                    "securityContext":{"allowPrivilegeEscalation":false,"privileged":false,"runAsUser":0}}]}},
                  "strategy":{"type":""}}}""");

        JsonNode spec = d.get("spec");
        assertThat(spec.get("replicas").intValue()).as("*int32 replicas").isZero();
        assertThat(spec.get("revisionHistoryLimit").intValue()).as("*int32 revisionHistoryLimit").isZero();
        assertThat(spec.has("minReadySeconds")).as("int32 minReadySeconds,omitempty").isFalse();
        assertThat(spec.has("paused")).as("bool paused,omitempty").isFalse();
        assertThat(spec.get("selector")).as("empty slice with omitempty")
                .isEqualTo(Json.parse("{\"matchLabels\":{\"app\":\"web\"}}"));
        assertThat(spec.get("strategy")).as("struct kept, empty string in it dropped").isEqualTo(Json.object());
        JsonNode container = spec.at("/template/spec/containers/0");
        assertThat(container.has("stdin")).as("bool stdin,omitempty in a list element").isFalse();
        assertThat(container.has("tty")).isFalse();
        assertThat(container.has("workingDir")).isFalse();
        assertThat(container.get("securityContext")).as("*bool and *int64 keep their zeros").isEqualTo(Json.parse(
                "{\"allowPrivilegeEscalation\":false,\"privileged\":false,\"runAsUser\":0}"));
    }

    @Test
    void zerosWithoutOmitemptyAndEmptyPointerStringsStay() {
        JsonNode svc = normalized(new GroupVersionKind("", "v1", "Service"), """
                {"spec":{"ports":[{"name":"","port":0,"nodePort":0,"targetPort":0,"protocol":""}]}}""");
        assertThat(svc.at("/spec/ports/0")).as("port and targetPort have no omitempty")
                .isEqualTo(Json.parse("{\"port\":0,\"targetPort\":0}"));

        JsonNode pvc = normalized(new GroupVersionKind("", "v1", "PersistentVolumeClaim"), """
                {"spec":{"storageClassName":"","volumeName":"","accessModes":[]}}""");
        assertThat(pvc.get("spec")).as("*string storageClassName: \"\" means no provisioning")
                .isEqualTo(Json.parse("{\"resources\":{},\"storageClassName\":\"\"}"));

        JsonNode sts = normalized(new GroupVersionKind("apps", "v1", "StatefulSet"), """
                {"spec":{"serviceName":"","selector":{},"template":{}}}""");
        assertThat(sts.at("/spec/serviceName").asString()).as("string serviceName without omitempty").isEmpty();
    }

    @Test
    void listElementsAndMapValuesAreKeptButEnteredObjectsAreNormalized() {
        JsonNode cm = normalized(new GroupVersionKind("", "v1", "ConfigMap"), """
                {"metadata":{"name":"c","finalizers":[""],"labels":{"empty":""},"annotations":{}},
                 "data":{"a":""},"binaryData":{}}""");
        assertThat(cm.get("data")).isEqualTo(Json.parse("{\"a\":\"\"}"));
        assertThat(cm.has("binaryData")).isFalse();
        assertThat(cm.get("metadata")).isEqualTo(Json.parse(
                "{\"name\":\"c\",\"creationTimestamp\":null,\"labels\":{\"empty\":\"\"},\"finalizers\":[\"\"]}"));
    }

    @Test
    void missingFieldsTakeTheValueGoWritesForThem() {
        JsonNode d = deployment("{}");

        assertThat(d).isEqualTo(Json.parse("""
                {"metadata":{"creationTimestamp":null},
                 "spec":{"selector":null,
                   "template":{"metadata":{"creationTimestamp":null},"spec":{"containers":null}},
                   "strategy":{}},
                 "status":{}}"""));
    }

    @Test
    void freeFormValuesAreLeftAlone() {
        JsonNode rev = normalized(new GroupVersionKind("apps", "v1", "ControllerRevision"), """
                {"metadata":{"name":"r"},"revision":0,"data":{"spec":{"paused":false,"x":""}}}""");
        assertThat(rev.get("data")).isEqualTo(Json.parse("{\"spec\":{\"paused\":false,\"x\":\"\"}}"));
        assertThat(rev.get("revision").intValue()).as("int64 revision without omitempty").isZero();
    }

    @Test
    void fieldsFollowGoDeclarationOrderAndUnknownOnesComeLast() {
        ObjectNode pod = (ObjectNode) Json.parse("""
                {"status":{},"bogus":1,"spec":{"containers":[]},"metadata":{"name":"p"},"apiVersion":"v1","kind":"Pod"}""");
        ZeroValueNormalizer.normalize(pod, SCHEMAS.forKind(new GroupVersionKind("", "v1", "Pod")).orElseThrow());
        assertThat(pod.propertyNames()).containsExactly("kind", "apiVersion", "metadata", "spec", "status", "bogus");
        assertThat(pod.at("/spec/containers").isArray()).as("a non-nil empty slice is not nil").isTrue();
    }

    @Test
    void unsetSpecialTypesTakeTheirOwnZeroForms() {
        ObjectNode doc = Json.object();
        ObjectNode defs = doc.putObject("definitions");
        String meta = "io.k8s.apimachinery.pkg.apis.meta.v1.";
        String quantity = "io.k8s.apimachinery.pkg.api.resource.Quantity";
        String intOrString = "io.k8s.apimachinery.pkg.util.intstr.IntOrString";
        String raw = "io.k8s.apimachinery.pkg.runtime.RawExtension";
        for (String special : new String[] {meta + "Time", meta + "MicroTime", meta + "Duration", quantity,
                intOrString, raw}) {
            defs.set(special, SCHEMAS.rawDefinition(special).orElseThrow());
        }
        defs.set("demo.Widget", Json.parse("""
                {"type":"object","properties":{
                  "at":{"$ref":"#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.Time","x-kubevisor-go-zero":"write"},
                  "micro":{"$ref":"#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.MicroTime","x-kubevisor-go-zero":"write"},
                  "wait":{"$ref":"#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.Duration","x-kubevisor-go-zero":"write"},
                  "size":{"$ref":"#/definitions/io.k8s.apimachinery.pkg.api.resource.Quantity","x-kubevisor-go-zero":"write"},
                  "port":{"$ref":"#/definitions/io.k8s.apimachinery.pkg.util.intstr.IntOrString","x-kubevisor-go-zero":"write"},
                  "raw":{"$ref":"#/definitions/io.k8s.apimachinery.pkg.runtime.RawExtension","x-kubevisor-go-zero":"write"},
                  "count":{"type":"integer","format":"int32","x-kubevisor-go-zero":"write"},
                  "name":{"type":"string","x-kubevisor-go-zero":"write"},
                  "on":{"type":"boolean","x-kubevisor-go-zero":"write"},
                  "tags":{"type":"array","items":{"type":"string"},"x-kubevisor-go-zero":"null"},
                  "parts":{"type":"object","additionalProperties":{"$ref":"#/definitions/demo.Part"},
                    "x-kubevisor-go-zero":"omit-empty"},
                  "owner":{"$ref":"#/definitions/demo.Part"}}}"""));
        defs.set("demo.Part", Json.parse("""
                {"type":"object","properties":{"count":{"type":"integer","x-kubevisor-go-zero":"omit"},
                  "flag":{"type":"boolean"}}}"""));
        FieldSchema widget = BuiltinSchemas.of(doc).definition("demo.Widget").orElseThrow();

        ObjectNode empty = Json.object();
        ZeroValueNormalizer.normalize(empty, widget);
        assertThat(empty).isEqualTo(Json.parse("""
                {"at":null,"micro":null,"wait":"0s","size":"0","port":0,"raw":null,
                 "count":0,"name":"","on":false,"tags":null}"""));

        ObjectNode parts = (ObjectNode) Json.parse("""
                {"parts":{"a":{"count":0,"flag":false},"b":{"count":2}},"owner":{"count":0}}""");
        ZeroValueNormalizer.normalize(parts, widget);
        assertThat(parts.get("parts")).as("map values are entered, never dropped")
                .isEqualTo(Json.parse("{\"a\":{\"flag\":false},\"b\":{\"count\":2}}"));
        assertThat(parts.get("owner")).as("a set pointer struct stays, even empty").isEqualTo(Json.object());
    }
}
