package io.kubevisor.api.table;

import static io.kubevisor.api.table.Fixtures.NOW;
import static io.kubevisor.api.table.Fixtures.ago;
import static io.kubevisor.api.table.Fixtures.json;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.kubevisor.api.GroupVersionKind;
import io.kubevisor.api.resource.BuiltinResources;
import io.kubevisor.api.resource.ResourceType;

class PrintersTest {

    private static List<Object> cells(String group, String kind, String object) {
        return TablePrinters.forKind(new GroupVersionKind(group, "v1", kind)).cells(json(object), NOW);
    }

    private static List<String> headers(String group, String kind) {
        return TablePrinters.forKind(new GroupVersionKind(group, "v1", kind)).columns().stream()
                .map(ColumnDefinition::name).toList();
    }

    static List<ResourceType> builtins() {
        return BuiltinResources.list();
    }

    @ParameterizedTest
    @MethodSource("builtins")
    void everyBuiltinKindPrintsOneCellPerColumnEvenForABareObject(ResourceType type) {
        TablePrinter p = TablePrinters.forKind(type.gvk());
        List<Object> cells = p.cells(json("{'metadata':{'name':'x','creationTimestamp':'" + ago(30) + "'}}"), NOW);
        assertThat(cells).hasSameSizeAs(p.columns());
        assertThat(p.columns().getFirst().name()).isIn("Name", "Last Seen");
        assertThat(cells).allSatisfy(c -> assertThat(c).isInstanceOfAny(String.class, Long.class));
    }

    @Test
    void namespacesConfigMapsSecretsServiceAccounts() {
        assertThat(cells("", "Namespace", "{'metadata':{'name':'default','creationTimestamp':'" + ago(86400 * 3)
                + "'},'status':{'phase':'Active'}}")).containsExactly("default", "Active", "3d");
        assertThat(cells("", "ConfigMap", "{'metadata':{'name':'cfg','creationTimestamp':'" + ago(40)
                + "'},'data':{'a':'1','b':'2'},'binaryData':{'c':'AA=='}}")).containsExactly("cfg", 3L, "40s");
        assertThat(cells("", "Secret", "{'metadata':{'name':'s','creationTimestamp':'" + ago(600)
                + "'},'type':'Opaque','data':{'k':'dg=='}}")).containsExactly("s", "Opaque", 1L, "10m");
        assertThat(cells("", "ServiceAccount", "{'metadata':{'name':'default','creationTimestamp':'" + ago(7200)
                + "'}}")).containsExactly("default", 0L, "120m");
        assertThat(headers("", "Secret")).containsExactly("Name", "Type", "Data", "Age");
    }

    @Test
    void servicesWithSeveralPortsAndNodePorts() {
        assertThat(cells("", "Service", """
                {'metadata':{'name':'web','creationTimestamp':'%s'},
                 'spec':{'type':'NodePort','clusterIP':'10.96.12.7','clusterIPs':['10.96.12.7'],
                   'selector':{'app':'web','tier':'fe'},
                   'ports':[{'name':'http','port':80,'targetPort':8080,'nodePort':30080,'protocol':'TCP'},
                            {'name':'dns','port':53,'targetPort':53,'nodePort':31053,'protocol':'UDP'}]}}
                """.formatted(ago(3600 * 26))))
                .containsExactly("web", "NodePort", "10.96.12.7", "<none>", "80:30080/TCP,53:31053/UDP", "26h",
                        "app=web,tier=fe");
        assertThat(cells("", "Service", """
                {'metadata':{'name':'kubernetes'},'spec':{'type':'ClusterIP','clusterIPs':['10.96.0.1'],
                 'ports':[{'name':'https','port':443,'targetPort':6443,'protocol':'TCP'}]}}"""))
                .containsExactly("kubernetes", "ClusterIP", "10.96.0.1", "<none>", "443/TCP", "<unknown>", "<none>");
        assertThat(cells("", "Service", "{'metadata':{'name':'lb'},'spec':{'type':'LoadBalancer',"
                + "'clusterIPs':['10.96.1.1'],'ports':[{'port':80,'protocol':'TCP','nodePort':30001}]}}").get(3))
                .isEqualTo("<pending>");
        assertThat(cells("", "Service", "{'metadata':{'name':'lb'},'spec':{'type':'LoadBalancer',"
                + "'externalIPs':['1.2.3.4']},'status':{'loadBalancer':{'ingress':[{'ip':'203.0.113.9'},"
                + "{'hostname':'lb.example.com'}]}}}").get(3)).isEqualTo("203.0.113.9,lb.example.com,1.2.3.4");
        assertThat(cells("", "Service", "{'metadata':{'name':'ext'},'spec':{'type':'ExternalName',"
                + "'externalName':'db.example.com'}}").subList(1, 5))
                .containsExactly("ExternalName", "<none>", "db.example.com", "<none>");
    }

