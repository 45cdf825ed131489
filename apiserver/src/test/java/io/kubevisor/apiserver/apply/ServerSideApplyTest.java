package io.kubevisor.apiserver.apply;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;

import org.junit.jupiter.api.Test;

import io.kubevisor.api.ApiException;
import io.kubevisor.api.Json;
import io.kubevisor.api.schema.FieldSchema;
import io.kubevisor.apiserver.patch.J;
import io.kubevisor.apiserver.patch.TestSchemas;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

class ServerSideApplyTest {

    private static final Instant T0 = Instant.parse("2010-10-10T00:00:00Z");
    private static final Instant T1 = Instant.parse("2010-10-10T00:01:00.750Z");
    private static final FieldSchema CM = TestSchemas.configMap();
    private static final FieldSchema DEPLOY = TestSchemas.deployment();

    private static ObjectNode cm(String dataAndLabels) {
        return J.obj("{'apiVersion':'v1','kind':'ConfigMap','metadata':{'name':'test-cm','namespace':'default'"
                + dataAndLabels + "}");
    }

    private static JsonNode entry(JsonNode obj, String manager) {
        for (JsonNode e : obj.at("/metadata/managedFields").values()) {
            if (e.get("manager").asString().equals(manager)) {
                return e;
            }
        }
        return null;
    }

    private static ObjectNode withoutManagedFields(ObjectNode o) {
        ObjectNode c = o.deepCopy();
        ((ObjectNode) c.get("metadata")).remove("managedFields");
        return c;
    }

    @Test
    void createByApplyRecordsTheManagedFieldsOfKubernetesDocsExample() {
        ObjectNode applied = cm(",'labels':{'test-label':'test'}},'data':{'key':'some value'}");
        ObjectNode out = ServerSideApply.apply(null, applied, "kubectl", false, CM, T0);
        assertThat(out.at("/metadata/managedFields")).isEqualTo(J.of("[{'manager':'kubectl','operation':'Apply',"
                + "'apiVersion':'v1','time':'2010-10-10T00:00:00Z','fieldsType':'FieldsV1','fieldsV1':"
                + "{'f:data':{'f:key':{}},'f:metadata':{'f:labels':{'f:test-label':{}}}}}]"));
        assertThat(out.get("data")).isEqualTo(J.of("{'key':'some value'}"));
        // Entry members come in Kubernetes' field order.
        assertThat(out.at("/metadata/managedFields/0").propertyNames())
                .containsExactly("manager", "operation", "apiVersion", "time", "fieldsType", "fieldsV1");
    }

    @Test
    void applyingTheSameConfigurationTwiceChangesNothing() {
        ObjectNode applied = cm("},'data':{'a':'1'}");
        ObjectNode first = ServerSideApply.apply(null, applied, "kubectl", false, CM, T0);
        ObjectNode second = ServerSideApply.apply(first, applied, "kubectl", false, CM, T1);
        assertThat(second).isEqualTo(first);
    }

    @Test
    void managersOfDisjointFieldsCoexist() {
        ObjectNode a = ServerSideApply.apply(null, cm("},'data':{'a':'1'}"), "alice", false, CM, T0);
        ObjectNode ab = ServerSideApply.apply(a, cm("},'data':{'b':'2'}"), "bob", false, CM, T1);
        assertThat(ab.get("data")).isEqualTo(J.of("{'a':'1','b':'2'}"));
        assertThat(entry(ab, "alice").get("fieldsV1")).isEqualTo(J.of("{'f:data':{'f:a':{}}}"));
        assertThat(entry(ab, "bob").get("fieldsV1")).isEqualTo(J.of("{'f:data':{'f:b':{}}}"));
        assertThat(entry(ab, "bob").get("time").asString()).isEqualTo("2010-10-10T00:01:00Z");
    }

    @Test
    void changingAnotherAppliersFieldConflictsUnlessForced() {
        ObjectNode a = ServerSideApply.apply(null, cm("},'data':{'a':'1'}"), "alice", false, CM, T0);
        ObjectNode bobs = cm("},'data':{'a':'2'}");
        assertThatThrownBy(() -> ServerSideApply.apply(a, bobs, "bob", false, CM, T1))
                .isInstanceOfSatisfying(ApiException.Conflict.class, e -> {
                    assertThat(e.code()).isEqualTo(409);
                    assertThat(e.getMessage()).isEqualTo("Apply failed with 1 conflict: conflict with \"alice\": .data.a");
                    assertThat(e.details().causes()).singleElement().satisfies(c -> {
                        assertThat(c.reason()).isEqualTo("FieldManagerConflict");
                        assertThat(c.message()).isEqualTo("conflict with \"alice\"");
                        assertThat(c.field()).isEqualTo(".data.a");
                    });
                    assertThat(e.toStatus().get("reason").asString()).isEqualTo("Conflict");
                });
        ObjectNode forced = ServerSideApply.apply(a, bobs, "bob", true, CM, T1);
        assertThat(forced.at("/data/a").asString()).isEqualTo("2");
        assertThat(entry(forced, "alice")).isNull();
        assertThat(entry(forced, "bob").get("fieldsV1")).isEqualTo(J.of("{'f:data':{'f:a':{}}}"));
    }

