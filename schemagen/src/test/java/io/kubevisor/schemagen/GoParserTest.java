package io.kubevisor.schemagen;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

class GoParserTest {

    private static final String PKG = "k8s.io/api/demo/v1";

    @Test
    void parsesStructFieldsWithTagsDocsAndEmbeddedMembers() {
        GoFile f = GoParser.parse("""
                package v1

                import (
                	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
                	"k8s.io/apimachinery/pkg/util/intstr"
                )

                // Widget is a demo.
                // +genclient
                type Widget struct {
                	metav1.TypeMeta `json:",inline"`
                	// Standard metadata.
                	// +optional
                	metav1.ObjectMeta `json:"metadata,omitempty" protobuf:"bytes,1,opt,name=metadata"`

                	// Ports, merged by name.
                	// +listType=map
                	// +listMapKey=name
                	Ports []*Port `json:"ports" patchStrategy:"merge" patchMergeKey:"name" protobuf:"bytes,2,rep,name=ports"`
                	A, B int32 `json:"ab"` // trailing comments are not docs
                	Labels map[string]string `json:"labels,omitempty"`
                	Port intstr.IntOrString `json:"port"`
                	Data []byte `json:"data"`
                	hidden string
                }
                """, PKG);

        GoFile.TypeDecl widget = f.types().getFirst();
        assertThat(widget.name()).isEqualTo("Widget");
        assertThat(widget.doc()).containsExactly(" Widget is a demo.", " +genclient");
        List<GoField> fields = ((GoType.Struct) widget.type()).fields();
        assertThat(fields).extracting(GoField::name)
                .containsExactly("TypeMeta", "ObjectMeta", "Ports", "A", "B", "Labels", "Port", "Data", "hidden");
        assertThat(fields.get(0).embedded()).isTrue();
        assertThat(fields.get(0).type()).isEqualTo(new GoType.Named("k8s.io/apimachinery/pkg/apis/meta/v1", "TypeMeta"));
        assertThat(fields.get(1).doc()).containsExactly(" Standard metadata.", " +optional");
        GoField ports = fields.get(2);
        assertThat(ports.type()).isEqualTo(new GoType.Slice(new GoType.Pointer(new GoType.Named(PKG, "Port"))));
        assertThat(StructTag.parse(ports.tag()).get("patchMergeKey")).contains("name");
        assertThat(StructTag.parse(ports.tag()).protobufNumber()).contains(2);
        assertThat(Markers.parse(ports.doc()).all("listMapKey")).containsExactly("name");
        assertThat(fields.get(3).doc()).isEmpty();
        assertThat(fields.get(3).type()).isEqualTo(new GoType.Named("", "int32"));
        assertThat(fields.get(5).type()).isEqualTo(new GoType.MapType(new GoType.Named("", "string"),
                new GoType.Named("", "string")));
        assertThat(fields.get(6).type()).isEqualTo(new GoType.Named("k8s.io/apimachinery/pkg/util/intstr", "IntOrString"));
        assertThat(fields.get(7).type()).isEqualTo(new GoType.Slice(new GoType.Named("", "byte")));
        assertThat(fields.get(8).exported()).isFalse();
    }

    @Test
    void skipsFunctionsAndKeepsTypedStringConstantsAndDocMaps() {
        GoFile f = GoParser.parse("""
                package v1

                import "fmt"

                // +enum
                type Phase string

                const (
                	// PhaseUp means up.
                	PhaseUp Phase = "Up"
                	PhaseDown Phase = "Down"
                	untyped = "x"
                	counter int = iota
                )

                func (p Phase) String() string {
                	if p == "" { return fmt.Sprintf("%s", struct{ A int }{1}) }
                	return string(p)
                }

                var map_Thing = map[string]string{
                	"":     "Thing does \\"things\\".",
                	"name": "Name " + "joined.",
                }

                var ignored = []string{"a", "b"}

                type (
                	Alias = Phase
                	Names []string
                )
                """, PKG);

        assertThat(f.consts()).extracting(GoFile.ConstDecl::name).containsExactly("PhaseUp", "PhaseDown");
        assertThat(f.consts().getFirst().value()).isEqualTo("Up");
        assertThat(f.consts().getFirst().doc()).containsExactly(" PhaseUp means up.");
        assertThat(f.stringMaps()).containsOnlyKeys("map_Thing");
        assertThat(f.stringMaps().get("map_Thing")).containsEntry("", "Thing does \"things\".")
                .containsEntry("name", "Name joined.");
        assertThat(f.types()).extracting(GoFile.TypeDecl::name).containsExactly("Phase", "Alias", "Names");
        assertThat(f.types().get(1).alias()).isTrue();
        assertThat(f.types().get(2).type()).isEqualTo(new GoType.Slice(new GoType.Named("", "string")));
        assertThat(Markers.parse(f.types().getFirst().markerDoc()).has("enum")).isTrue();
    }

    @Test
    void markersMaySitInTheCommentGroupAboveTheDocComment() {
        GoFile f = GoParser.parse("""
                package v1

                // +structType=atomic

                // Ref points somewhere.
                type Ref struct {
                	Name string `json:"name"`
                }
                """, PKG);

        GoFile.TypeDecl ref = f.types().getFirst();
        assertThat(ref.doc()).containsExactly(" Ref points somewhere.");
        assertThat(Markers.parse(ref.markerDoc()).first("structType")).contains("atomic");
    }

    @Test
    void docTextJoinsLinesKeepsParagraphsAndDropsMarkersAndTodos() {
        String text = DocText.format(List.of(
                " First line",
                " continues here.",
                "",
                " Second paragraph:",
                " \texample indented",
                " TODO: not for users",
                " +optional",
                " ---",
                " hidden after the cut"));

        assertThat(text).isEqualTo("First line continues here.\n\nSecond paragraph:\n\texample indented");
    }
}