    @Test
    void nodes() {
        assertThat(cells("", "Node", """
                {'metadata':{'name':'node-a','creationTimestamp':'%s',
                   'labels':{'node-role.kubernetes.io/control-plane':'','node-role.kubernetes.io/worker':'',
                             'kubernetes.io/role':'edge'}},
                 'spec':{'unschedulable':true},
                 'status':{'conditions':[{'type':'MemoryPressure','status':'False'},{'type':'Ready','status':'True'}],
                   'addresses':[{'type':'InternalIP','address':'192.168.1.10'},{'type':'Hostname','address':'node-a'}],
                   'nodeInfo':{'kubeletVersion':'v1.33.1','osImage':'Debian GNU/Linux 13 (trixie)',
                     'kernelVersion':'6.12.0','containerRuntimeVersion':'runsc://20250101'}}}
                """.formatted(ago(86400 * 40))))
                .containsExactly("node-a", "Ready,SchedulingDisabled", "control-plane,edge,worker", "40d", "v1.33.1",
                        "192.168.1.10", "<none>", "Debian GNU/Linux 13 (trixie)", "6.12.0", "runsc://20250101");
        assertThat(cells("", "Node", "{'metadata':{'name':'n'}}").subList(1, 3)).containsExactly("Unknown", "<none>");
    }

    @Test
    void deploymentsIncludingWideColumns() {
        assertThat(headers("apps", "Deployment")).containsExactly("Name", "Ready", "Up-to-date", "Available", "Age",
                "Containers", "Images", "Selector");
        assertThat(cells("apps", "Deployment", """
                {'metadata':{'name':'web','creationTimestamp':'%s'},
                 'spec':{'replicas':3,'selector':{'matchLabels':{'app':'web'},
                     'matchExpressions':[{'key':'env','operator':'In','values':['prod','canary']},
                                         {'key':'legacy','operator':'DoesNotExist'}]},
                   'template':{'spec':{'containers':[{'name':'nginx','image':'nginx:1.27'},
                                                     {'name':'log','image':'busybox'}]}}},
                 'status':{'replicas':3,'updatedReplicas':3,'readyReplicas':2,'availableReplicas':2}}
                """.formatted(ago(330))))
                .containsExactly("web", "2/3", 3L, 2L, "5m30s", "nginx,log", "nginx:1.27,busybox",
                        "app=web,env in (canary,prod),!legacy");
    }

    @Test
    void replicaSetsStatefulSetsDaemonSets() {
        assertThat(cells("apps", "ReplicaSet", """
                {'metadata':{'name':'web-7d4b9'},'spec':{'replicas':2,'selector':{'matchLabels':{'app':'web',
                 'pod-template-hash':'7d4b9'}},'template':{'spec':{'containers':[{'name':'nginx','image':'nginx'}]}}},
                 'status':{'replicas':2,'readyReplicas':1}}"""))
                .containsExactly("web-7d4b9", 2L, 2L, 1L, "<unknown>", "nginx", "nginx", "app=web,pod-template-hash=7d4b9");
        assertThat(cells("apps", "StatefulSet", "{'metadata':{'name':'db'},'spec':{'replicas':3},"
                + "'status':{'readyReplicas':3}}").subList(0, 2)).containsExactly("db", "3/3");
        assertThat(cells("apps", "DaemonSet", """
                {'metadata':{'name':'agent'},'spec':{'selector':{'matchLabels':{'app':'agent'}},
                 'template':{'spec':{'nodeSelector':{'kubernetes.io/os':'linux'},'containers':[{'name':'a','image':'a:1'}]}}},
                 'status':{'desiredNumberScheduled':3,'currentNumberScheduled':3,'numberReady':2,
                   'updatedNumberScheduled':3,'numberAvailable':2}}"""))
                .containsExactly("agent", 3L, 3L, 2L, 3L, 2L, "kubernetes.io/os=linux", "<unknown>", "a", "a:1",
                        "app=agent");
    }