    @Test
    void applyingTheSameValueSharesOwnership() {
        ObjectNode a = ServerSideApply.apply(null, cm("},'data':{'a':'1'}"), "alice", false, CM, T0);
        ObjectNode shared = ServerSideApply.apply(a, cm("},'data':{'a':'1'}"), "bob", false, CM, T1);
        assertThat(entry(shared, "alice").get("fieldsV1")).isEqualTo(entry(shared, "bob").get("fieldsV1"));
        // Nothing changed, so Kubernetes records no time for bob.
        assertThat(entry(shared, "bob").has("time")).isFalse();
        assertThatThrownBy(() -> ServerSideApply.apply(shared, cm("},'data':{'a':'3'}"), "alice", false, CM, T1))
                .isInstanceOfSatisfying(ApiException.Conflict.class, e -> assertThat(e.getMessage())
                        .isEqualTo("Apply failed with 1 conflict: conflict with \"bob\": .data.a"));
    }

    @Test
    void fieldsDroppedFromTheConfigurationAreRemovedUnlessSomeoneElseOwnsThem() {
        ObjectNode v1 = ServerSideApply.apply(null, cm(",'labels':{'x':'1','y':'2'}},'data':{'a':'1','b':'2'}"),
                "alice", false, CM, T0);
        ObjectNode bob = ServerSideApply.apply(v1, cm("},'data':{'b':'2'}"), "bob", false, CM, T0);
        ObjectNode v2 = ServerSideApply.apply(bob, cm(",'labels':{'x':'1'}},'data':{'a':'1'}"), "alice", false, CM, T1);
        assertThat(v2.at("/metadata/labels")).isEqualTo(J.of("{'x':'1'}"));
        assertThat(v2.get("data")).isEqualTo(J.of("{'a':'1','b':'2'}"));
        assertThat(entry(v2, "alice").get("fieldsV1")).isEqualTo(J.of("{'f:data':{'f:a':{}},'f:metadata':{'f:labels':{'f:x':{}}}}"));
    }

    @Test
    void fieldsNobodyAppliedSurviveAnApplierDroppingItsOwn() {
        ObjectNode live = cm("},'data':{'manual':'x'}");
        ObjectNode created = ManagedFields.recordUpdate(null, live, "kubectl-create", "Update", "", "v1", CM, T0);
        ObjectNode a1 = ServerSideApply.apply(created, cm("},'data':{'a':'1'}"), "alice", false, CM, T0);
        ObjectNode a2 = ServerSideApply.apply(a1, cm("}"), "alice", false, CM, T1);
        assertThat(a2.get("data")).isEqualTo(J.of("{'manual':'x'}"));
        assertThat(entry(a2, "alice")).isNull();
    }

    @Test
    void containersMergeByNameAcrossManagers() {
        ObjectNode a = ServerSideApply.apply(null, deployment("{'name':'app','image':'nginx:1'}"), "alice", false, DEPLOY, T0);
        ObjectNode ab = ServerSideApply.apply(a, deployment("{'name':'sidecar','image':'busybox'}"), "bob", false, DEPLOY, T0);
        assertThat(ab.at("/spec/template/spec/containers")).isEqualTo(J.of(
                "[{'name':'app','image':'nginx:1'},{'name':'sidecar','image':'busybox'}]"));
        ObjectNode a2 = ServerSideApply.apply(ab, deployment("{'name':'app','image':'nginx:2'}"), "alice", false, DEPLOY, T1);
        assertThat(a2.at("/spec/template/spec/containers")).isEqualTo(J.of(
                "[{'name':'app','image':'nginx:2'},{'name':'sidecar','image':'busybox'}]"));
        assertThat(entry(a2, "bob").at("/fieldsV1/f:spec/f:template/f:spec/f:containers")).isEqualTo(Json.parse(
                "{\"k:{\\\"name\\\":\\\"sidecar\\\"}\":{\".\":{},\"f:image\":{},\"f:name\":{}}}"));
    }

