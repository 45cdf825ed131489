package io.kubevisor.schemagen;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

class DefinitionBuilderTest {

    private static final String DEMO = "k8s.io/api/demo/v1";
    private static final String INTSTR = "k8s.io/apimachinery/pkg/util/intstr";

    private static Map<String, ObjectNode> defs;

    @BeforeAll
    static void build() {
        Universe u = new Universe();
        u.add(DEMO, List.of(GoParser.parse("""
                package v1

                import "k8s.io/apimachinery/pkg/util/intstr"

                type TypeMeta struct {
                	// +optional
                	Kind string `json:"kind,omitempty" protobuf:"bytes,1,opt,name=kind"`
                	// +optional
                	APIVersion string `json:"apiVersion,omitempty" protobuf:"bytes,2,opt,name=apiVersion"`
                }

                // Widget is a demo.
                type Widget struct {
                	TypeMeta `json:",inline"`
                	// Ports of the widget.
                	// +listType=map
                	// +listMapKey=port
                	// +listMapKey=protocol
                	Ports []Port `json:"ports,omitempty" patchStrategy:"merge" patchMergeKey:"port" protobuf:"bytes,2,rep,name=ports"`
                	// Source is inlined, as VolumeSource is in Volume.
                	Source `json:",inline" protobuf:"bytes,3,opt,name=source"`
                	Tags Tags `json:"tags"`
                	Secret map[string][]byte `json:"secret,omitempty" protobuf:"bytes,4,rep,name=secret"`
                	Target intstr.IntOrString `json:"target"`
                	Owner *Owner `json:"owner,omitempty"`
                	Self Owner `json:"self"`
                	Meta Owner `json:"meta,omitempty"`
                	Parent *Owner `json:"parent"`
                	Count int64 `json:"count,omitempty"`
                	Data []byte `json:"data,omitempty"`
                	Any interface{} `json:"any,omitempty"`
                }

                type Port struct {
                	Port int32 `json:"port" protobuf:"varint,1,opt,name=port"`
                	// Protocol of the port.
                	// +default="TCP"
                	// +optional
                	Protocol Protocol `json:"protocol,omitempty" protobuf:"bytes,2,opt,name=protocol,casttype=Protocol"`
                	Ready bool `json:"ready"`
                }

                // +enum
                type Protocol string

                const (
                	// ProtocolTCP is the TCP protocol.
                	ProtocolTCP Protocol = "TCP"
                	ProtocolUDP Protocol = "UDP"
                )

                type Source struct {
                	// The path.
                	Path *string `json:"path,omitempty" protobuf:"bytes,1,opt,name=path"`
                }

                // +listType=set
                type Tags []string

                // +structType=atomic
                type Owner struct {
                	Name string `json:"name"`
                }
                """, DEMO)), null, Map.of("Widget", List.of(new Universe.Gvk("demo.k8s.io", "v1", "Widget"))));
        u.add(INTSTR, List.of(GoParser.parse("""
                package intstr

                // IntOrString holds an int32 or a string.
                type IntOrString struct {
                	Type   Type   `protobuf:"varint,1,opt,name=type,casttype=Type"`
                	IntVal int32  `protobuf:"varint,2,opt,name=intVal"`
                	StrVal string `protobuf:"bytes,3,opt,name=strVal"`
                }

                type Type int64
                """, INTSTR)), java.util.Set.of("IntOrString"), Map.of());
        defs = new DefinitionBuilder(u).build();
    }

    @Test
    void emitsStructsAsDefinitionsAndInlinesNamedScalarsAndSlices() {
        assertThat(defs).containsOnlyKeys("io.k8s.api.demo.v1.TypeMeta", "io.k8s.api.demo.v1.Widget",
                "io.k8s.api.demo.v1.Port", "io.k8s.api.demo.v1.Source", "io.k8s.api.demo.v1.Owner",
                "io.k8s.apimachinery.pkg.util.intstr.IntOrString");
    }

    @Test
    void inlinesEmbeddedMembersInDeclarationOrder() {
        JsonNode widget = defs.get("io.k8s.api.demo.v1.Widget");
        assertThat(widget.get("properties").propertyNames()).containsExactly("kind", "apiVersion", "ports", "path",
                "tags", "secret", "target", "owner", "self", "meta", "parent", "count", "data", "any");
        assertThat(widget.get("description").asString()).isEqualTo("Widget is a demo.");
        assertThat(widget.get("required")).extracting(JsonNode::asString).containsExactly("tags", "target", "self", "parent");
        assertThat(widget.get("x-kubernetes-group-version-kind").get(0).get("group").asString())
                .isEqualTo("demo.k8s.io");
    }

    @Test
    void recordsPatchAndListMetadataFromTagsAndMarkers() {
        JsonNode ports = defs.get("io.k8s.api.demo.v1.Widget").get("properties").get("ports");
        assertThat(ports.get("type").asString()).isEqualTo("array");
        assertThat(ports.get("items").get("$ref").asString()).isEqualTo("#/definitions/io.k8s.api.demo.v1.Port");
        assertThat(ports.get("items").get("default").isObject()).isTrue();
        assertThat(ports.get("x-kubernetes-patch-strategy").asString()).isEqualTo("merge");
        assertThat(ports.get("x-kubernetes-patch-merge-key").asString()).isEqualTo("port");
        assertThat(ports.get("x-kubernetes-list-type").asString()).isEqualTo("map");
        assertThat(ports.get("x-kubernetes-list-map-keys")).extracting(JsonNode::asString)
                .containsExactly("port", "protocol");
        JsonNode tags = defs.get("io.k8s.api.demo.v1.Widget").get("properties").get("tags");
        assertThat(tags.get("x-kubernetes-list-type").asString()).as("marker of the named slice type").isEqualTo("set");
        assertThat(defs.get("io.k8s.api.demo.v1.Owner").get("x-kubernetes-map-type").asString()).isEqualTo("atomic");
    }

