package io.kubevisor.apiserver.apply;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;

import org.junit.jupiter.api.Test;

import io.kubevisor.api.Json;
import io.kubevisor.api.schema.FieldSchema;
import io.kubevisor.apiserver.patch.J;
import io.kubevisor.apiserver.patch.TestSchemas;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

class ManagedFieldsTest {

    private static final Instant T0 = Instant.parse("2024-05-01T10:00:00.999Z");
    private static final Instant T1 = Instant.parse("2024-05-01T10:05:00Z");
    private static final FieldSchema DEPLOY = TestSchemas.deployment();
    private static final FieldSchema CM = TestSchemas.configMap();

    /** A deployment as kube-apiserver stores it after {@code kubectl create deployment nginx --image=nginx}. */
    private static ObjectNode createdDeployment() {
        return J.obj("{'apiVersion':'apps/v1','kind':'Deployment','metadata':{'name':'nginx','namespace':'default',"
                + "'uid':'u1','resourceVersion':'1','generation':1,'creationTimestamp':'2024-05-01T10:00:00Z',"
                + "'labels':{'app':'nginx'}},'spec':{'replicas':1,'selector':{'matchLabels':{'app':'nginx'}},"
                + "'template':{'metadata':{'labels':{'app':'nginx'}},'spec':{'containers':[{'name':'nginx','image':'nginx',"
                + "'resources':{},'terminationMessagePath':'/dev/termination-log','terminationMessagePolicy':'File',"
                + "'imagePullPolicy':'Always'}],'restartPolicy':'Always','terminationGracePeriodSeconds':30,"
                + "'dnsPolicy':'ClusterFirst','securityContext':{},'schedulerName':'default-scheduler'}},"
                + "'strategy':{'type':'RollingUpdate','rollingUpdate':{'maxUnavailable':'25%','maxSurge':'25%'}},"
                + "'revisionHistoryLimit':10,'progressDeadlineSeconds':600},'status':{}}");
    }

    private static JsonNode entry(JsonNode obj, String manager) {
        for (JsonNode e : obj.at("/metadata/managedFields").values()) {
            if (e.get("manager").asString().equals(manager)) {
                return e;
            }
        }
        return null;
    }

    @Test
    void createRecordsTheShapeKubernetesRecordsForKubectlCreate() {
        ObjectNode out = ManagedFields.recordUpdate(null, createdDeployment(), "kubectl-create", "Update", null, "apps/v1",
                DEPLOY, T0);
        // As a real cluster shows it: value structs (spec, strategy, template) carry no ".",
        // maps and pointer structs created from nothing (labels, rollingUpdate) do.
        JsonNode expected = Json.parse("""
                {"f:metadata":{"f:labels":{".":{},"f:app":{}}},
                 "f:spec":{"f:progressDeadlineSeconds":{},"f:replicas":{},"f:revisionHistoryLimit":{},"f:selector":{},
                   "f:strategy":{"f:rollingUpdate":{".":{},"f:maxSurge":{},"f:maxUnavailable":{}},"f:type":{}},
                   "f:template":{"f:metadata":{"f:labels":{".":{},"f:app":{}}},
                     "f:spec":{"f:containers":{"k:{\\"name\\":\\"nginx\\"}":{".":{},"f:image":{},"f:imagePullPolicy":{},
                         "f:name":{},"f:resources":{},"f:terminationMessagePath":{},"f:terminationMessagePolicy":{}}},
                       "f:dnsPolicy":{},"f:restartPolicy":{},"f:schedulerName":{},"f:securityContext":{},
                       "f:terminationGracePeriodSeconds":{}}}}}
                """);
        JsonNode e = entry(out, "kubectl-create");
        assertThat(e.get("fieldsV1")).isEqualTo(expected);
        // Same member order as the Go encoder (sorted path elements).
        assertThat(Json.string(e.get("fieldsV1"))).isEqualTo(Json.string(expected));
        assertThat(e).isEqualTo(J.of("{'manager':'kubectl-create','operation':'Update','apiVersion':'apps/v1',"
                + "'time':'2024-05-01T10:00:00Z','fieldsType':'FieldsV1','fieldsV1':" + Json.string(expected) + "}"));
    }

    @Test
    void anUpdateGivesTheWriterWhatItChangedAndMergesItsEntry() {
        ObjectNode created = ManagedFields.recordUpdate(null, J.obj("{'apiVersion':'v1','kind':'ConfigMap','metadata':"
                + "{'name':'c'},'data':{'a':'1'}}"), "kubectl-create", "Update", "", "v1", CM, T0);
        ObjectNode edited = created.deepCopy();
        ((ObjectNode) edited.get("data")).put("a", "2").put("b", "1");
        ObjectNode out = ManagedFields.recordUpdate(created, edited, "kubectl-edit", "Update", "", "v1", CM, T1);
        assertThat(entry(out, "kubectl-create").get("fieldsV1")).isEqualTo(J.of("{'f:data':{}}"));
        assertThat(entry(out, "kubectl-edit").get("fieldsV1")).isEqualTo(J.of("{'f:data':{'f:a':{},'f:b':{}}}"));

        ObjectNode again = out.deepCopy();
        ((ObjectNode) again.get("data")).put("c", "1");
        ObjectNode out2 = ManagedFields.recordUpdate(out, again, "kubectl-edit", "Update", "", "v1", CM, T1.plusSeconds(60));
        assertThat(out2.at("/metadata/managedFields")).hasSize(2);
        assertThat(entry(out2, "kubectl-edit").get("fieldsV1")).isEqualTo(J.of("{'f:data':{'f:a':{},'f:b':{},'f:c':{}}}"));
        assertThat(entry(out2, "kubectl-edit").get("time").asString()).isEqualTo("2024-05-01T10:06:00Z");
    }