    @Test
    void anApplierDroppingAContainerRemovesOnlyThatContainer() {
        ObjectNode both = ServerSideApply.apply(null, deployment("{'name':'a','image':'x'},{'name':'b','image':'y'}"),
                "alice", false, DEPLOY, T0);
        ObjectNode onlyB = ServerSideApply.apply(both, deployment("{'name':'b','image':'y'}"), "alice", false, DEPLOY, T1);
        assertThat(onlyB.at("/spec/template/spec/containers")).isEqualTo(J.of("[{'name':'b','image':'y'}]"));
    }

    @Test
    void theConfigurationsItemOrderWinsForItsItems() {
        ObjectNode ab = ServerSideApply.apply(null, deployment("{'name':'a','image':'x'},{'name':'b','image':'y'}"),
                "alice", false, DEPLOY, T0);
        ObjectNode ba = ServerSideApply.apply(ab, deployment("{'name':'b','image':'y'},{'name':'a','image':'x'}"),
                "alice", false, DEPLOY, T1);
        assertThat(ba.at("/spec/template/spec/containers").valueStream().map(c -> c.get("name").asString()))
                .containsExactly("b", "a");
    }

    private static ObjectNode deployment(String containers) {
        return J.obj("{'apiVersion':'apps/v1','kind':'Deployment','metadata':{'name':'web'},'spec':{'template':"
                + "{'spec':{'containers':[" + containers + "]}}}}");
    }

    @Test
    void kubectlServerSideApplyOfADeployment() {
        // The JSON body kubectl apply --server-side sends for a small manifest.
        ObjectNode body = J.obj("{'apiVersion':'apps/v1','kind':'Deployment','metadata':{'name':'nginx','namespace':'default',"
                + "'labels':{'app':'nginx'}},'spec':{'replicas':2,'selector':{'matchLabels':{'app':'nginx'}},'template':"
                + "{'metadata':{'labels':{'app':'nginx'}},'spec':{'containers':[{'name':'nginx','image':'nginx:1.14.2',"
                + "'ports':[{'containerPort':80}]}]}}}}");
        ObjectNode out = ServerSideApply.apply(null, body, "kubectl", false, DEPLOY, T0);
        assertThat(withoutManagedFields(out)).isEqualTo(body);
        String key = "k:{\"name\":\"nginx\"}";
        String port = "k:{\"containerPort\":80,\"protocol\":\"TCP\"}";
        ObjectNode expected = J.obj("{'f:metadata':{'f:labels':{'f:app':{}}},'f:spec':{'f:replicas':{},'f:selector':{},"
                + "'f:template':{'f:metadata':{'f:labels':{'f:app':{}}},'f:spec':{'f:containers':{'KEY':{'.':{},"
                + "'f:image':{},'f:name':{},'f:ports':{'PORT':{'.':{},'f:containerPort':{}}}}}}}}}");
        String expectedText = expected.toString().replace("KEY", key.replace("\"", "\\\"")).replace("PORT", port.replace("\"", "\\\""));
        assertThat(entry(out, "kubectl").get("fieldsV1")).isEqualTo(J.of(expectedText.replace('\'', '"')));
    }

    @Test
    void anUpdateByAnotherManagerTakesOverTheFieldItChanged() {
        ObjectNode applied = J.obj("{'apiVersion':'apps/v1','kind':'Deployment','metadata':{'name':'web'},'spec':{'replicas':1,"
                + "'paused':false}}");
        ObjectNode live = ServerSideApply.apply(null, applied, "kubectl", false, DEPLOY, T0);
        ObjectNode edited = live.deepCopy();
        ((ObjectNode) edited.get("spec")).put("replicas", 5);
        ObjectNode afterEdit = ManagedFields.recordUpdate(live, edited, "kubectl-client-side-apply", "Update", "", "apps/v1",
                DEPLOY, T1);
        assertThat(entry(afterEdit, "kubectl").get("fieldsV1")).isEqualTo(J.of("{'f:spec':{'f:paused':{}}}"));
        assertThat(entry(afterEdit, "kubectl-client-side-apply").get("fieldsV1")).isEqualTo(J.of("{'f:spec':{'f:replicas':{}}}"));
        assertThatThrownBy(() -> ServerSideApply.apply(afterEdit, applied, "kubectl", false, DEPLOY, T1))
                .isInstanceOfSatisfying(ApiException.Conflict.class, e -> assertThat(e.getMessage()).isEqualTo(
                        "Apply failed with 1 conflict: conflict with \"kubectl-client-side-apply\" using apps/v1: .spec.replicas"));
    }