    @Test
    void protobufNumbersFollowNestingOfInlinedMembers() {
        JsonNode props = defs.get("io.k8s.api.demo.v1.Widget").get("properties");
        assertThat(props.get("ports").get(DefinitionBuilder.PROTOBUF).asInt()).isEqualTo(2);
        assertThat(props.get("path").get(DefinitionBuilder.PROTOBUF).asInt()).isEqualTo(1);
        assertThat(props.get("path").get(DefinitionBuilder.PROTOBUF_VIA).asInt()).isEqualTo(3);
        assertThat(props.get("kind").has(DefinitionBuilder.PROTOBUF)).as("TypeMeta is not in protobuf messages").isFalse();
    }

    @Test
    void rendersEnumsDefaultsBytesAndSpecialTypes() {
        JsonNode protocol = defs.get("io.k8s.api.demo.v1.Port").get("properties").get("protocol");
        assertThat(protocol.get("type").asString()).isEqualTo("string");
        assertThat(protocol.get("default").asString()).isEqualTo("TCP");
        assertThat(protocol.get("enum")).extracting(JsonNode::asString).containsExactly("TCP", "UDP");
        assertThat(protocol.get("description").asString()).isEqualTo(
                "Protocol of the port.\n\nPossible enum values:\n - `\"TCP\"` is the TCP protocol.\n - `\"UDP\"`");
        JsonNode port = defs.get("io.k8s.api.demo.v1.Port").get("properties");
        assertThat(port.get("port").get("format").asString()).isEqualTo("int32");
        assertThat(port.get("port").get("default").asInt()).isZero();
        assertThat(port.get("ready").get("default").asBoolean()).isFalse();

        JsonNode widget = defs.get("io.k8s.api.demo.v1.Widget").get("properties");
        assertThat(widget.get("secret").get("additionalProperties").get("format").asString()).isEqualTo("byte");
        assertThat(widget.get("target").get("$ref").asString())
                .isEqualTo("#/definitions/io.k8s.apimachinery.pkg.util.intstr.IntOrString");
        assertThat(widget.get("target").has("default")).as("custom-marshalled types get no default").isFalse();
        assertThat(widget.get("owner").has("default")).as("pointers get no default").isFalse();
        assertThat(widget.get("self").get("default").isObject()).isTrue();
        JsonNode ios = defs.get("io.k8s.apimachinery.pkg.util.intstr.IntOrString");
        assertThat(ios.get("format").asString()).isEqualTo("int-or-string");
        assertThat(ios.get("oneOf").size()).isEqualTo(2);
        assertThat(ios.has("properties")).isFalse();
    }

    @Test
    void recordsHowGoJsonWritesEachZeroValue() {
        JsonNode widget = defs.get("io.k8s.api.demo.v1.Widget").get("properties");
        JsonNode port = defs.get("io.k8s.api.demo.v1.Port").get("properties");
        assertThat(zeroRule(widget, "kind")).as("string, omitempty").isEqualTo("omit");
        assertThat(zeroRule(widget, "count")).as("int64, omitempty").isEqualTo("omit");
        assertThat(zeroRule(port, "protocol")).as("named string, omitempty").isEqualTo("omit");
        assertThat(zeroRule(port, "port")).as("int32 without omitempty").isEqualTo("write");
        assertThat(zeroRule(port, "ready")).as("bool without omitempty").isEqualTo("write");
        assertThat(zeroRule(widget, "ports")).as("slice, omitempty").isEqualTo("omit-empty");
        assertThat(zeroRule(widget, "secret")).as("map, omitempty").isEqualTo("omit-empty");
        assertThat(zeroRule(widget, "data")).as("[]byte, omitempty").isEqualTo("omit-empty");
        assertThat(zeroRule(widget, "tags")).as("named slice without omitempty").isEqualTo("null");
        assertThat(zeroRule(widget, "parent")).as("pointer without omitempty").isEqualTo("null");
        assertThat(zeroRule(widget, "self")).as("struct").isEqualTo("write");
        assertThat(zeroRule(widget, "meta")).as("struct, omitempty: Go never omits structs").isEqualTo("write");
        assertThat(zeroRule(widget, "target")).as("IntOrString is a struct").isEqualTo("write");
        assertThat(widget.get("owner").has(ZeroValues.EXTENSION)).as("pointer, omitempty").isFalse();
        assertThat(widget.get("path").has(ZeroValues.EXTENSION)).as("pointer, omitempty, inlined").isFalse();
        assertThat(widget.get("any").has(ZeroValues.EXTENSION)).as("interface, omitempty").isFalse();
    }

    private static String zeroRule(JsonNode properties, String name) {
        return properties.get(name).path(ZeroValues.EXTENSION).asString("");
    }

    @Test
    void danglingReferencesAreReported() {
        ObjectNode doc = TypeSchemas.object();
        ObjectNode d = doc.putObject("A");
        d.putObject("properties").putObject("b").put("$ref", "#/definitions/Missing");
        assertThat(Main.danglingRefs(doc)).containsExactly("Missing");
    }
}