    @Test
    void jobsShowStatusCompletionsAndDuration() {
        assertThat(headers("batch", "Job")).containsExactly("Name", "Status", "Completions", "Duration", "Age",
                "Containers", "Images", "Selector");
        assertThat(cells("batch", "Job", """
                {'metadata':{'name':'pi','creationTimestamp':'%s'},'spec':{'completions':1,
                   'template':{'spec':{'containers':[{'name':'pi','image':'perl'}]}}},
                 'status':{'succeeded':1,'startTime':'%s','completionTime':'%s',
                   'conditions':[{'type':'SuccessCriteriaMet','status':'True'},{'type':'Complete','status':'True'}]}}
                """.formatted(ago(600), ago(598), ago(560))).subList(0, 5))
                .containsExactly("pi", "Complete", "1/1", "38s", "10m");
        assertThat(cells("batch", "Job", "{'metadata':{'name':'j'},'spec':{'parallelism':3},"
                + "'status':{'startTime':'" + ago(200) + "','active':3}}").subList(1, 4))
                .containsExactly("Running", "0/1 of 3", "3m20s");
        assertThat(cells("batch", "Job", "{'metadata':{'name':'j'},'spec':{},'status':{'conditions':"
                + "[{'type':'Failed','status':'True'}]}}").subList(1, 4)).containsExactly("Failed", "0/1", "");
        assertThat(cells("batch", "Job", "{'metadata':{'name':'j','deletionTimestamp':'" + ago(1) + "'},"
                + "'spec':{'suspend':true},'status':{'conditions':[{'type':'Suspended','status':'True'}]}}").get(1))
                .isEqualTo("Terminating");
        assertThat(cells("batch", "Job", "{'metadata':{'name':'j'},'spec':{'suspend':true},"
                + "'status':{'conditions':[{'type':'Suspended','status':'True'}]}}").get(1)).isEqualTo("Suspended");
    }

    @Test
    void cronJobs() {
        assertThat(cells("batch", "CronJob", """
                {'metadata':{'name':'backup','creationTimestamp':'%s'},
                 'spec':{'schedule':'*/5 * * * *','suspend':false,'jobTemplate':{'spec':{'template':{'spec':
                   {'containers':[{'name':'b','image':'busybox'}]}}}}},
                 'status':{'active':[{'name':'backup-1'}],'lastScheduleTime':'%s'}}
                """.formatted(ago(7200), ago(45))))
                .containsExactly("backup", "*/5 * * * *", "<none>", "False", 1L, "45s", "120m", "b", "busybox", "<none>");
    }

    @Test
    void eventsCoreAndEventsV1PrintAlike() {
        assertThat(headers("", "Event")).containsExactly("Last Seen", "Type", "Reason", "Object", "Subobject", "Source",
                "Message", "First Seen", "Count", "Name");
        assertThat(cells("", "Event", """
                {'metadata':{'name':'web-1.17a2'},'involvedObject':{'kind':'Pod','name':'web-1',
                   'fieldPath':'spec.containers{app}'},
                 'reason':'Pulled','message':'Successfully pulled image\\n','type':'Normal',
                 'source':{'component':'kubelet','host':'node-a'},'firstTimestamp':'%s','lastTimestamp':'%s','count':3}
                """.formatted(ago(600), ago(20))))
                .containsExactly("20s", "Normal", "Pulled", "pod/web-1", "spec.containers{app}", "kubelet, node-a",
                        "Successfully pulled image", "10m", 3L, "web-1.17a2");
        assertThat(cells("events.k8s.io", "Event", """
                {'metadata':{'name':'web-1.17a3'},'eventTime':'%s','reportingController':'default-scheduler',
                 'reportingInstance':'sched-1','action':'Binding','reason':'Scheduled',
                 'regarding':{'kind':'Pod','namespace':'default','name':'web-1'},'note':'Assigned','type':'Normal'}
                """.formatted("2025-06-01T11:59:00.000000Z")))
                .containsExactly("60s", "Normal", "Scheduled", "pod/web-1", "", "default-scheduler, sched-1",
                        "Assigned", "60s", 1L, "web-1.17a3");
    }