    @Test
    void severalConflictsAreListedByManager() {
        ObjectNode live = ServerSideApply.apply(null, cm("},'data':{'a':'1','b':'1'}"), "alice", false, CM, T0);
        live = ServerSideApply.apply(live, cm("},'data':{'c':'1'}"), "bob", false, CM, T0);
        ObjectNode finalLive = live;
        assertThatThrownBy(() -> ServerSideApply.apply(finalLive, cm("},'data':{'a':'2','b':'2','c':'2'}"), "carol", false, CM, T1))
                .isInstanceOfSatisfying(ApiException.Conflict.class, e -> {
                    assertThat(e.getMessage()).isEqualTo("Apply failed with 3 conflicts: conflicts with \"alice\":\n- .data.a\n"
                            + "- .data.b\nconflicts with \"bob\":\n- .data.c");
                    assertThat(e.details().causes()).hasSize(3);
                });
    }

    @Test
    void atomicMapsAndListsAreReplacedWhole() {
        FieldSchema pod = TestSchemas.pod();
        ObjectNode base = J.obj("{'apiVersion':'v1','kind':'Pod','metadata':{'name':'p'},'spec':{'containers':[{'name':'c',"
                + "'command':['a','b']}],'nodeSelector':{'x':'1','y':'2'}}}");
        ObjectNode live = ServerSideApply.apply(null, base, "alice", false, pod, T0);
        assertThat(entry(live, "alice").at("/fieldsV1/f:spec/f:nodeSelector")).isEqualTo(J.of("{}"));
        ObjectNode changed = J.obj("{'apiVersion':'v1','kind':'Pod','metadata':{'name':'p'},'spec':{'containers':[{'name':'c',"
                + "'command':['z']}],'nodeSelector':{'z':'3'}}}");
        ObjectNode out = ServerSideApply.apply(live, changed, "alice", false, pod, T1);
        assertThat(out.at("/spec/nodeSelector")).isEqualTo(J.of("{'z':'3'}"));
        assertThat(out.at("/spec/containers/0/command")).isEqualTo(J.of("['z']"));
    }

    @Test
    void setsAreOwnedByValue() {
        FieldSchema pod = TestSchemas.pod();
        ObjectNode live = ServerSideApply.apply(null, J.obj("{'apiVersion':'v1','kind':'Pod','metadata':{'name':'p',"
                + "'finalizers':['a','b']}}"), "alice", false, pod, T0);
        assertThat(entry(live, "alice").get("fieldsV1")).isEqualTo(Json.parse(
                "{\"f:metadata\":{\"f:finalizers\":{\"v:\\\"a\\\"\":{},\"v:\\\"b\\\"\":{}}}}"));
        ObjectNode out = ServerSideApply.apply(live, J.obj("{'apiVersion':'v1','kind':'Pod','metadata':{'name':'p',"
                + "'finalizers':['b']}}"), "alice", false, pod, T1);
        assertThat(out.at("/metadata/finalizers")).isEqualTo(J.of("['b']"));
    }

    @Test
    void theConfigurationMustBeOfTheObjectsKindAndCarryNoManagedFields() {
        ObjectNode live = ServerSideApply.apply(null, cm("}"), "alice", false, CM, T0);
        ObjectNode wrongKind = J.obj("{'apiVersion':'apps/v1','kind':'Deployment','metadata':{'name':'test-cm'}}");
        assertThatThrownBy(() -> ServerSideApply.apply(live, wrongKind, "alice", false, CM, T1))
                .isInstanceOfSatisfying(ApiException.BadRequest.class, e -> assertThat(e.getMessage())
                        .isEqualTo("invalid object type: apps/v1, Kind=Deployment"));
        ObjectNode withMf = cm(",'managedFields':[]}");
        assertThatThrownBy(() -> ServerSideApply.apply(live, withMf, "alice", false, CM, T1))
                .isInstanceOfSatisfying(ApiException.BadRequest.class, e -> assertThat(e.getMessage())
                        .isEqualTo("metadata.managedFields must be nil"));
    }