    @Test
    void anUpdateThatChangesNothingRecordsNothing() {
        ObjectNode created = ManagedFields.recordUpdate(null, J.obj("{'apiVersion':'v1','kind':'ConfigMap','metadata':"
                + "{'name':'c'},'data':{'a':'1'}}"), "kubectl-create", "Update", "", "v1", CM, T0);
        ObjectNode out = ManagedFields.recordUpdate(created, created.deepCopy(), "kubectl-replace", "Update", "", "v1", CM, T1);
        assertThat(out).isEqualTo(created);
    }

    @Test
    void metadataBookkeepingIsNeverOwned() {
        ObjectNode before = J.obj("{'apiVersion':'v1','kind':'ConfigMap','metadata':{'name':'c','resourceVersion':'1'}}");
        ObjectNode after = J.obj("{'apiVersion':'v1','kind':'ConfigMap','metadata':{'name':'c','resourceVersion':'2',"
                + "'generation':3}}");
        ObjectNode out = ManagedFields.recordUpdate(before, after, "x", "Update", "", "v1", CM, T1);
        assertThat(out.at("/metadata").has("managedFields")).isFalse();
    }

    @Test
    void updatesThroughASubresourceAreSeparateEntries() {
        FieldSchema pod = TestSchemas.pod();
        ObjectNode before = J.obj("{'apiVersion':'v1','kind':'Pod','metadata':{'name':'p'},'spec':{'containers':[{'name':'c'}]}}");
        ObjectNode created = ManagedFields.recordUpdate(null, before, "kubectl-run", "Update", "", "v1", pod, T0);
        ObjectNode running = created.deepCopy();
        running.putObject("status").put("phase", "Running");
        ObjectNode out = ManagedFields.recordUpdate(created, running, "kubelet", "Update", "status", "v1", pod, T1);
        assertThat(entry(out, "kubelet")).isEqualTo(J.of("{'manager':'kubelet','operation':'Update','apiVersion':'v1',"
                + "'time':'2024-05-01T10:05:00Z','fieldsType':'FieldsV1','fieldsV1':{'f:status':{'f:phase':{}}},"
                + "'subresource':'status'}"));
    }

    @Test
    void aRequestCanResetManagedFieldsWithAnEmptyList() {
        ObjectNode created = ManagedFields.recordUpdate(null, J.obj("{'apiVersion':'v1','kind':'ConfigMap','metadata':"
                + "{'name':'c'},'data':{'a':'1'}}"), "kubectl-create", "Update", "", "v1", CM, T0);
        ObjectNode reset = created.deepCopy();
        ((ObjectNode) reset.get("metadata")).putArray("managedFields");
        ObjectNode out = ManagedFields.recordUpdate(created, reset, "x", "Update", "", "v1", CM, T1);
        assertThat(out.at("/metadata").has("managedFields")).isFalse();
    }

    @Test
    void entriesAreSortedAppliersFirstThenByTime() {
        ObjectNode obj = J.obj("{'apiVersion':'v1','kind':'ConfigMap','metadata':{'name':'c'},'data':{}}");
        ObjectNode a = ManagedFields.recordUpdate(null, withData(obj, "z", "1"), "zeta", "Update", "", "v1", CM, T0);
        ObjectNode b = ManagedFields.recordUpdate(a, withData(a, "y", "1"), "alpha", "Update", "", "v1", CM, T1);
        ObjectNode c = ServerSideApply.apply(b, J.obj("{'apiVersion':'v1','kind':'ConfigMap','metadata':{'name':'c'},"
                + "'data':{'x':'1'}}"), "mid", false, CM, T1);
        assertThat(c.at("/metadata/managedFields").valueStream().map(e -> e.get("manager").asString()))
                .containsExactly("mid", "zeta", "alpha");
    }

    private static ObjectNode withData(ObjectNode o, String k, String v) {
        ObjectNode c = o.deepCopy();
        ((ObjectNode) c.get("data")).put(k, v);
        return c;
    }

    @Test
    void moreThanTenUpdatersFoldIntoAncientChanges() {
        ObjectNode obj = J.obj("{'apiVersion':'v1','kind':'ConfigMap','metadata':{'name':'c'},'data':{}}");
        for (int i = 0; i < 12; i++) {
            obj = ManagedFields.recordUpdate(obj, withData(obj, "k" + i, "v"), "m" + i, "Update", "", "v1", CM,
                    T0.plusSeconds(i));
        }
        assertThat(obj.at("/metadata/managedFields")).hasSize(10);
        JsonNode ancient = entry(obj, "ancient-changes");
        assertThat(ancient.get("fieldsV1")).isEqualTo(J.of("{'f:data':{'f:k0':{},'f:k1':{},'f:k2':{}}}"));
        assertThat(entry(obj, "m0")).isNull();
        assertThat(entry(obj, "m3")).isNotNull();
    }
}
