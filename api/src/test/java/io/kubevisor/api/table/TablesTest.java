package io.kubevisor.api.table;

import static io.kubevisor.api.table.Fixtures.NOW;
import static io.kubevisor.api.table.Fixtures.ago;
import static io.kubevisor.api.table.Fixtures.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.kubevisor.api.ApiException;
import io.kubevisor.api.GroupVersionKind;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

class TablesTest {

    private final TablePrinter namespaces = TablePrinters.forKind(new GroupVersionKind("", "v1", "Namespace"));
    private final JsonNode ns = json("{'kind':'Namespace','apiVersion':'v1','metadata':{'name':'dev',"
            + "'uid':'u1','resourceVersion':'41','labels':{'team':'a'},'creationTimestamp':'" + ago(90) + "'},"
            + "'spec':{'finalizers':['kubernetes']},'status':{'phase':'Active'}}");

    @Test
    void tableHasKubernetesShape() {
        ObjectNode table = Tables.build(List.of(ns), namespaces, NOW, "1006", "next-page", true);

        assertThat(table.path("kind").asString()).isEqualTo("Table");
        assertThat(table.path("apiVersion").asString()).isEqualTo("meta.k8s.io/v1");
        assertThat(table.path("metadata")).isEqualTo(json("{'resourceVersion':'1006','continue':'next-page'}"));
        assertThat(table.at("/columnDefinitions/0")).isEqualTo(json("{'name':'Name','type':'string','format':'name',"
                + "'description':'" + ColumnDefinition.NAME_DOC + "','priority':0}"));
        assertThat(table.at("/rows/0/cells")).isEqualTo(json("['dev','Active','90s']"));
        assertThat(table.at("/rows/0/object")).isEqualTo(json("{'kind':'PartialObjectMetadata',"
                + "'apiVersion':'meta.k8s.io/v1','metadata':" + ns.path("metadata") + "}"));
    }

    @Test
    void includeObjectVariants() {
        assertThat(Tables.build(List.of(ns), namespaces, NOW, null, null, IncludeObject.NONE).at("/rows/0")
                .has("object")).isFalse();
        ObjectNode full = Tables.build(List.of(ns), namespaces, NOW, null, null, IncludeObject.OBJECT);
        assertThat(full.at("/rows/0/object")).isEqualTo(ns);
        assertThat(full.path("metadata").isEmpty()).isTrue();
        assertThat(IncludeObject.parse(null)).isEqualTo(IncludeObject.METADATA);
        assertThat(IncludeObject.parse("Object")).isEqualTo(IncludeObject.OBJECT);
        assertThat(IncludeObject.parse("None")).isEqualTo(IncludeObject.NONE);
        assertThatThrownBy(() -> IncludeObject.parse("Everything")).isInstanceOf(ApiException.BadRequest.class);
    }

    @Test
    void rowsHoldCopiesAndNumbersStayNumbers() {
        JsonNode cm = json("{'metadata':{'name':'c'},'data':{'a':'1'}}");
        ObjectNode table = Tables.build(List.of(cm),
                TablePrinters.forKind(new GroupVersionKind("", "v1", "ConfigMap")), NOW, "5", null, true);
        assertThat(table.at("/rows/0/cells/1").isNumber()).isTrue();
        ((ObjectNode) table.at("/rows/0/object/metadata")).put("name", "changed");
        assertThat(cm.at("/metadata/name").asString()).isEqualTo("c");
    }

    @Test
    void emptyListStillHasColumns() {
        ObjectNode table = Tables.build(List.of(), namespaces, NOW, "7", null, true);
        assertThat(table.path("columnDefinitions")).hasSize(3);
        assertThat(table.path("rows").isArray()).isTrue();
        assertThat(table.path("rows")).isEmpty();
    }
}