    @Test
    void endpointsAndSlices() {
        assertThat(cells("", "Endpoints", """
                {'metadata':{'name':'web'},'subsets':[{'addresses':[{'ip':'10.0.0.1'},{'ip':'10.0.0.2'},{'ip':'fd00::3'}],
                  'ports':[{'port':8080},{'port':9090}]}]}""").get(1))
                .isEqualTo("10.0.0.1:8080,10.0.0.2:8080,[fd00::3]:8080 + 3 more...");
        assertThat(cells("", "Endpoints", "{'metadata':{'name':'none'}}").get(1)).isEqualTo("<none>");
        assertThat(cells("discovery.k8s.io", "EndpointSlice", """
                {'metadata':{'name':'web-x'},'addressType':'IPv4','ports':[{'name':'http','port':80},{'name':'any'}],
                 'endpoints':[{'addresses':['10.0.0.1']},{'addresses':['10.0.0.2']}]}""").subList(1, 4))
                .containsExactly("IPv4", "80,any", "10.0.0.1,10.0.0.2");
        assertThat(cells("discovery.k8s.io", "EndpointSlice", "{'metadata':{'name':'e'},'addressType':'IPv4'}")
                .subList(2, 4)).containsExactly("<unset>", "<unset>");
    }

    @Test
    void claimsAndQuotas() {
        assertThat(cells("", "PersistentVolumeClaim", """
                {'metadata':{'name':'data'},'spec':{'volumeName':'pv-1','storageClassName':'local',
                   'volumeMode':'Filesystem','accessModes':['ReadWriteOnce']},
                 'status':{'phase':'Bound','accessModes':['ReadWriteMany','ReadWriteOnce'],'capacity':{'storage':'10Gi'}}}"""))
                .containsExactly("data", "Bound", "pv-1", "10Gi", "RWO,RWX", "local", "<unset>", "<unknown>",
                        "Filesystem");
        assertThat(cells("", "PersistentVolumeClaim", "{'metadata':{'name':'p'},'spec':{},"
                + "'status':{'phase':'Pending'}}").subList(1, 6)).containsExactly("Pending", "", "", "", "");
        assertThat(cells("", "ResourceQuota", """
                {'metadata':{'name':'q'},'status':{'hard':{'pods':'10','limits.cpu':'4','requests.memory':'1Gi',
                   'limits.memory':'2Gi'},'used':{'pods':'3','limits.cpu':'500m'}}}""").subList(1, 3))
                .containsExactly("pods: 3/10, requests.memory: 0/1Gi", "limits.cpu: 500m/4, limits.memory: 0/2Gi");
    }

    @Test
    void leasesAndRbac() {
        assertThat(cells("coordination.k8s.io", "Lease", "{'metadata':{'name':'node-a'},"
                + "'spec':{'holderIdentity':'node-a'}}")).containsExactly("node-a", "node-a", "<unknown>");
        assertThat(cells("rbac.authorization.k8s.io", "RoleBinding", """
                {'metadata':{'name':'rb'},'roleRef':{'kind':'ClusterRole','name':'view'},
                 'subjects':[{'kind':'User','name':'alice'},{'kind':'User','name':'bob'},{'kind':'Group','name':'devs'},
                   {'kind':'ServiceAccount','namespace':'ci','name':'deployer'}]}"""))
                .containsExactly("rb", "ClusterRole/view", "<unknown>", "alice, bob", "devs", "ci/deployer");
        assertThat(headers("rbac.authorization.k8s.io", "Role")).containsExactly("Name", "Created At");
        assertThat(cells("rbac.authorization.k8s.io", "ClusterRole",
                "{'metadata':{'name':'view','creationTimestamp':'2024-01-02T03:04:05Z'}}"))
                .containsExactly("view", "2024-01-02T03:04:05Z");
    }

    @Test
    void unknownKindsGetTheGenericTable() {
        TablePrinter p = TablePrinters.forKind(new GroupVersionKind("example.com", "v1", "Widget"));
        assertThat(p.columns()).extracting(ColumnDefinition::type).containsExactly("string", "date");
        assertThat(p.cells(json("{'metadata':{'name':'w'}}"), NOW)).containsExactly("w", "0001-01-01T00:00:00Z");
    }
}