    @Test
    void listItemsWithoutTheirKeyCannotBeApplied() {
        ObjectNode bad = J.obj("{'apiVersion':'apps/v1','kind':'Deployment','metadata':{'name':'web','namespace':'ns'},"
                + "'spec':{'template':{'spec':{'containers':[{'image':'x'}]}}}}");
        assertThatThrownBy(() -> ServerSideApply.apply(null, bad, "kubectl", false, DEPLOY, T0))
                .isInstanceOfSatisfying(ApiException.InternalError.class, e -> assertThat(e.getMessage()).endsWith(
                        "failed to create typed patch object (ns/web; apps/v1, Kind=Deployment): .spec.template.spec.containers: "
                                + "element 0: associative list with keys has an element that omits key field \"name\" "
                                + "(and doesn't have default value)"));
        ObjectNode dup = deployment("{'name':'a'},{'name':'a'}");
        assertThatThrownBy(() -> ServerSideApply.apply(null, dup, "kubectl", false, DEPLOY, T0))
                .isInstanceOfSatisfying(ApiException.InternalError.class, e -> assertThat(e.getMessage())
                        .contains(".spec.template.spec.containers: duplicate entries for key [name=\"a\"]"));
    }

    @Test
    void kubectlAsApplierRefreshesAnExistingLastAppliedAnnotation() {
        ObjectNode live = cm(",'annotations':{'kubectl.kubernetes.io/last-applied-configuration':'{}'}},'data':{'a':'1'}");
        ObjectNode config = cm("},'data':{'a':'2'}");
        ObjectNode out = ServerSideApply.apply(live, config, "kubectl", true, CM, T0);
        JsonNode lastApplied = J.of(out.at("/metadata/annotations").get("kubectl.kubernetes.io/last-applied-configuration")
                .asString().replace('"', '\''));
        assertThat(lastApplied).isEqualTo(config);
        ObjectNode other = ServerSideApply.apply(live, config, "someone", true, CM, T0);
        assertThat(other.at("/metadata/annotations").get("kubectl.kubernetes.io/last-applied-configuration").asString())
                .isEqualTo("{}");
    }

    @Test
    void kubectlMovingFromClientSideApplyTakesOverWhatItAppliedBefore() {
        String lastApplied = "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"test-cm\","
                + "\"namespace\":\"default\"},\"data\":{\"a\":\"1\"}}";
        ObjectNode created = cm("},'data':{'a':'1'}");
        ((ObjectNode) created.get("metadata")).putObject("annotations")
                .put("kubectl.kubernetes.io/last-applied-configuration", lastApplied);
        ObjectNode live = ManagedFields.recordUpdate(null, created, "kubectl-client-side-apply", "Update", "", "v1", CM, T0);
        ObjectNode out = ServerSideApply.apply(live, cm("},'data':{'a':'2'}"), "kubectl", false, CM, T1);
        assertThat(out.at("/data/a").asString()).isEqualTo("2");
        assertThat(entry(out, "kubectl").get("fieldsV1")).isEqualTo(J.of("{'f:data':{'f:a':{}}}"));
        // Another manager gets no such pass.
        assertThatThrownBy(() -> ServerSideApply.apply(live, cm("},'data':{'a':'2'}"), "helm", false, CM, T1))
                .isInstanceOf(ApiException.Conflict.class);
    }

    @Test
    void fieldsChangedSinceTheLastClientSideApplyStillConflict() {
        String lastApplied = "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"test-cm\"},"
                + "\"data\":{\"a\":\"1\"}}";
        ObjectNode created = cm("},'data':{'a':'1'}");
        ((ObjectNode) created.get("metadata")).putObject("annotations")
                .put("kubectl.kubernetes.io/last-applied-configuration", lastApplied);
        ObjectNode csa = ManagedFields.recordUpdate(null, created, "kubectl-client-side-apply", "Update", "", "v1", CM, T0);
        ObjectNode edited = csa.deepCopy();
        ((ObjectNode) edited.get("data")).put("a", "5");
        ObjectNode live = ManagedFields.recordUpdate(csa, edited, "kubectl-edit", "Update", "", "v1", CM, T0);
        assertThatThrownBy(() -> ServerSideApply.apply(live, cm("},'data':{'a':'2'}"), "kubectl", false, CM, T1))
                .isInstanceOfSatisfying(ApiException.Conflict.class, e -> assertThat(e.getMessage())
                        .isEqualTo("Apply failed with 1 conflict: conflict with \"kubectl-edit\" using v1: .data.a"));
    }

    @Test
    void theInputsAreNotModified() {
        ObjectNode live = ServerSideApply.apply(null, cm("},'data':{'a':'1'}"), "alice", false, CM, T0);
        ObjectNode liveCopy = live.deepCopy();
        ObjectNode config = cm("},'data':{'b':'1'}");
        ObjectNode configCopy = config.deepCopy();
        ServerSideApply.apply(live, config, "bob", false, CM, T1);
        assertThat(live).isEqualTo(liveCopy);
        assertThat(config).isEqualTo(configCopy);
    }
}
